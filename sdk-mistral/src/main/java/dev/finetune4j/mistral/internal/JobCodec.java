package dev.finetune4j.mistral.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.cost.Money;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.mistral.MistralProvider;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mistral's fine-tuning job JSON, both ways: the {@code JobIn} body of {@code POST
 * /v1/fine_tuning/jobs} built from a {@link JobRequest}, and the (detailed) job object read into a
 * {@link RemoteJob}, its {@code events} into {@link JobEvent}s and its {@code checkpoints} into
 * {@link MetricPoint}s.
 *
 * <h2>Statuses</h2>
 *
 * All ten of Mistral's statuses are mapped; anything else is {@link JobStatus#UNKNOWN} with the raw
 * string kept:
 *
 * <table>
 *   <caption>Mistral status to {@link JobStatus}</caption>
 *   <tr><th>Mistral</th><th>normalised</th><th>why</th></tr>
 *   <tr><td>{@code QUEUED}</td><td>QUEUED</td><td>accepted, waiting</td></tr>
 *   <tr><td>{@code STARTED}</td><td>RUNNING</td><td>reported once the job was started ({@code auto_start}
 *       or {@code /start}); a host app that saw QUEUED here could call start twice</td></tr>
 *   <tr><td>{@code VALIDATING}</td><td>VALIDATING</td><td></td></tr>
 *   <tr><td>{@code VALIDATED}</td><td>QUEUED</td><td>priced and waiting, for {@code /start} when created with
 *       {@code auto_start: false}</td></tr>
 *   <tr><td>{@code RUNNING}</td><td>RUNNING</td><td></td></tr>
 *   <tr><td>{@code FAILED_VALIDATION}</td><td>FAILED</td><td>with the reason as the job error</td></tr>
 *   <tr><td>{@code FAILED}</td><td>FAILED</td><td></td></tr>
 *   <tr><td>{@code SUCCESS}</td><td>SUCCEEDED</td><td></td></tr>
 *   <tr><td>{@code CANCELLED}</td><td>CANCELLED</td><td></td></tr>
 *   <tr><td>{@code CANCELLATION_REQUESTED}</td><td>CANCELLED</td><td>nothing more will be trained; the raw
 *       status says the cancellation is still being processed</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 */
public final class JobCodec {

    /** Mistral's longest {@code suffix} (OpenAPI {@code maxLength}). */
    public static final int MAX_SUFFIX_LENGTH = 18;

    /**
     * Mistral's default peak learning rate; an OpenAI-style {@code learningRateMultiplier} is sent
     * as {@code multiplier × DEFAULT_LEARNING_RATE}.
     */
    public static final double DEFAULT_LEARNING_RATE = 1e-4;

    /** The provider-specific options {@link #requestBody} understands, with the JSON field they set. */
    public static final Set<String> OPTIONS = Set.of("training_steps", "weight_decay", "warmup_fraction", "seq_len",
            "fim_ratio", "invalid_sample_skip_percentage");

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(MistralProvider.ID));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> INTEGER_OPTIONS = Set.of("training_steps", "seq_len");
    private static final List<String> REASON_KEYS = List.of("error", "error_message", "failure_reason", "reason",
            "message", "detail", "details", "errors");

    private JobCodec() {}

    // ---- request ------------------------------------------------------------------------------

    /**
     * The {@code JobIn} body for a request: {@code model}, {@code training_files} ({@code file_id},
     * {@code weight: 1.0}), {@code validation_files}, {@code hyperparameters}, {@code suffix} (our
     * tag), {@code auto_start} (the request's {@code start}), {@code job_type: "completion"}, and
     * {@code invalid_sample_skip_percentage} when given as an option.
     *
     * <p>Hyper-parameters: {@code epochs} and {@code learning_rate} from {@link Hyperparameters};
     * an OpenAI-style learning-rate multiplier becomes {@code multiplier × 1e-4} (Mistral's default)
     * unless an absolute rate is set; batch size and seed have no Mistral field and are left out with a
     * warning. The options {@code training_steps}, {@code weight_decay}, {@code warmup_fraction},
     * {@code seq_len} and {@code fim_ratio} are passed as Mistral's hyper-parameters of the same name.
     *
     * @throws IllegalArgumentException for an unknown option, an option that is not a number, a tag
     *     longer than {@value #MAX_SUFFIX_LENGTH} characters, or a multiplier whose learning rate falls
     *     outside 1e-8 to 1
     */
    public static ObjectNode requestBody(JobRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.tag().length() > MAX_SUFFIX_LENGTH) {
            throw new IllegalArgumentException("job tag '" + request.tag() + "' has " + request.tag().length()
                    + " characters; Mistral's suffix, which carries it, takes at most " + MAX_SUFFIX_LENGTH);
        }
        Map<String, JsonNode> options = options(request.options());
        ObjectNode body = NODES.objectNode();
        body.put("model", request.baseModel());
        ArrayNode training = body.putArray("training_files");
        training.addObject().put("file_id", request.data().trainingRef()).put("weight", 1.0);
        request.data().validation().ifPresent(v -> body.putArray("validation_files").add(v));
        body.set("hyperparameters", hyperparameters(request.hyperparameters(), options));
        if (request.suffix() != null && !request.suffix().equals(request.tag())) {
            LOG.warn("mistral: suffix '{}' is not sent; Mistral's suffix (at most {} characters) carries the job id {} "
                    + "so the job can be found again after a crash", request.suffix(), MAX_SUFFIX_LENGTH, request.tag());
        }
        body.put("suffix", request.tag());
        body.put("auto_start", request.start());
        body.put("job_type", "completion");
        JsonNode skip = options.get("invalid_sample_skip_percentage");
        if (skip != null) {
            body.set("invalid_sample_skip_percentage", skip);
        }
        return body;
    }

    private static Map<String, JsonNode> options(Map<String, String> raw) {
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(raw).entrySet()) {
            String name = e.getKey();
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("mistral has no job option '" + name + "'; known options: "
                        + String.join(", ", new TreeSet<>(OPTIONS)));
            }
            String value = e.getValue().strip();
            try {
                if (INTEGER_OPTIONS.contains(name)) {
                    parsed.put(name, NODES.numberNode(Integer.parseInt(value)));
                } else {
                    parsed.put(name, NODES.numberNode(new BigDecimal(value)));
                }
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException("mistral job option '" + name + "' must be "
                        + (INTEGER_OPTIONS.contains(name) ? "a whole number" : "a number") + ", was '" + value + "'",
                        notANumber);
            }
        }
        return parsed;
    }

    private static ObjectNode hyperparameters(Hyperparameters h, Map<String, JsonNode> options) {
        ObjectNode node = NODES.objectNode();
        JsonNode steps = options.get("training_steps");
        if (steps != null) {
            node.set("training_steps", steps);
        }
        if (h.learningRate().isPresent()) {
            node.put("learning_rate", h.learningRate().getAsDouble());
            if (h.learningRateMultiplier().isPresent()) {
                LOG.warn("mistral: learningRate {} is used; learningRateMultiplier {} is ignored",
                        h.learningRate().getAsDouble(), h.learningRateMultiplier().getAsDouble());
            }
        } else if (h.learningRateMultiplier().isPresent()) {
            double multiplier = h.learningRateMultiplier().getAsDouble();
            BigDecimal rate = BigDecimal.valueOf(multiplier).multiply(BigDecimal.valueOf(DEFAULT_LEARNING_RATE));
            if (rate.compareTo(new BigDecimal("1e-8")) < 0 || rate.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException("learningRateMultiplier " + multiplier + " gives a Mistral learning rate of "
                        + rate.stripTrailingZeros().toPlainString() + " (multiplier × 1e-4); Mistral accepts 1e-8 to 1");
            }
            node.put("learning_rate", rate.stripTrailingZeros());
            LOG.info("mistral: learningRateMultiplier {} sent as learning_rate {} (× Mistral's default 1e-4)", multiplier,
                    rate.stripTrailingZeros().toPlainString());
        }
        for (String name : List.of("weight_decay", "warmup_fraction")) {
            JsonNode v = options.get(name);
            if (v != null) {
                node.set(name, v);
            }
        }
        h.epochs().ifPresent(e -> node.put("epochs", e));
        for (String name : List.of("seq_len", "fim_ratio")) {
            JsonNode v = options.get(name);
            if (v != null) {
                node.set(name, v);
            }
        }
        if (h.batchSize().isPresent()) {
            LOG.warn("mistral: batchSize {} is not sent; Mistral's fine-tuning API has no batch size",
                    h.batchSize().getAsInt());
        }
        if (h.seed().isPresent()) {
            LOG.warn("mistral: seed {} is not sent; Mistral's fine-tuning API has no seed", h.seed().getAsInt());
        }
        return node;
    }

    // ---- statuses -----------------------------------------------------------------------------

    /** The normalised status of a Mistral status string (see the class comment); never null. */
    public static JobStatus status(String raw) {
        if (raw == null) {
            return JobStatus.UNKNOWN;
        }
        return switch (raw.strip().toUpperCase(Locale.ROOT)) {
            case "QUEUED", "VALIDATED" -> JobStatus.QUEUED;
            case "STARTED", "RUNNING" -> JobStatus.RUNNING;
            case "VALIDATING" -> JobStatus.VALIDATING;
            case "FAILED_VALIDATION", "FAILED" -> JobStatus.FAILED;
            case "SUCCESS" -> JobStatus.SUCCEEDED;
            case "CANCELLED", "CANCELLATION_REQUESTED" -> JobStatus.CANCELLED;
            default -> JobStatus.UNKNOWN;
        };
    }

    // ---- job ----------------------------------------------------------------------------------

    /**
     * Reads a job object ({@code CompletionJobOut} or its detailed variant).
     *
     * <ul>
     *   <li>{@code costPreview} from {@code metadata.cost} and {@code metadata.cost_currency} (both
     *       needed), {@code expectedDuration} from {@code metadata.expected_duration_seconds};
     *   <li>{@code trainedTokens} from {@code trained_tokens}, else {@code metadata.train_tokens}
     *       (the tokens Mistral priced before the job ran);
     *   <li>{@code tag} from {@code suffix}; {@code finishedAt} is {@code modified_at} of a
     *       terminal job;
     *   <li>the error of a failed job from {@link #failureReason}.
     * </ul>
     *
     * @throws IllegalArgumentException when the object has no {@code id}
     */
    public static RemoteJob job(JsonNode job) {
        String id = text(job.get("id"));
        if (id == null) {
            throw new IllegalArgumentException("the job object has no id");
        }
        String raw = Optional.ofNullable(text(job.get("status"))).orElse("");
        JobStatus status = status(raw);
        RemoteJob.Builder b = RemoteJob.builder(id, status, raw)
                .baseModel(text(job.get("model")))
                .fineTunedModel(text(job.get("fine_tuned_model")))
                .tag(text(job.get("suffix")))
                .createdAt(instant(job.get("created_at")));
        if (status.isTerminal()) {
            b.finishedAt(instant(job.get("modified_at")));
        }
        JsonNode metadata = job.path("metadata");
        Long trained = longValue(job.get("trained_tokens"));
        b.trainedTokens(trained != null ? trained : longValue(metadata.get("train_tokens")));
        money(metadata).ifPresent(b::costPreview);
        Long seconds = longValue(metadata.get("expected_duration_seconds"));
        if (seconds != null && seconds >= 0) {
            b.expectedDuration(Duration.ofSeconds(seconds));
        }
        JsonNode hp = job.path("hyperparameters");
        if (hp.isObject()) {
            hp.fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    b.hyperparameter(f.getKey(), plain(f.getValue()));
                }
            });
        }
        if (status == JobStatus.FAILED) {
            b.error(new JobError(raw, failureReason(job).orElse("mistral reported " + raw + " without a reason"
                    + ("FAILED_VALIDATION".equals(raw) ? "; check the training and validation files against Mistral's "
                            + "data format" : "")), ""));
        }
        return b.build();
    }

    /**
     * Why a failed job failed, wherever Mistral put it. Mistral documents no error field on jobs
     * (UNVERIFIED), so this looks, in order, at the newest event whose {@code data} carries an {@code
     * error}, {@code error_message}, {@code failure_reason}, {@code reason}, {@code message}, {@code
     * detail(s)} or {@code errors}; then the same keys on the job itself; then {@code
     * metadata.details}.
     */
    public static Optional<String> failureReason(JsonNode job) {
        List<JsonNode> events = sortedEvents(job);
        for (int i = events.size() - 1; i >= 0; i--) {
            Optional<String> r = reasonIn(events.get(i).get("data"));
            if (r.isPresent()) {
                return r;
            }
        }
        Optional<String> r = reasonIn(job);
        if (r.isPresent()) {
            return r;
        }
        return Optional.ofNullable(describe(job.path("metadata").get("details")));
    }

    private static Optional<String> reasonIn(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (String key : REASON_KEYS) {
            String d = describe(node.get(key));
            if (d != null) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** A reason node as text: strings as they are, arrays joined with "; ", objects by their message or as JSON. */
    private static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText().isBlank() ? null : node.asText().strip();
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> {
                String d = describe(n);
                if (d != null) {
                    parts.add(d);
                }
            });
            return parts.isEmpty() ? null : String.join("; ", parts);
        }
        if (node.isObject()) {
            for (String key : List.of("message", "msg", "detail", "error")) {
                String d = describe(node.get(key));
                if (d != null) {
                    return d;
                }
            }
            return node.isEmpty() ? null : node.toString();
        }
        return node.asText();
    }

    private static Optional<Money> money(JsonNode metadata) {
        JsonNode cost = metadata.get("cost");
        String currency = text(metadata.get("cost_currency"));
        if (cost == null || !cost.isNumber() || currency == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Money(new BigDecimal(cost.asText()), currency.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException notACurrency) {
            LOG.debug("mistral: cost {} {} is not a usable amount: {}", cost, currency, notACurrency.getMessage());
            return Optional.empty();
        }
    }

    // ---- events and metrics -------------------------------------------------------------------

    /**
     * The events of a detailed job, oldest first (sorted by {@code created_at}, stable), each with its
     * 1-based position as id. A {@code status-updated} event reads {@code "status changed to RUNNING"};
     * any other event its name and its data as JSON. Level {@code error} for a failure status or an
     * event named like an error, {@code warn} for a cancellation, {@code info} otherwise.
     */
    public static List<JobEvent> events(JsonNode job) {
        List<JsonNode> sorted = sortedEvents(job);
        List<JobEvent> events = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            events.add(event(i + 1, sorted.get(i)));
        }
        return events;
    }

    private static List<JsonNode> sortedEvents(JsonNode job) {
        List<JsonNode> list = new ArrayList<>();
        job.path("events").forEach(list::add);
        list.sort(Comparator.comparing((JsonNode e) -> Optional.ofNullable(instant(e.get("created_at")))
                .orElse(Instant.EPOCH)));
        return list;
    }

    private static JobEvent event(int position, JsonNode e) {
        String name = Optional.ofNullable(text(e.get("name"))).orElse("event");
        JsonNode data = e.get("data");
        Instant at = Optional.ofNullable(instant(e.get("created_at"))).orElse(Instant.EPOCH);
        String level = "info";
        String message;
        String newStatus = data == null ? null : text(data.get("status"));
        if ("status-updated".equals(name) && newStatus != null) {
            message = "status changed to " + newStatus;
            JobStatus s = status(newStatus);
            if (s == JobStatus.FAILED) {
                level = "error";
                Optional<String> reason = reasonIn(data);
                if (reason.isPresent()) {
                    message += ": " + reason.get();
                }
            } else if (s == JobStatus.CANCELLED) {
                level = "warn";
            }
        } else {
            message = name + (data == null || data.isNull() || data.isEmpty() ? "" : " " + data);
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.contains("error") || lower.contains("fail")) {
                level = "error";
            }
        }
        return new JobEvent(Integer.toString(position), at, level, message, Map.of());
    }

    /**
     * The metrics of a detailed job's {@code checkpoints}, by {@code step_number}: {@code
     * train_loss}, {@code valid_loss}, {@code valid_mean_token_accuracy} (and any other numeric
     * metric), nulls left out. Checkpoints without a step number are skipped.
     */
    public static List<MetricPoint> metrics(JsonNode job) {
        List<MetricPoint> points = new ArrayList<>();
        for (JsonNode c : job.path("checkpoints")) {
            Long step = longValue(c.get("step_number"));
            if (step == null) {
                continue;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            c.path("metrics").fields().forEachRemaining(f -> {
                if (f.getValue().isNumber()) {
                    values.put(f.getKey(), f.getValue().asDouble());
                }
            });
            points.add(new MetricPoint(step, values));
        }
        points.sort(Comparator.comparingLong(MetricPoint::step));
        return points;
    }

    // ---- small readers ------------------------------------------------------------------------

    /** A scalar's text; null for a missing, null, blank or container node. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText();
        return s.isBlank() ? null : s;
    }

    private static Long longValue(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        return node.asLong();
    }

    /** A Unix time in seconds (Mistral's {@code created_at}), or an ISO-8601 text; null otherwise. */
    static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochSecond(node.asLong());
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException notIso) {
            return null;
        }
    }

    /** A value as plain text: whole numbers as they are, decimals without exponent or trailing zeros. */
    private static String plain(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return new BigDecimal(v.asText()).stripTrailingZeros().toPlainString();
        }
        return v.asText();
    }
}
