package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.store.StoreIssue;
import dev.finetune4j.store.VerifyReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code finetune4j store verify [--repair]}: reads every revision and blob of every tenant and reports damage. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Read and check every revision and blob of every tenant (all of them, whatever --tenant says), and "
                    + "list each damaged item with its file or database row and what is wrong.",
            "Exit 0 when no damage is left, 1 when there is damage to restore from a backup.",
            "With --repair, also mend what the store holds enough to mend without guessing: temp and staging files "
                    + "of ended processes, stale head hints, chunk checksums of blobs whose content is intact. "
                    + "Damaged content is only ever reported."
        })
final class StoreVerifyCommand extends BaseCommand {

    @Option(names = "--repair", description = "Mend what can be mended without guessing (see above).")
    boolean repair;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            VerifyReport report = s.store().verify(repair);
            if (cli.json()) {
                cli.printJson(json(report, repair));
            } else {
                print(cli.out(), s.location(), report, repair);
            }
            return report.clean() ? ExitCodes.OK : ExitCodes.INPUT;
        }
    }

    /**
     * {@code {"store","repair","clean","revisions","blobs","blob_bytes","damaged","issues":[{"kind","damage",
     * "location","problem","repair"}],"notes"}}.
     */
    static ObjectNode json(VerifyReport report, boolean repair) {
        ObjectNode doc = JsonDocs.object();
        doc.put("store", report.store());
        doc.put("repair", repair);
        doc.put("clean", report.clean());
        doc.put("revisions", report.revisions());
        doc.put("blobs", report.blobs());
        doc.put("blob_bytes", report.blobBytes());
        doc.put("damaged", report.damage().size());
        ArrayNode issues = doc.putArray("issues");
        for (StoreIssue i : report.issues()) {
            ObjectNode n = issues.addObject();
            n.put("kind", JsonDocs.lower(i.kind()));
            n.put("damage", i.damage());
            n.put("location", i.location());
            n.put("problem", i.problem());
            n.put("repair", JsonDocs.lower(i.repair()));
        }
        ArrayNode notes = doc.putArray("notes");
        report.notes().forEach(notes::add);
        return doc;
    }

    static void print(PrintWriter out, String location, VerifyReport report, boolean repair) {
        out.println("store " + Visible.of(location) + ": " + report.revisions() + " revision(s) and " + report.blobs()
                + " blob(s) (" + String.format(Locale.ROOT, "%.1f", report.blobBytes() / 1048576.0) + " MiB) checked");
        report.notes().forEach(n -> out.println("  " + n));
        for (StoreIssue i : report.issues()) {
            out.println(status(i) + "  " + JsonDocs.lower(i.kind()) + "  " + Visible.of(i.location()));
            out.println("    " + Visible.of(i.problem()));
        }
        List<StoreIssue> damage = report.damage();
        long repairable = report.issues().stream().filter(i -> i.repair() == StoreIssue.Repair.POSSIBLE).count();
        long repaired = report.issues().stream().filter(i -> i.repair() == StoreIssue.Repair.DONE).count();
        StringBuilder summary = new StringBuilder();
        if (damage.isEmpty()) {
            summary.append("no damage found");
        } else {
            summary.append(damage.size()).append(" damaged item(s)");
            long needBackup = damage.stream().filter(i -> i.repair() == StoreIssue.Repair.NOT_POSSIBLE).count();
            if (needBackup > 0) {
                summary.append(", ").append(needBackup).append(" to restore from a backup");
            }
        }
        if (repaired > 0) {
            summary.append("; ").append(repaired).append(" item(s) repaired");
        }
        if (repairable > 0) {
            summary.append("; ").append(repairable).append(" item(s) `store verify --repair` would mend");
        }
        if (!repair || repaired == 0) {
            summary.append("; nothing was changed");
        }
        out.println(summary);
    }

    private static String status(StoreIssue i) {
        return switch (i.repair()) {
            case DONE -> "repaired";
            case POSSIBLE -> i.damage() ? "damaged (repairable)" : "repairable";
            case NOT_POSSIBLE -> i.damage() ? "DAMAGED" : "note";
        };
    }
}
