package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j dataset log ASSISTANT/DATASET}: the versions of a dataset, oldest first. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "List the versions of a dataset, oldest first: number, id, time, size, what changed.")
final class DatasetLogCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT/DATASET", description = "e.g. voice-parser/main")
    String ref;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Dataset ds = DatasetCommand.dataset(s.ft(), ref, spec);
            List<DatasetVersion> versions = ds.history();
            if (versions.isEmpty()) {
                throw new NotFoundException("dataset '" + ds.ref() + "' has no versions in the store "
                        + s.location() + " (tenant " + s.ft().tenant().id() + "); create one with "
                        + "`finetune4j dataset append " + ds.ref() + " FILE`");
            }
            if (cli.json()) {
                cli.printJson(json(ds.ref(), versions));
            } else {
                print(cli.out(), ds.ref(), versions);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code {"dataset", "versions": [{"number","id","parent","created_at","examples","added","removed","note"}]}}. */
    static ObjectNode json(String ref, List<DatasetVersion> versions) {
        ObjectNode doc = JsonDocs.object();
        doc.put("dataset", ref);
        ArrayNode list = doc.putArray("versions");
        versions.forEach(v -> list.add(JsonDocs.version(v)));
        return doc;
    }

    /** A table, oldest version first. */
    static void print(PrintWriter out, String ref, List<DatasetVersion> versions) {
        out.println(ref + ": " + Reports.count(versions.size(), "version"));
        TextTable table = new TextTable(">v", "id", "created (UTC)", ">examples", ">added", ">removed", "note");
        for (DatasetVersion v : versions) {
            table.row(v.number(), v.id(), Assistants.time(v.createdAt()), v.examples(), "+" + v.added(),
                    "-" + v.removed(), v.note().orElse(""));
        }
        table.print(out, "  ");
    }
}
