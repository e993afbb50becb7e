package dev.finetune4j.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ProviderException;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire form of OpenAI's fine-tuning protocol, which Azure OpenAI and other OpenAI-shaped
 * services copy: the supervised body of {@code POST /fine_tuning/jobs} and the parsing of {@code
 * fine_tuning.job}, {@code fine_tuning.job.event} and {@code fine_tuning.job.checkpoint} objects.
 * Parsing is lenient: unknown fields are ignored and every optional field may be missing or
 * {@code null}. Used by {@link dev.finetune4j.spi.kit.OpenAiCompatibleTraining}. Stateless and
 * thread-safe.
 */
public final class FineTuningJson {

    /** The metadata key holding our job id (the tag the core finds a job by). */
    public static final String TAG_KEY = "finetune4j_job";

    /** The metadata key holding the assistant's name. */
    public static final String ASSISTANT_KEY = "finetune4j_assistant";

    private FineTuningJson() {}

    /**
     * The body of {@code POST /fine_tuning/jobs}: a supervised job with only the hyper-parameters
     * that are set (the rest stay the service's {@code auto}), the seed and the suffix; our tag and
     * the assistant in {@code metadata} when {@code metadata} is true.
     *
     * @param suffix the suffix to send, or null
     */
    public static ObjectNode createBody(JobRequest request, String suffix, boolean metadata) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", request.baseModel());
        body.put("training_file", request.data().trainingRef());
        request.data().validation().ifPresent(v -> body.put("validation_file", v));
        Hyperparameters h = request.hyperparameters();
        ObjectNode hp = Json.mapper().createObjectNode();
        h.epochs().ifPresent(v -> hp.put("n_epochs", v));
        h.batchSize().ifPresent(v -> hp.put("batch_size", v));
        h.learningRateMultiplier().ifPresent(v -> hp.put("learning_rate_multiplier", v));
        ObjectNode method = body.putObject("method");
        method.put("type", "supervised");
        if (!hp.isEmpty()) {
            method.putObject("supervised").set("hyperparameters", hp);
        }
        if (suffix != null) {
            body.put("suffix", suffix);
        }
        h.seed().ifPresent(v -> body.put("seed", v));
        if (metadata) {
            ObjectNode md = body.putObject("metadata");
            md.put(TAG_KEY, request.tag());
            md.put(ASSISTANT_KEY, request.assistant());
        }
        return body;
    }

    /**
     * The normalised status of an OpenAI-protocol status string. {@code paused} (returned by the
     * pause endpoint though missing from OpenAI's schema) is {@link JobStatus#PAUSED}; anything
     * unknown is {@link JobStatus#UNKNOWN}, which the core keeps polling.
     */
    public static JobStatus status(String raw) {
        return switch (raw == null ? "" : raw) {
            case "validating_files" -> JobStatus.VALIDATING;
            case "queued" -> JobStatus.QUEUED;
            case "running" -> JobStatus.RUNNING;
            case "paused" -> JobStatus.PAUSED;
            case "succeeded" -> JobStatus.SUCCEEDED;
            case "failed" -> JobStatus.FAILED;
            case "cancelled" -> JobStatus.CANCELLED;
            default -> JobStatus.UNKNOWN;
        };
    }

    /**
     * A {@code fine_tuning.job} object as a {@link RemoteJob}, its tag read from {@code
     * metadata.finetune4j_job}.
     *
     * @throws ProviderException when the object has no {@code id}
     */
    public static RemoteJob job(String provider, JsonNode job) {
        String id = text(job, "id");
        if (id == null) {
            throw unexpected(provider, "a fine-tuning job without an id", job);
        }
        String raw = text(job, "status");
        RemoteJob.Builder b = RemoteJob.builder(id, status(raw), raw == null ? "" : raw)
                .baseModel(text(job, "model"))
                .fineTunedModel(text(job, "fine_tuned_model"))
                .error(error(job.get("error")))
                .createdAt(instant(job.get("created_at")))
                .finishedAt(instant(job.get("finished_at")))
                .tag(text(job.path("metadata"), TAG_KEY));
        JsonNode tokens = job.get("trained_tokens");
        if (tokens != null && tokens.isNumber()) {
            b.trainedTokens(tokens.asLong());
        }
        Instant created = instant(job.get("created_at"));
        Instant estimated = instant(job.get("estimated_finish"));
        if (created != null && estimated != null && estimated.isAfter(created)) {
            b.expectedDuration(Duration.between(created, estimated));
        }
        hyperparameters(job).forEach(b::hyperparameter);
        JsonNode seed = job.get("seed");
        if (seed != null && seed.isNumber()) {
            b.hyperparameter("seed", seed.asText());
        }
        return b.build();
    }

    /**
     * The resolved hyper-parameters: those under {@code method.<type>.hyperparameters}, completed by
     * the deprecated top-level {@code hyperparameters} (which may be null). Values still {@code auto}
     * are left out: they are not resolved yet.
     */
    static Map<String, String> hyperparameters(JsonNode job) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode method = job.path("method");
        String type = text(method, "type");
        if (type != null) {
            putResolved(out, method.path(type).path("hyperparameters"));
        }
        putResolved(out, job.path("hyperparameters"));
        return out;
    }

    private static void putResolved(Map<String, String> out, JsonNode hp) {
        if (!hp.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = hp.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            String value = v.isNumber() ? v.asText() : v.isTextual() && !"auto".equals(v.asText()) ? v.asText() : null;
            if (value != null) {
                out.putIfAbsent(f.getKey(), value);
            }
        }
    }

    /** The job's error, or null when there is none (absent, null, or an object of nulls). */
    static JobError error(JsonNode error) {
        if (error == null || !error.isObject()) {
            return null;
        }
        String code = text(error, "code");
        String message = text(error, "message");
        String param = text(error, "param");
        if (code == null && message == null && param == null) {
            return null;
        }
        return new JobError(code == null ? "" : code, message == null ? "" : message, param == null ? "" : param);
    }

    /** A {@code fine_tuning.job.event}; the numbers of a metrics event's {@code data} become its metrics. */
    public static JobEvent event(String provider, JsonNode event) {
        String id = text(event, "id");
        if (id == null) {
            throw unexpected(provider, "a fine-tuning event without an id", event);
        }
        Instant at = instant(event.get("created_at"));
        String level = text(event, "level");
        String message = text(event, "message");
        Map<String, Double> metrics = "metrics".equals(text(event, "type")) ? numbers(event.get("data")) : Map.of();
        return new JobEvent(id, at == null ? Instant.EPOCH : at, level == null ? "info" : level,
                message == null ? "" : message, metrics);
    }

    /** A {@code fine_tuning.job.checkpoint} as a metric point at its {@code step_number}. */
    public static MetricPoint checkpoint(String provider, JsonNode checkpoint) {
        JsonNode step = checkpoint.get("step_number");
        if (step == null || !step.isNumber()) {
            step = checkpoint.path("metrics").get("step");
        }
        if (step == null || !step.isNumber()) {
            throw unexpected(provider, "a checkpoint without a step_number", checkpoint);
        }
        return new MetricPoint(step.asLong(), numbers(checkpoint.get("metrics")));
    }

    /** The numeric members of an object (others are skipped). */
    static Map<String, Double> numbers(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber()) {
                    out.put(f.getKey(), f.getValue().asDouble());
                }
            });
        }
        return out;
    }

    /** A string member, or null when it is absent, null or not a string. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Instant instant(JsonNode seconds) {
        return seconds != null && seconds.isNumber() ? Instant.ofEpochSecond(seconds.asLong()) : null;
    }

    /** An answer that parsed as JSON but lacks what every such object has. */
    public static ProviderException unexpected(String provider, String what, JsonNode body) {
        String raw = body == null ? "" : body.toString();
        String shown = raw.length() > 300 ? raw.substring(0, 300) + "…" : raw;
        return new ProviderException(provider + " returned " + what + ": " + shown, provider, 200, null, null, raw,
                false);
    }
}
