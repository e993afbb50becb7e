package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.lifecycle.ModelLifecycle;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code finetune4j assistants}: the tenant's assistants and what is live for each. */
@Command(name = "assistants", mixinStandardHelpOptions = true,
        description = "List the assistants with their base model, live selection and the lifecycle of the live "
                + "model (the soonest shutdown or job cutoff that applies).")
final class AssistantsCommand extends BaseCommand {

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            List<Selection> selections = new ArrayList<>();
            for (String name : s.ft().assistants()) {
                selections.add(s.ft().assistant(name).selection());
            }
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                ArrayNode list = doc.putArray("assistants");
                for (Selection sel : selections) {
                    ObjectNode o = list.addObject();
                    o.put("name", sel.assistant());
                    o.set("selection", JsonDocs.selection(sel));
                    o.set("lifecycle", LifecycleDocs.json(s.ft().lifecycle().ofLive(sel)));
                }
                cli.printJson(doc);
            } else {
                print(cli.out(), s, selections);
            }
            return ExitCodes.OK;
        }
    }

    private static void print(PrintWriter out, FinetuneCli.Session s, List<Selection> selections) {
        if (selections.isEmpty()) {
            out.println("no assistants in the store " + s.location() + " (tenant " + s.ft().tenant().id()
                    + "); create one with `finetune4j assistant create NAME --provider PROVIDER --model BASE_MODEL`");
            return;
        }
        out.println(Reports.count(selections.size(), "assistant"));
        TextTable table = new TextTable("name", "provider", "base model", "live", ">revision", "lifecycle");
        int affected = 0;
        for (Selection sel : selections) {
            ModelLifecycle l = s.ft().lifecycle().ofLive(sel);
            affected += l.affected() ? 1 : 0;
            table.row(sel.assistant(), sel.provider(), sel.baseModel(), sel.describe(), sel.revision(),
                    LifecycleDocs.column(l));
        }
        table.print(out, "  ");
        if (affected > 0) {
            out.println("  " + Reports.count(affected, "assistant") + " live on a model with an end of life; "
                    + "`finetune4j doctor` says what to run");
        }
    }
}
