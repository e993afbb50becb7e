package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The quickstart's "learning path": an assistant with two imported model versions, activated one
 * after the other and rolled back, and its timeline. Runs without a provider: the two model ids
 * are labelled placeholders. Running it again creates nothing and, when the selection already is
 * where the walk ends, changes nothing.
 */
final class LearningPath {

    static final String PROVIDER = "openai";
    static final String BASE_MODEL = Providers.DEFAULT_OPENAI_MODEL;
    /** Example ids in OpenAI's format; no such models exist. */
    static final List<String> PLACEHOLDER_IDS = List.of(
            "ft:" + BASE_MODEL + ":quickstart::v1-import",
            "ft:" + BASE_MODEL + ":quickstart::v2-import");
    /** What the placeholders are, as printed; the JSON note joins the lines. */
    static final List<String> PLACEHOLDERS = List.of(
            "both are imported placeholders: example model ids, not real OpenAI models,",
            "until training arrives with the fine-tune jobs issue; nothing is sent to OpenAI.");

    private LearningPath() {}

    /**
     * Walks the path for {@code assistantName}, printing steps 7 and 8 to {@code out}.
     *
     * @return the {@code learning_path} object of the quickstart's JSON document
     */
    static ObjectNode walk(FineTuning ft, String assistantName, String actor, PrintWriter out) {
        ObjectNode doc = JsonDocs.object();
        out.println();
        out.println("7. The learning path of assistant " + assistantName + ": model versions, activation, rollback");
        boolean existed = Assistants.exists(ft, assistantName);
        Assistant a = Assistants.attempt(() -> ft.createAssistant(assistantName, PROVIDER, BASE_MODEL));
        doc.put("assistant", a.name());
        doc.put("assistant_created", !existed);
        out.println(existed
                ? "   assistant " + a.name() + " already existed (" + PROVIDER + ", base model " + BASE_MODEL
                        + "): nothing to create"
                : "   created assistant " + a.name() + " (" + PROVIDER + ", base model " + BASE_MODEL + ")");

        int known = a.modelVersions().size();
        int imported = 0;
        int[] numbers = new int[PLACEHOLDER_IDS.size()];
        for (int i = 0; i < numbers.length; i++) {
            String id = PLACEHOLDER_IDS.get(i);
            ModelVersion v = a.importModel(PROVIDER, id, BASE_MODEL,
                    "quickstart placeholder " + (i + 1) + " (imported example id, not a real model)");
            numbers[i] = v.number();
            boolean created = v.number() > known;
            imported += created ? 1 : 0;
            out.println(created
                    ? "   imported " + id + " as model v" + v.number()
                    : "   " + id + " is already model v" + v.number() + ": no new version");
        }
        doc.put("versions_imported", imported);
        doc.put("note", String.join(" ", PLACEHOLDERS));
        PLACEHOLDERS.forEach(l -> out.println("   " + l));

        int first = numbers[0];
        int second = numbers[1];
        ArrayNode steps = doc.putArray("steps");
        Selection live = a.selection();
        if (live.activeModelVersion().equals(OptionalInt.of(first))) {
            out.println("   the selection is already where this walk ends (" + live.describe() + "): no change made");
        } else {
            Change change = Change.by(actor, "quickstart: the first model");
            step(out, steps, "activate", first, live, () -> a.activate(first, change));
            live = a.selection();
            Change next = Change.by(actor, "quickstart: try the second model");
            step(out, steps, "activate", second, live, () -> a.activate(second, next));
            live = a.selection();
            Change back = Change.by(actor, "quickstart: the second model is worse, back to the first");
            step(out, steps, "rollback", 0, live, () -> a.rollback(back));
            live = a.selection();
        }
        doc.set("selection", JsonDocs.selection(live));
        doc.set("versions", VersionsCommand.json(a.name(), a.modelVersions(), live).get("versions"));

        out.println();
        out.println("8. The timeline of " + a.name() + ": every selection change, who made it and why");
        List<TimelineEntry> entries;
        try (Stream<TimelineEntry> timeline = a.timeline()) {
            entries = timeline.toList();
        }
        StringWriter table = new StringWriter();
        TimelineCommand.print(new PrintWriter(table), a.name(), entries);
        table.toString().lines().forEach(l -> out.println("   " + l));
        doc.set("timeline", TimelineCommand.json(a.name(), entries).get("entries"));
        return doc;
    }

    private static void step(PrintWriter out, ArrayNode steps, String action, int version, Selection before,
            Supplier<Selection> change) {
        Selection after = Assistants.attempt(change);
        boolean changed = after.revision() != before.revision();
        ObjectNode s = steps.addObject();
        s.put("action", action);
        if (version == 0) {
            s.putNull("version");
        } else {
            s.put("version", version);
        }
        s.put("changed", changed);
        s.set("selection", JsonDocs.selection(after));
        String what = action + (version == 0 ? "" : " v" + version);
        out.printf("   %-12s now: %s (revision %d%s)%n", what, after.describe(), after.revision(),
                changed ? "" : ", unchanged");
    }
}
