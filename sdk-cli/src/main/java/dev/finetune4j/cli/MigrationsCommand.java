package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.migration.Migration;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j migrations [ASSISTANT]}: the stored migrations, oldest first. With {@code --json}:
 * {@code {"migrations": [{...}]}}, each as {@code migrate --json} shows it.
 */
@Command(name = "migrations", mixinStandardHelpOptions = true,
        description = "List migrations (of one assistant, or of all): where each is, what it produced, the gate's "
                + "figures. Resume an unfinished one by running its migrate again.")
final class MigrationsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ASSISTANT", description = "Only this assistant's.")
    String assistant;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            List<String> names = assistant != null ? List.of(Assistants.open(s, assistant, spec).name())
                    : s.ft().assistants();
            List<Migration> all = new ArrayList<>();
            for (String name : names) {
                all.addAll(s.ft().migrations().list(name));
            }
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                ArrayNode list = doc.putArray("migrations");
                all.forEach(m -> list.add(MigrateCommand.json(m)));
                cli.printJson(doc);
                return ExitCodes.OK;
            }
            PrintWriter out = cli.out();
            if (all.isEmpty()) {
                out.println("no migrations; start one with `finetune4j migrate ASSISTANT --to PROVIDER --model BASE`");
                return ExitCodes.OK;
            }
            out.println(Reports.count(all.size(), "migration"));
            TextTable table = new TextTable("id", "assistant", "from", "to", "stage", "new", "updated");
            for (Migration m : all) {
                table.row(m.id(), m.assistant(), "v" + m.sourceVersion(), m.provider() + " " + m.baseModel(),
                        JsonDocs.lower(m.stage()), m.newVersion().isPresent() ? "v" + m.newVersion().getAsInt() : "-",
                        Assistants.time(m.updatedAt()));
            }
            table.print(out, "  ");
            for (Migration m : all) {
                if (!m.verdict().isEmpty()) {
                    out.println(m.id() + ": " + m.verdict());
                }
            }
            return ExitCodes.OK;
        }
    }
}
