package dev.finetune4j.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.ValidationIssue;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Builds the {@code --json} documents. Field names are snake_case and stable: scripts depend on
 * them, so a rename is a breaking change.
 */
final class JsonDocs {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    /** Two-space indentation, {@code "key": value}, and {@code []} / {@code {}} when empty. */
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    private JsonDocs() {}

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultPrettyPrinter p = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator(""));
        DefaultIndenter lines = new DefaultIndenter("  ", "\n");
        p.indentArraysWith(lines);
        p.indentObjectsWith(lines);
        return p;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The document as pretty-printed text, without a trailing line break. */
    static String write(ObjectNode doc) {
        try {
            return WRITER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** {@code [{"line", "code", "message"}]} for a list of issues. */
    static ArrayNode issues(List<ValidationIssue> issues) {
        ArrayNode array = array();
        for (ValidationIssue i : issues) {
            array.addObject()
                    .put("line", i.line())
                    .put("code", i.code().code())
                    .put("message", i.message());
        }
        return array;
    }

    /** The fields describing one dataset version, as {@code dataset log} lists them. */
    static ObjectNode version(DatasetVersion v) {
        ObjectNode o = object();
        o.put("number", v.number());
        o.put("id", v.id());
        o.put("parent", v.parentId().orElse(null));
        o.put("created_at", v.createdAt().toString());
        o.put("examples", v.examples());
        o.put("added", v.added());
        o.put("removed", v.removed());
        o.put("note", v.note().orElse(null));
        return o;
    }

    /**
     * {@code {"active_model_version","active_prompt_version","candidate_model_version","candidate_share",
     * "base_model","provider","revision","fallbacks"}}; the version numbers are null when none is selected;
     * {@code fallbacks} is the chain, {@code [{"model_version","until"}]} (0 = the base model, {@code until}
     * null for no end), empty for the default chain (the base model alone).
     */
    static ObjectNode selection(Selection s) {
        ObjectNode o = object();
        putNumber(o, "active_model_version", s.activeModelVersion());
        putNumber(o, "active_prompt_version", s.activePromptVersion());
        putNumber(o, "candidate_model_version", s.candidateModelVersion());
        o.put("candidate_share", s.candidateShare());
        o.put("base_model", s.baseModel());
        o.put("provider", s.provider());
        o.put("revision", s.revision());
        ArrayNode chain = o.putArray("fallbacks");
        for (Fallback f : s.fallbacks()) {
            ObjectNode fo = chain.addObject();
            fo.put("model_version", f.modelVersion());
            fo.put("until", f.until().equals(java.time.LocalDate.MAX) ? null : f.until().toString());
        }
        return o;
    }

    /**
     * One model version as {@code versions} lists it: {@code {"number","provider","provider_model_id",
     * "base_model","state","active","candidate","dataset_version","job_id","created_at","metrics","cost",
     * "note","migrated_from"}}; {@code migrated_from} is the version it replaced in a migration, else null.
     *
     * @param live the current selection, which decides {@code active} and {@code candidate}
     */
    static ObjectNode modelVersion(ModelVersion v, Selection live) {
        ObjectNode o = object();
        o.put("number", v.number());
        o.put("provider", v.provider());
        o.put("provider_model_id", v.providerModelId());
        o.put("base_model", v.baseModel());
        o.put("state", lower(v.state()));
        o.put("active", live.activeModelVersion().equals(OptionalInt.of(v.number())));
        o.put("candidate", live.candidateModelVersion().equals(OptionalInt.of(v.number())));
        o.put("dataset_version", datasetVersion(v));
        o.put("job_id", v.jobId().orElse(null));
        o.put("created_at", v.createdAt().toString());
        ObjectNode metrics = o.putObject("metrics");
        v.metrics().values().forEach(metrics::put);
        if (v.cost().isPresent()) {
            o.putObject("cost")
                    .put("amount", v.cost().get().amount())
                    .put("currency", v.cost().get().currency());
        } else {
            o.putNull("cost");
        }
        o.put("note", v.note().orElse(null));
        putNumber(o, "migrated_from", v.migratedFrom());
        return o;
    }

    /** The dataset version a model version was trained on, {@code avatar-42/main@3}; null when unknown. */
    static String datasetVersion(ModelVersion v) {
        return v.trainedOn().map(t -> t.dataset() + "@" + t.versionNumber()).orElse(null);
    }

    /**
     * One prompt version as {@code prompts} lists it: {@code {"number","note","created_at","few_shot",
     * "system_prompt_chars","active"}}; {@code few_shot} is the number of few-shot examples.
     */
    static ObjectNode promptVersion(PromptVersion p, Selection live) {
        ObjectNode o = object();
        o.put("number", p.number());
        o.put("note", p.note().orElse(null));
        o.put("created_at", p.createdAt().toString());
        o.put("few_shot", p.fewShot().size());
        o.put("system_prompt_chars", p.systemPrompt().length());
        o.put("active", live.activePromptVersion().equals(OptionalInt.of(p.number())));
        return o;
    }

    /**
     * One timeline entry: {@code {"at","actor","reason","action","version","before","after"}};
     * {@code version} is null when the action names none, and for {@code rollback} is the revision
     * whose selection was restored.
     */
    static ObjectNode timelineEntry(TimelineEntry e) {
        ObjectNode o = object();
        o.put("at", e.at().toString());
        o.put("actor", e.actor());
        o.put("reason", e.reason());
        o.put("action", lower(e.action()));
        if (e.version() == 0) {
            o.putNull("version");
        } else {
            o.put("version", e.version());
        }
        o.set("before", selection(e.before()));
        o.set("after", selection(e.after()));
        return o;
    }

    /** An enum constant as a stable snake_case id: {@code ACTIVATE_PROMPT} becomes {@code activate_prompt}. */
    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static void putNumber(ObjectNode o, String field, OptionalInt value) {
        if (value.isPresent()) {
            o.put(field, value.getAsInt());
        } else {
            o.putNull(field);
        }
    }

    /** {@code {"error": {"type", "message", "exit_code"}}}: the document of a failed command. */
    static ObjectNode error(String type, String message, int exitCode) {
        ObjectNode doc = object();
        doc.putObject("error")
                .put("type", type)
                .put("message", message)
                .put("exit_code", exitCode);
        return doc;
    }
}
