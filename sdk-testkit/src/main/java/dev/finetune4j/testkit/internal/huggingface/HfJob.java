package dev.finetune4j.testkit.internal.huggingface;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Jobs-API job: its spec as sent, its stage, and what its command says (the trainer's flags).
 * Scheduled when created, so it needs no validation step. Guarded by {@link HuggingFaceApi}.
 */
final class HfJob extends JobRun {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELED", "ERROR", "DELETED");

    final ObjectNode spec;
    final List<String> args = new ArrayList<>();
    String stage = "SCHEDULING";
    String message;
    String errorCode;
    Instant startedAt;
    Instant finishedAt;
    String dataProblem;

    HfJob(String id, Instant createdAt, ObjectNode spec, Failure scripted) {
        super(id, createdAt, scripted);
        this.spec = spec;
        spec.path("command").forEach(n -> args.add(n.asText()));
        spec.path("arguments").forEach(n -> args.add(n.asText()));
        acceptedOnCreation();
    }

    @Override
    public boolean terminal() {
        return TERMINAL.contains(stage);
    }

    /** The value of a command-line flag ({@code --name value} or {@code --name=value}, the last wins), or null. */
    String flag(String name) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                value = args.get(i + 1);
            } else if (args.get(i).startsWith(name + "=")) {
                value = args.get(i).substring(name.length() + 1);
            }
        }
        return value;
    }

    String flag(String name, String dflt) {
        String v = flag(name);
        return v == null ? dflt : v;
    }

    /**
     * The words after a flag that takes a list ({@code --name a b c}, up to the next {@code --} flag; the last
     * occurrence wins), or an empty list when the flag is absent.
     */
    List<String> words(String name) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name)) {
                words.clear();
                for (int j = i + 1; j < args.size() && !args.get(j).startsWith("--"); j++) {
                    words.add(args.get(j));
                }
            } else if (args.get(i).startsWith(name + "=")) {
                words.clear();
                words.add(args.get(i).substring(name.length() + 1));
            }
        }
        return words;
    }

    int intFlag(String name, int dflt) {
        try {
            return Integer.parseInt(flag(name, String.valueOf(dflt)).trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public EmulatedJob snapshot() {
        String repo = flag("--dataset_name");
        String at = repo + "@" + flag("--dataset_revision", "main") + ":";
        List<String> files = repo == null ? List.of() : List.of(at + flag("--train_file", "train.jsonl"));
        String validation = repo == null || flag("--validation_file") == null ? null : at + flag("--validation_file");
        Map<String, String> labels = new LinkedHashMap<>();
        spec.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        boolean error = stage.equals("ERROR");
        return new EmulatedJob(id, flag("--model_name_or_path", ""), stage, files, validation, null, labels,
                stage.equals("COMPLETED") ? flag("--hub_model_id") : null, error ? errorCode : null,
                error ? message : null, null, createdAt);
    }

    /** The job object as {@code GET /api/jobs/{namespace}/{id}} answers it. */
    ObjectNode toJson(String namespace) {
        ObjectNode o = Jsons.object();
        o.put("id", id);
        o.put("createdAt", createdAt.toString());
        o.put("startedAt", startedAt == null ? null : startedAt.toString());
        o.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        if (spec.has("dockerImage")) {
            o.put("dockerImage", spec.get("dockerImage").asText());
        } else {
            o.put("spaceId", spec.get("spaceId").asText());
        }
        ObjectNode owner = o.putObject("owner").put("id", "emulated-user").put("name", namespace).put("type", "user");
        o.set("initiator", owner.deepCopy());
        o.set("command", spec.path("command").deepCopy());
        o.set("arguments", spec.has("arguments") ? spec.get("arguments").deepCopy() : Jsons.array());
        o.set("environment", spec.has("environment") ? spec.get("environment").deepCopy() : Jsons.object());
        ArrayNode secrets = o.putArray("secrets");
        spec.path("secrets").fieldNames().forEachRemaining(secrets::add);
        o.put("flavor", spec.path("flavor").asText("cpu-basic"));
        if (spec.has("timeoutSeconds")) {
            o.put("timeoutSeconds", spec.get("timeoutSeconds").asLong());
        }
        o.set("labels", spec.has("labels") ? spec.get("labels").deepCopy() : Jsons.object());
        ObjectNode status = o.putObject("status").put("stage", stage).put("message", message);
        status.putArray("exposeUrls");
        status.putNull("sshUrl");
        return o;
    }
}
