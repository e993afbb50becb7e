package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.cost.Money;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.together.TogetherCheckpoint;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Together's answers about jobs ({@code FinetuneResponse} and its truncated form, {@code
 * FineTuneEvent}, checkpoints, metrics), field for field as Together's API reference and its Python
 * client name them, tolerant of what differs between the two (event types and levels in either
 * case, {@code trainingfile_numlines} or {@code TrainingFileNumLines}).
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><th>Together</th><th>finetune4j</th></tr>
 *   <tr><td>{@code pending}, {@code queued}</td><td>QUEUED</td></tr>
 *   <tr><td>{@code running}, {@code compressing}, {@code uploading}</td><td>RUNNING</td></tr>
 *   <tr><td>{@code cancel_requested}, {@code cancelled}</td><td>CANCELLED (nothing more will be trained)</td></tr>
 *   <tr><td>{@code error}, {@code user_error} (the clients' own; not in the API reference)</td><td>FAILED</td></tr>
 *   <tr><td>{@code completed}</td><td>SUCCEEDED</td></tr>
 *   <tr><td>anything else</td><td>UNKNOWN, the raw status kept</td></tr>
 * </table>
 *
 * Money: a job's {@code total_price} is an integer of nano-dollars (together-python's CLI divides it
 * by 10^9). Stateless.
 */
public final class JobJson {

    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(9);

    private JobJson() {}

    /** The normalised status of Together's raw one. */
    public static JobStatus status(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "pending", "queued" -> JobStatus.QUEUED;
            case "running", "compressing", "uploading" -> JobStatus.RUNNING;
            case "cancel_requested", "cancelled" -> JobStatus.CANCELLED;
            case "error", "user_error" -> JobStatus.FAILED;
            case "completed" -> JobStatus.SUCCEEDED;
            default -> JobStatus.UNKNOWN;
        };
    }

    /** A job, from the full or the truncated answer. */
    public static RemoteJob job(JsonNode j) {
        String raw = text(j, "status");
        JobStatus status = status(raw == null ? "" : raw);
        RemoteJob.Builder b = RemoteJob.builder(text(j, "id") == null ? "" : text(j, "id"), status,
                raw == null ? "" : raw);
        b.baseModel(text(j, "model"));
        if (status == JobStatus.SUCCEEDED) {
            b.fineTunedModel(text(j, "model_output_name"));
        }
        long tokens = j.path("token_count").asLong(0);
        if (tokens > 0) {
            b.trainedTokens(tokens);
        }
        long nanoDollars = j.path("total_price").asLong(0);
        if (nanoDollars > 0) {
            b.costPreview(new Money(BigDecimal.valueOf(nanoDollars).multiply(NANO), "USD"));
        }
        b.createdAt(time(j.get("created_at")));
        if (status.isTerminal()) {
            b.finishedAt(time(j.get("updated_at")));
        }
        JsonNode progress = j.path("progress");
        if (progress.path("estimate_available").asBoolean(false) && progress.path("seconds_remaining").asLong(0) > 0) {
            b.expectedDuration(Duration.ofSeconds(progress.path("seconds_remaining").asLong()));
        }
        if (status == JobStatus.FAILED) {
            b.error(error(raw, j.path("events")));
        }
        hyperparameters(j, b);
        return b.build();
    }

    private static void hyperparameters(JsonNode j, RemoteJob.Builder b) {
        for (String field : List.of("n_epochs", "batch_size", "learning_rate", "n_checkpoints", "n_evals",
                "warmup_ratio", "max_grad_norm", "weight_decay", "random_seed", "from_checkpoint")) {
            JsonNode v = j.get(field);
            if (v != null && !v.isNull() && !v.isContainerNode() && !v.asText().isEmpty()) {
                b.hyperparameter(field, v.asText());
            }
        }
        JsonNode type = j.path("training_type");
        String kind = text(type, "type");
        if (kind != null) {
            b.hyperparameter("training_type", kind.isEmpty() ? "Full" : kind);
            for (String field : List.of("lora_r", "lora_alpha", "lora_dropout", "lora_trainable_modules")) {
                if (type.hasNonNull(field)) {
                    b.hyperparameter(field, type.get(field).asText());
                }
            }
        }
    }

    /** Why a job failed: its last error event, as Together wrote it. */
    private static JobError error(String raw, JsonNode events) {
        String message = null;
        for (JsonNode e : events) {
            String type = lower(text(e, "type"));
            String level = lower(text(e, "level"));
            if (type.contains("error") || level.contains("error")) {
                message = text(e, "message");
            }
        }
        return new JobError(raw, message == null || message.isBlank()
                ? "Together reports the job as " + raw + " and gave no message" : message, "");
    }

    /** Events, in Together's order (oldest first), each numbered by its position. */
    public static List<JobEvent> events(JsonNode data, int from) {
        List<JobEvent> out = new ArrayList<>();
        for (int i = from; i < data.size(); i++) {
            JsonNode e = data.get(i);
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String field : List.of("step", "total_steps", "token_count", "param_count")) {
                JsonNode v = e.get(field);
                if (v != null && v.isNumber() && v.asDouble() > 0) {
                    metrics.put(field, v.asDouble());
                }
            }
            String message = text(e, "message");
            String type = text(e, "type");
            Instant at = time(e.get("created_at"));
            out.add(new JobEvent(Integer.toString(i), at == null ? Instant.EPOCH : at, level(text(e, "level"), type),
                    message == null || message.isEmpty() ? (type == null ? "" : type) : message, metrics));
        }
        return out;
    }

    private static String level(String level, String type) {
        String l = lower(level);
        if (l.contains("error") || lower(type).contains("error")) {
            return "error";
        }
        return l.contains("warn") || lower(type).equals("warning") ? "warn" : "info";
    }

    /**
     * Metrics by step ({@code GET /fine-tunes/{id}/metrics}): each snapshot is a flat map such as
     * {@code {"train/loss": 0.5, "train/global_step": 7}}; names become finetune4j's ({@code
     * train/loss} to {@code train_loss}, {@code eval/loss} to {@code valid_loss}), snapshots of one
     * step merge, steps ascend.
     */
    public static List<MetricPoint> metrics(JsonNode answer) {
        Map<Long, Map<String, Double>> bySteps = new TreeMap<>();
        for (JsonNode snapshot : answer.path("metrics")) {
            Long step = null;
            Map<String, Double> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isNumber()) {
                    continue;
                }
                if (f.getKey().endsWith("global_step")) {
                    step = f.getValue().asLong();
                } else {
                    values.put(metricName(f.getKey()), f.getValue().asDouble());
                }
            }
            if (step != null && !values.isEmpty()) {
                bySteps.computeIfAbsent(step, s -> new LinkedHashMap<>()).putAll(values);
            }
        }
        List<MetricPoint> points = new ArrayList<>();
        bySteps.forEach((step, values) -> points.add(new MetricPoint(step, values)));
        return points;
    }

    static String metricName(String name) {
        String n = name.startsWith("eval/") ? "valid/" + name.substring("eval/".length()) : name;
        return n.replace('/', '_');
    }

    /** Checkpoints, newest first, named as Together's clients name them ({@code JOB:STEP} for intermediate ones). */
    public static List<TogetherCheckpoint> checkpoints(JsonNode answer, String jobId) {
        List<TogetherCheckpoint> out = new ArrayList<>();
        for (JsonNode c : answer.path("data")) {
            String type = text(c, "checkpoint_type") == null ? "" : text(c, "checkpoint_type");
            long step = c.path("step").asLong(0);
            Instant at = time(c.get("created_at"));
            out.add(new TogetherCheckpoint(step, at == null ? Instant.EPOCH : at, type,
                    lower(type).contains("intermediate") ? jobId + ":" + step : jobId));
        }
        out.sort(Comparator.comparing(TogetherCheckpoint::createdAt).reversed());
        return out;
    }

    /** A timestamp: ISO-8601 text (with or without zone, as Together writes them) or epoch seconds. */
    public static Instant time(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return Instant.ofEpochSecond(n.asLong());
        }
        String s = n.asText().strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** A text field, or null when absent or null. */
    public static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
