package dev.finetune4j.internal.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.migration.MigrationStep;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The stored form of a {@link Migration}: one JSON record per revision, parsed whole or reported corrupt. */
final class MigrationRecord {

    private MigrationRecord() {}

    static String toJson(Migration m) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", m.id());
        n.put("assistant", m.assistant());
        n.put("source_version", m.sourceVersion());
        n.put("provider", m.provider());
        n.put("base_model", m.baseModel());
        n.put("stage", m.stage().name());
        n.put("baseline", m.baselineId());
        n.put("job", m.jobId());
        n.put("target_version", m.targetVersion());
        n.put("verdict", m.verdict());
        n.put("created_at", m.createdAt().toString());
        n.put("updated_at", m.updatedAt().toString());
        ArrayNode steps = n.putArray("steps");
        for (MigrationStep s : m.steps()) {
            ObjectNode sn = steps.addObject();
            sn.put("stage", s.stage().name());
            sn.put("at", s.at().toString());
            sn.put("note", s.note());
        }
        return n.toString();
    }

    static Migration fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            List<MigrationStep> steps = new ArrayList<>();
            for (JsonNode s : required(n, "steps")) {
                steps.add(new MigrationStep(MigrationStage.valueOf(required(s, "stage").asText()),
                        Instant.parse(required(s, "at").asText()), required(s, "note").asText()));
            }
            return new Migration(required(n, "id").asText(), required(n, "assistant").asText(),
                    required(n, "source_version").asInt(), required(n, "provider").asText(),
                    required(n, "base_model").asText(), MigrationStage.valueOf(required(n, "stage").asText()),
                    required(n, "baseline").asText(), required(n, "job").asText(),
                    required(n, "target_version").asInt(), required(n, "verdict").asText(), steps,
                    Instant.parse(required(n, "created_at").asText()), Instant.parse(required(n, "updated_at").asText()));
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptDataException(where, "migration record " + where + " is corrupt: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }
}
