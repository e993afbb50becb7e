package dev.finetune4j.testkit.internal.mistral;

import static dev.finetune4j.testkit.internal.mistral.MistralErrors.invalid;
import static dev.finetune4j.testkit.internal.mistral.MistralErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /v1/fine_tuning/jobs} routes and what the shared job path means for a Mistral job:
 * {@code QUEUED → VALIDATED → (start) → RUNNING → SUCCESS}, or {@code FAILED_VALIDATION},
 * {@code FAILED}, {@code CANCELLATION_REQUESTED → CANCELLED}, with the cost preview at validation
 * and checkpoints every ~10 % of the steps. Called under {@link MistralApi}'s lock.
 */
final class MistralJobs extends JobBoard<MistralJob, MistralApi> {

    /** Tokens per training step in Mistral's own estimates (docs example: 131,072). */
    static final long TOKENS_PER_STEP = 131_072;
    static final double MINIMUM_FEE = 4.0;
    /** Emulator prices per million training tokens, in USD; not Mistral's price list. */
    static final Map<String, Double> PRICE_PER_MILLION = Map.of(
            "open-mistral-7b", 1.0, "open-mistral-nemo", 1.0, "ministral-3b-latest", 1.0, "ministral-8b-latest", 1.0,
            "mistral-small-latest", 4.0, "codestral-latest", 3.0, "pixtral-12b-latest", 2.0, "mistral-large-latest", 9.0);
    private static final Set<String> ACTIVE = Set.of("QUEUED", "STARTED", "VALIDATING", "VALIDATED", "RUNNING");

    MistralJobs(MistralApi api) {
        super(api);
    }

    void routes(Routes r) {
        String jobs = "/v1/fine_tuning/jobs";
        collection(r, jobs, this::create, call -> MistralApi.page(call, matching(call), j -> j.toJson(false)),
                job -> Reply.ok(job.toJson(true)));
        r.post(jobs + "/{id}/cancel", call -> Reply.ok(cancel(job(call)).toJson(true)))
                .post(jobs + "/{id}/start", call -> Reply.ok(requestStart(job(call)).toJson(true)));
    }

    @Override
    protected ApiError unknownJob(String id) {
        return notFound("Job with id '" + id + "' not found");
    }

    // ---------------------------------------------------------------- create

    private Reply create(HttpCall call) {
        ObjectNode body = MistralApi.jsonBody(call);
        JsonNode modelNode = body.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw MistralErrors.missing("model", body);
        }
        JsonNode hp = body.get("hyperparameters");
        if (hp == null || hp.isNull()) {
            throw MistralErrors.missing("hyperparameters", body);
        }
        if (!hp.isObject()) {
            throw MistralErrors.unprocessable("model_attributes_type", List.of("body", "hyperparameters"),
                    "Input should be a valid dictionary or object to extract fields from", hp);
        }
        List<MistralJob.TrainingFile> trainingFiles = trainingFiles(body.get("training_files"));
        JsonNode repositories = body.get("repositories");
        if (trainingFiles.isEmpty() && (repositories == null || !repositories.isArray() || repositories.isEmpty())) {
            throw MistralErrors.unprocessable("value_error", List.of("body", "job_in"),
                    "Value error, At least one training file or repository is required.", body);
        }
        List<String> validationFiles = new ArrayList<>();
        JsonNode vf = body.get("validation_files");
        if (vf != null && vf.isArray()) {
            vf.forEach(v -> validationFiles.add(v.asText()));
        }
        String suffix = body.hasNonNull("suffix") ? body.get("suffix").asText() : null;
        if (suffix != null && suffix.length() > 18) {
            throw MistralErrors.unprocessable("string_too_long", List.of("body", "suffix"),
                    "String should have at most 18 characters", body.get("suffix"));
        }
        double skip = body.path("invalid_sample_skip_percentage").asDouble(0);
        if (skip < 0 || skip > 0.5) {
            throw MistralErrors.unprocessable("less_than_equal", List.of("body", "invalid_sample_skip_percentage"),
                    "Input should be less than or equal to 0.5", body.get("invalid_sample_skip_percentage"));
        }
        ObjectNode hyper = hyperparameters((ObjectNode) hp);
        String model = modelNode.asText();
        if (!api.isBaseModel(model)) {
            throw invalid("Model '" + model + "' is not available for fine-tuning. Available models: "
                    + String.join(", ", api.settings().baseModels()));
        }
        for (MistralJob.TrainingFile f : trainingFiles) {
            api.files().get(f.fileId());
        }
        validationFiles.forEach(api.files()::get);
        // Similar = same model and training files, whatever the suffix: a client that puts its own tag
        // in the suffix (finetune4j does) meets the real service's 409 after a cost preview.
        for (MistralJob other : all()) {
            if (ACTIVE.contains(other.status) && other.model.equals(model)
                    && other.trainingFiles.equals(trainingFiles)) {
                throw MistralErrors.of(409, "A similar job (" + other.id + ") is already "
                        + other.status.toLowerCase(Locale.ROOT)
                        + "; wait for it to finish or cancel it.", "invalid_request_error", null);
            }
        }
        boolean dryRun = call.queryParam("dry_run").map("true"::equalsIgnoreCase).orElse(false);
        boolean autoStart = body.path("auto_start").asBoolean(false);
        MistralJob job = new MistralJob(api.ids().uuid().toString(), api.epochSecond(), model, trainingFiles, validationFiles, suffix,
                autoStart, skip, body.hasNonNull("integrations") ? body.get("integrations").deepCopy() : null, hyper,
                dryRun ? null : nextFailure());
        if (dryRun) {
            // The legacy preview: nothing is created.
            if (!validate(job)) {
                throw invalid("Training data did not pass validation");
            }
            ObjectNode legacy = job.metadata.deepCopy();
            legacy.put("object", "job.metadata");
            legacy.put("details", "");
            legacy.put("deprecated", true);
            legacy.put("epochs", job.hyperparameters.path("epochs").asDouble());
            legacy.put("training_steps", job.totalSteps);
            return Reply.ok(legacy);
        }
        add(job);
        statusEvent(job, "QUEUED");
        return Reply.ok(job.toJson(false));
    }

    private static List<MistralJob.TrainingFile> trainingFiles(JsonNode node) {
        List<MistralJob.TrainingFile> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw MistralErrors.unprocessable("list_type", List.of("body", "training_files"), "Input should be a valid list",
                    node);
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode f = node.get(i);
            if (f.isTextual()) {
                out.add(new MistralJob.TrainingFile(f.asText(), 1.0));
            } else if (f.path("file_id").isTextual()) {
                double weight = f.path("weight").asDouble(1.0);
                if (weight <= 0) {
                    throw MistralErrors.unprocessable("greater_than", List.of("body", "training_files", i, "weight"),
                            "Input should be greater than 0", f.get("weight"));
                }
                out.add(new MistralJob.TrainingFile(f.get("file_id").asText(), weight));
            } else {
                throw MistralErrors.unprocessable("missing", List.of("body", "training_files", i, "file_id"),
                        "Field required", f);
            }
        }
        return out;
    }

    private static ObjectNode hyperparameters(ObjectNode in) {
        ObjectNode out = Jsons.object();
        out.set("training_steps", in.has("training_steps") ? in.get("training_steps") : Jsons.object().nullNode());
        out.put("learning_rate", in.path("learning_rate").asDouble(0.0001));
        out.put("weight_decay", in.path("weight_decay").asDouble(0.1));
        out.put("warmup_fraction", in.path("warmup_fraction").asDouble(0.05));
        out.set("epochs", in.has("epochs") ? in.get("epochs") : Jsons.object().nullNode());
        out.set("seq_len", in.has("seq_len") ? in.get("seq_len") : Jsons.object().nullNode());
        out.put("fim_ratio", in.path("fim_ratio").asDouble(0.9));
        JsonNode steps = out.get("training_steps");
        if (!steps.isNull() && (!steps.isIntegralNumber() || steps.asInt() < 1)) {
            throw MistralErrors.unprocessable("greater_than_equal", List.of("body", "hyperparameters", "training_steps"),
                    "Input should be greater than or equal to 1", steps);
        }
        double lr = out.get("learning_rate").asDouble();
        if (lr < 1e-8 || lr > 1) {
            throw MistralErrors.unprocessable("less_than_equal", List.of("body", "hyperparameters", "learning_rate"),
                    "Input should be between 1e-08 and 1", out.get("learning_rate"));
        }
        JsonNode epochs = out.get("epochs");
        if (!epochs.isNull() && (!epochs.isNumber() || epochs.asDouble() <= 0)) {
            throw MistralErrors.unprocessable("greater_than", List.of("body", "hyperparameters", "epochs"),
                    "Input should be greater than 0", epochs);
        }
        return out;
    }

    // ---------------------------------------------------------------- reads and control

    private List<MistralJob> matching(HttpCall call) {
        Long after = instant(call, "created_after");
        Long before = instant(call, "created_before");
        List<MistralJob> all = new ArrayList<>();
        for (MistralJob j : all()) {
            if (call.queryParam("model").map(j.model::equals).orElse(true)
                    && call.queryParam("status").map(j.status::equals).orElse(true)
                    && call.queryParam("suffix").map(x -> x.equals(j.suffix)).orElse(true)
                    && (after == null || j.createdAt.getEpochSecond() >= after)
                    && (before == null || j.createdAt.getEpochSecond() <= before)) {
                all.add(j);
            }
        }
        return all;
    }

    private static Long instant(HttpCall call, String name) {
        String raw = call.queryParam(name).orElse(null);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(raw).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw MistralErrors.unprocessable("datetime_from_date_parsing", List.of("query", name),
                        "Input should be a valid datetime", Jsons.object().textNode(raw));
            }
        }
    }

    private MistralJob cancel(MistralJob job) {
        if (job.terminal() || job.status.equals("CANCELLATION_REQUESTED")) {
            throw invalid("Job " + job.id + " is " + job.status + " and cannot be cancelled");
        }
        setStatus(job, "CANCELLATION_REQUESTED");
        return job;
    }

    private MistralJob requestStart(MistralJob job) {
        if (!job.status.equals("VALIDATED") || job.startRequested) {
            throw invalid("Job " + job.id + " is " + job.status + "; only a validated job that has not started can be started");
        }
        job.startRequested = true;
        setStatus(job, "STARTED");
        return job;
    }

    // ---------------------------------------------------------------- progress

    @Override
    protected boolean pending(MistralJob job) {
        return job.status.equals("CANCELLATION_REQUESTED");
    }

    @Override
    protected void settle(MistralJob job) {
        setStatus(job, "CANCELLED");
    }

    @Override
    protected boolean accept(MistralJob job) {
        if (!validate(job)) {
            setStatus(job, "FAILED_VALIDATION");
            return false;
        }
        // without auto_start it waits for /start (held), and timed progress counts from there
        setStatus(job, "VALIDATED");
        return true;
    }

    @Override
    protected void start(MistralJob job) {
        setStatus(job, "RUNNING");
    }

    @Override
    protected void fail(MistralJob job, Failure failure) {
        job.errorCode = failure.code();
        job.errorMessage = failure.message();
        setStatus(job, "FAILED");
    }

    /** Reads the training files, skips invalid samples up to the allowed share, and fills the cost preview. */
    private boolean validate(MistralJob job) {
        TokenCounter counter = TokenCounter.forModel(job.model);
        List<TrainingSet.Example> examples = new ArrayList<>();
        int invalid = 0;
        int total = 0;
        for (MistralJob.TrainingFile f : job.trainingFiles) {
            StoredFile file = api.files().find(f.fileId());
            if (file == null) {
                job.errorCode = "invalid_training_file";
                job.errorMessage = "Training file " + f.fileId() + " was deleted";
                return false;
            }
            for (String line : file.text().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                total++;
                TrainingSet.Parsed p = TrainingSet.parse(line, TrainingSet.Shape.CHAT, counter);
                JsonNode messages = Jsons.parse(line).map(n -> n.path("messages")).orElse(Jsons.array());
                boolean endsWithAssistant = messages.isArray() && !messages.isEmpty()
                        && messages.get(messages.size() - 1).path("role").asText().equals("assistant");
                if (!p.ok() || !endsWithAssistant) {
                    invalid++;
                } else {
                    examples.addAll(p.set().examples());
                }
            }
        }
        if (total == 0 || (double) invalid / total > job.skipFraction) {
            job.errorCode = "invalid_training_file";
            job.errorMessage = invalid + " of " + total + " samples are invalid (each conversation must end with an "
                    + "assistant message); invalid_sample_skip_percentage allows " + job.skipFraction;
            return false;
        }
        job.hasValidation = !job.validationFiles.isEmpty();
        job.training(TrainingSet.of(examples));
        long dataTokens = Math.max(1, job.training.tokens());
        JsonNode stepsNode = job.hyperparameters.get("training_steps");
        JsonNode epochsNode = job.hyperparameters.get("epochs");
        int steps;
        if (!stepsNode.isNull()) {
            steps = stepsNode.asInt();
        } else if (!epochsNode.isNull()) {
            steps = (int) Math.max(1, Math.ceil(epochsNode.asDouble() * dataTokens / TOKENS_PER_STEP));
        } else {
            steps = 10;
        }
        job.totalSteps = steps;
        long trainTokens = steps * TOKENS_PER_STEP;
        double price = PRICE_PER_MILLION.getOrDefault(job.model, 2.0);
        ObjectNode md = Jsons.object();
        md.put("expected_duration_seconds", 60 + steps * 20L);
        md.put("cost", Math.round(Math.max(MINIMUM_FEE, trainTokens / 1e6 * price) * 100) / 100.0);
        md.put("cost_currency", "USD");
        md.put("train_tokens_per_step", TOKENS_PER_STEP);
        md.put("train_tokens", trainTokens);
        md.put("data_tokens", dataTokens);
        md.putNull("estimated_start_time");
        job.metadata = md;
        if (epochsNode.isNull()) {
            job.hyperparameters.put("epochs", Math.round((double) trainTokens / dataTokens * 10_000) / 10_000.0);
        }
        if (stepsNode.isNull()) {
            job.hyperparameters.put("training_steps", steps);
        }
        return true;
    }

    /** Checkpoints about every 10 % of the run, at least 10 steps apart, and at the end. */
    @Override
    protected void report(MistralJob job, int upTo) {
        int total = job.totalSteps;
        int every = Math.max(10, (total + 9) / 10);
        for (int step = job.stepsReported + 1; step <= upTo; step++) {
            if (step % every == 0 || step == total) {
                ObjectNode metrics = Jsons.object();
                metrics.put("train_loss", job.curve.trainLoss(step, total));
                if (job.hasValidation) {
                    metrics.put("valid_loss", job.curve.validLoss(step, total));
                    metrics.put("valid_mean_token_accuracy", job.curve.validAccuracy(step, total));
                } else {
                    metrics.putNull("valid_loss");
                    metrics.putNull("valid_mean_token_accuracy");
                }
                job.checkpoints.add(new JobRun.Checkpoint(null, api.epochSecond(), null, step, metrics));
            }
        }
    }

    @Override
    protected void succeed(MistralJob job) {
        long now = api.epochSecond();
        String date = LocalDate.ofInstant(Instant.ofEpochSecond(now), ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        String id = "ft:" + job.model + ":" + api.workspace + ":" + date + ":"
                + (job.suffix == null ? "" : job.suffix + ":") + api.ids().hex(8);
        job.fineTunedModel = id;
        job.trainedTokens = job.metadata.get("train_tokens").asLong();
        api.addModel(new MistralModel(id, job.model, job.id, now, job.training));
        setStatus(job, "SUCCESS");
    }

    private void setStatus(MistralJob job, String status) {
        job.status = status;
        job.modifiedAt = api.epochSecond();
        if (status.equals("STARTED") || status.equals("CANCELLATION_REQUESTED")) {
            restartClock(job);
        }
        statusEvent(job, status);
    }

    private void statusEvent(MistralJob job, String status) {
        job.events.add(new JobRun.Event(null, api.epochSecond(), "status-updated", null, null,
                Jsons.object().put("status", status)));
    }
}
