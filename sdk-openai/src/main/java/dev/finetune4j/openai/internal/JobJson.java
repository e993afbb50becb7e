package dev.finetune4j.openai.internal;

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
import dev.finetune4j.spi.kit.ProviderJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire form of OpenAI fine-tuning: the body of {@code POST /fine_tuning/jobs} and the parsing
 * of {@code FineTuningJob}, {@code FineTuningJobEvent} and {@code FineTuningJobCheckpoint}
 * objects. Parsing is lenient: unknown fields are ignored and every optional field may be missing
 * or {@code null}. Stateless and thread-safe.
 */
public final class JobJson {

    /** The metadata key holding our job id (the tag the core finds a job by). */
    public static final String TAG_KEY = "finetune4j_job";

    /** The metadata key holding the assistant's name. */
    public static final String ASSISTANT_KEY = "finetune4j_assistant";

    /** The longest {@code suffix} OpenAI accepts. */
    public static final int MAX_SUFFIX_LENGTH = 64;

    /** The longest metadata value OpenAI accepts. */
    public static final int MAX_METADATA_VALUE_LENGTH = 512;

    private static final String PROVIDER = "openai";

    private JobJson() {}

    /**
     * The body of {@code POST /fine_tuning/jobs}: a supervised job with only the hyper-parameters
     * that are set (the rest stay OpenAI's {@code auto}), the seed, the suffix and our tag in
     * {@code metadata}.
     *
     * @throws IllegalArgumentException for what OpenAI cannot take: a suffix longer than 64
     *     characters, an absolute learning rate, {@code start = false}, provider options
     */
    public static ObjectNode createBody(JobRequest request) {
        check(request);
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        body.put("model", request.baseModel());
        body.put("training_file", request.data().trainingRef());
        request.data().validation().ifPresent(v -> body.put("validation_file", v));
        Hyperparameters h = request.hyperparameters();
        ObjectNode hp = ProviderJson.mapper().createObjectNode();
        h.epochs().ifPresent(v -> hp.put("n_epochs", v));
        h.batchSize().ifPresent(v -> hp.put("batch_size", v));
        h.learningRateMultiplier().ifPresent(v -> hp.put("learning_rate_multiplier", v));
        ObjectNode method = body.putObject("method");
        method.put("type", "supervised");
        if (!hp.isEmpty()) {
            method.putObject("supervised").set("hyperparameters", hp);
        }
        if (request.suffix() != null) {
            body.put("suffix", request.suffix());
        }
        h.seed().ifPresent(v -> body.put("seed", v));
        ObjectNode metadata = body.putObject("metadata");
        metadata.put(TAG_KEY, request.tag());
        metadata.put(ASSISTANT_KEY, request.assistant());
        return body;
    }

    private static void check(JobRequest request) {
        String suffix = request.suffix();
        if (suffix != null) {
            if (suffix.isEmpty()) {
                throw new IllegalArgumentException("suffix is empty; give openai 1 to " + MAX_SUFFIX_LENGTH
                        + " characters or no suffix");
            }
            if (suffix.length() > MAX_SUFFIX_LENGTH) {
                throw new IllegalArgumentException("suffix '" + suffix + "' has " + suffix.length()
                        + " characters; openai allows at most " + MAX_SUFFIX_LENGTH);
            }
        }
        if (request.hyperparameters().learningRate().isPresent()) {
            throw new IllegalArgumentException("openai takes no absolute learning rate (learningRate "
                    + request.hyperparameters().learningRate().getAsDouble()
                    + "); set learningRateMultiplier instead (1.0 = OpenAI's own rate)");
        }
        if (!request.start()) {
            throw new IllegalArgumentException("openai has no cost preview: a job starts training when it is "
                    + "created; submit it with start(true)");
        }
        if (!request.options().isEmpty()) {
            throw new IllegalArgumentException("openai takes no provider options; got " + request.options().keySet());
        }
        for (Map.Entry<String, String> e : Map.of(TAG_KEY, request.tag(), ASSISTANT_KEY, request.assistant())
                .entrySet()) {
            if (e.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
                throw new IllegalArgumentException("metadata " + e.getKey() + " has " + e.getValue().length()
                        + " characters; openai allows at most " + MAX_METADATA_VALUE_LENGTH);
            }
        }
    }

    /**
     * The normalised status of an OpenAI status string. {@code paused} (returned by the pause
     * endpoint though missing from OpenAI's schema) is {@link JobStatus#PAUSED}; anything unknown is
     * {@link JobStatus#UNKNOWN}.
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
     * A {@code fine_tuning.job} object as a {@link RemoteJob}.
     *
     * @throws ProviderException when the object has no {@code id}
     */
    public static RemoteJob job(JsonNode job) {
        String id = text(job, "id");
        if (id == null) {
            throw unexpected("a fine-tuning job without an id", job);
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
    public static JobEvent event(JsonNode event) {
        String id = text(event, "id");
        if (id == null) {
            throw unexpected("a fine-tuning event without an id", event);
        }
        Instant at = instant(event.get("created_at"));
        String level = text(event, "level");
        String message = text(event, "message");
        Map<String, Double> metrics = "metrics".equals(text(event, "type")) ? numbers(event.get("data")) : Map.of();
        return new JobEvent(id, at == null ? Instant.EPOCH : at, level == null ? "info" : level,
                message == null ? "" : message, metrics);
    }

    /** A {@code fine_tuning.job.checkpoint} as a metric point at its {@code step_number}. */
    public static MetricPoint checkpoint(JsonNode checkpoint) {
        JsonNode step = checkpoint.get("step_number");
        if (step == null || !step.isNumber()) {
            step = checkpoint.path("metrics").get("step");
        }
        if (step == null || !step.isNumber()) {
            throw unexpected("a checkpoint without a step_number", checkpoint);
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
    public static ProviderException unexpected(String what, JsonNode body) {
        return unexpected(what, body == null ? "" : body.toString());
    }

    /** The same for an answer's raw text. */
    public static ProviderException unexpected(String what, String raw) {
        String shown = raw.length() > 300 ? raw.substring(0, 300) + "…" : raw;
        return new ProviderException(PROVIDER + " returned " + what + ": " + shown, PROVIDER, 200, null, null, raw,
                false);
    }
}
