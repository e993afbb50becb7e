package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.lifecycle.Lifecycle;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j versions ASSISTANT}: the model versions with their lineage, oldest first. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = {
            "List an assistant's model versions, the active one marked.",
            "Oldest first, deleted ones included: provider model id, base model, state, the dataset version trained "
                + "on, job, metrics, cost, lifecycle (the soonest shutdown or job cutoff that applies, see `doctor`). "
                + "The active version is marked *, the candidate ~."
        })
final class VersionsCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            List<ModelVersion> versions = a.modelVersions();
            Selection live = a.selection();
            if (cli.json()) {
                cli.printJson(json(a.name(), versions, live, s.ft().lifecycle()));
            } else {
                print(cli.out(), a.name(), versions, live, s.ft().lifecycle());
            }
            return ExitCodes.OK;
        }
    }

    /**
     * {@code {"assistant", "versions": [...]}}, the fields of {@link JsonDocs#modelVersion} and {@code
     * lifecycle} ({@link LifecycleDocs#json}).
     */
    static ObjectNode json(String assistant, List<ModelVersion> versions, Selection live, Lifecycle lifecycle) {
        ObjectNode doc = JsonDocs.object();
        doc.put("assistant", assistant);
        ArrayNode list = doc.putArray("versions");
        versions.forEach(v -> list.add(JsonDocs.modelVersion(v, live).set("lifecycle",
                LifecycleDocs.json(lifecycle.of(v)))));
        return doc;
    }

    /** The live selection, a table (active marked {@code *}, candidate {@code ~}), then job, metrics and cost. */
    static void print(PrintWriter out, String assistant, List<ModelVersion> versions, Selection live,
            Lifecycle lifecycle) {
        out.println(assistant + ": " + Reports.count(versions.size(), "model version") + "; live: " + live.describe()
                + " (revision " + live.revision() + ")");
        if (versions.isEmpty()) {
            out.println("  import one with `finetune4j models import " + assistant
                    + " --provider PROVIDER --model-id ID --base BASE_MODEL`");
            return;
        }
        int active = live.activeModelVersion().orElse(0);
        int candidate = live.candidateModelVersion().orElse(0);
        TextTable table = new TextTable("", ">v", "state", "provider", "provider model id", "base model",
                "trained on", "created (UTC)", "lifecycle", "note");
        List<String> details = new ArrayList<>();
        for (ModelVersion v : versions) {
            String mark = v.number() == active ? "*" : v.number() == candidate ? "~" : "";
            String trainedOn = JsonDocs.datasetVersion(v);
            table.row(mark, v.number(), JsonDocs.lower(v.state()), v.provider(), v.providerModelId(), v.baseModel(),
                    trainedOn == null ? "-" : trainedOn, Assistants.time(v.createdAt()),
                    v.state().usable() ? LifecycleDocs.column(lifecycle.of(v)) : "-", v.note().orElse(""));
            List<String> more = new ArrayList<>();
            v.jobId().ifPresent(j -> more.add("job " + j));
            if (!v.metrics().values().isEmpty()) {
                more.add(v.metrics().values().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")));
            }
            v.cost().ifPresent(c -> more.add("cost " + c));
            if (!more.isEmpty()) {
                details.add("v" + v.number() + ": " + String.join("; ", more));
            }
        }
        table.print(out, "  ");
        details.forEach(d -> out.println("  " + d));
        List<String> legend = new ArrayList<>();
        if (active != 0) {
            legend.add("* active");
        }
        if (candidate != 0) {
            legend.add("~ candidate at " + live.candidateShare() + " %");
        }
        if (!legend.isEmpty()) {
            out.println("  (" + String.join(", ", legend) + ")");
        }
    }
}
