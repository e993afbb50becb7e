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
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.ValidationIssue;
import java.util.List;

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
