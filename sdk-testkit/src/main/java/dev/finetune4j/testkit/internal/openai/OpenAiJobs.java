package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.JobRun.Checkpoint;
import dev.finetune4j.testkit.internal.JobRun.Event;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.LossCurve;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.TrainedModel;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code /v1/fine_tuning/jobs} routes and what the shared job path means for an OpenAI job:
 * {@code validating_files → queued → running → succeeded} (or {@code failed}, {@code cancelled},
 * {@code paused}), with metrics events, checkpoints of the last epochs and a results file. Called
 * under {@link OpenAiApi}'s lock.
 */
final class OpenAiJobs extends JobBoard<OpenAiJob, OpenAiApi> {

    private static final Set<String> CREATE_FIELDS = Set.of("model", "training_file", "validation_file",
            "hyperparameters", "suffix", "seed", "metadata", "method", "integrations");
    private static final int MIN_EXAMPLES = 10;

    /** What a hyper-parameter other than {@code auto} must be, as the error says it, and the check. */
    private record Range(String expected, Predicate<JsonNode> ok) {}

    /** The hyper-parameters, in the order the job object lists them ({@code beta} for DPO only). */
    private static final Map<String, Range> HYPERPARAMETERS = new LinkedHashMap<>();

    static {
        HYPERPARAMETERS.put("batch_size", new Range("an integer between 1 and 256",
                v -> v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= 256));
        HYPERPARAMETERS.put("learning_rate_multiplier", new Range("a number greater than 0",
                v -> v.isNumber() && v.asDouble() > 0));
        HYPERPARAMETERS.put("n_epochs", new Range("an integer between 1 and 50",
                v -> v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= 50));
        HYPERPARAMETERS.put("beta", new Range("a number greater than 0 and at most 2",
                v -> v.isNumber() && v.asDouble() > 0 && v.asDouble() <= 2));
    }

    /** At most this many metrics events per job; longer runs report every k-th step. */
    private static final int MAX_METRIC_EVENTS = 200;

    OpenAiJobs(OpenAiApi api) {
        super(api);
    }

    void routes(Routes r) {
        String jobs = api.dialect.root() + "/fine_tuning/jobs";
        collection(r, jobs, this::create, this::list, this::json);
        r.post(jobs + "/{id}/cancel", call -> json(cancel(job(call))))
                .post(jobs + "/{id}/pause", call -> json(pause(job(call))))
                .post(jobs + "/{id}/resume", call -> json(resume(job(call))))
                .get(jobs + "/{id}/events", call -> events(call, job(call)))
                .get(jobs + "/{id}/checkpoints", call -> checkpoints(call, job(call)));
    }

    @Override
    protected ApiError unknownJob(String id) {
        return notFound("Could not find fine-tuning job " + id + ".", "fine_tuning_job_id", "fine_tuning_job_not_found");
    }

    private Reply json(OpenAiJob job) {
        return Reply.ok(toJson(job));
    }

    private ObjectNode toJson(OpenAiJob job) {
        OptionalLong end = expectedEnd(job);
        return job.toJson(api.organizationId, end.isPresent() ? end.getAsLong() : null);
    }

    // ---------------------------------------------------------------- create

    private Reply create(HttpCall call) {
        ObjectNode body = OpenAiApi.jsonBody(call);
        Set<String> known = new HashSet<>(CREATE_FIELDS);
        known.addAll(api.dialect.extraCreateFields());
        OpenAiApi.rejectUnknown(body, known);
        String model = OpenAiApi.requiredText(body, "model");
        String trainingFile = OpenAiApi.requiredText(body, "training_file");
        String validationFile = null;
        if (body.hasNonNull("validation_file")) {
            validationFile = OpenAiApi.requiredText(body, "validation_file");
        }
        String suffix = null;
        if (body.hasNonNull("suffix")) {
            suffix = OpenAiApi.requiredText(body, "suffix");
        }
        api.dialect.checkCreate(body, suffix);
        long seed;
        if (body.hasNonNull("seed")) {
            JsonNode s = body.get("seed");
            if (!s.isIntegralNumber() || s.asLong() < 0 || s.asLong() > Integer.MAX_VALUE) {
                throw invalid("Invalid 'seed': expected an integer between 0 and 2147483647.", "seed", "invalid_value");
            }
            seed = s.asLong();
        } else {
            seed = api.ids().nextInt(Integer.MAX_VALUE);
        }
        Map<String, String> metadata = metadata(body.get("metadata"));
        JsonNode integrations = integrations(body.get("integrations"));

        String methodType = "supervised";
        JsonNode hpIn = body.get("hyperparameters");
        JsonNode method = body.get("method");
        if (method != null && !method.isNull()) {
            if (!method.isObject()) {
                throw invalid("Invalid type for 'method': expected an object, but got " + OpenAiApi.kind(method)
                        + " instead.", "method", "invalid_type");
            }
            methodType = method.path("type").asText("");
            if (!Set.of("supervised", "dpo", "reinforcement").contains(methodType)) {
                throw invalid("Invalid value for 'method.type': expected one of 'supervised', 'dpo' or 'reinforcement'.",
                        "method.type", "invalid_value");
            }
            if (methodType.equals("reinforcement")) {
                throw invalid("The emulator does not support reinforcement fine-tuning.", "method.type", "invalid_value");
            }
            JsonNode inner = method.path(methodType).path("hyperparameters");
            if (!inner.isMissingNode() && !inner.isNull()) {
                if (hpIn != null && !hpIn.isNull()) {
                    throw invalid("Specify hyperparameters either at the top level or in 'method', not both.",
                            "hyperparameters", null);
                }
                hpIn = inner;
            }
        }
        ObjectNode requested = hyperparameters(hpIn, methodType);

        if (!api.isBaseModel(model) && api.trained(model) == null) {
            throw invalid("Model " + model + " is not available for fine-tuning or does not exist.", "model",
                    "model_not_available");
        }
        fineTuneFile(trainingFile, "training");
        if (validationFile != null) {
            fineTuneFile(validationFile, "validation");
        }
        OpenAiJob job = new OpenAiJob(api.dialect.jobId(api.ids()), api.epochSecond(), api.servedName(model),
                trainingFile, validationFile, suffix, seed, metadata, integrations, methodType, requested, nextFailure());
        add(job);
        event(job, "info", "Created fine-tuning job: " + job.id);
        event(job, "info", "Validating training file: " + trainingFile
                + (validationFile == null ? "" : " and validation file: " + validationFile));
        return json(job);
    }

    /** Refuses a file that does not exist or was not uploaded for fine-tuning. */
    private void fineTuneFile(String id, String kind) {
        StoredFile f = api.files().find(id);
        if (f == null) {
            throw invalid("invalid " + kind + "_file: " + id, kind + "_file", null);
        }
        if (!f.purpose().equals("fine-tune")) {
            throw invalid("File " + id + " has purpose '" + f.purpose() + "'; a " + kind + " file must be uploaded with "
                    + "purpose 'fine-tune'.", kind + "_file", null);
        }
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid("Invalid type for 'metadata': expected an object, but got " + OpenAiApi.kind(node) + " instead.",
                    "metadata", "invalid_type");
        }
        if (node.size() > 16) {
            throw invalid("Invalid 'metadata': too many properties. Expected an object with at most 16 properties, "
                    + "but got an object with " + node.size() + " properties instead.", "metadata",
                    "object_above_max_properties");
        }
        Map<String, String> out = new LinkedHashMap<>();
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().length() > 64) {
                throw invalid("Invalid 'metadata': key '" + e.getKey() + "' is longer than 64 characters.",
                        "metadata", "invalid_value");
            }
            if (!e.getValue().isTextual()) {
                throw invalid("Invalid type for 'metadata." + e.getKey() + "': expected a string, but got "
                        + OpenAiApi.kind(e.getValue()) + " instead.", "metadata." + e.getKey(), "invalid_type");
            }
            if (e.getValue().asText().length() > 512) {
                throw invalid("Invalid 'metadata." + e.getKey() + "': string too long. Expected a string with maximum "
                        + "length 512, but got a string with length " + e.getValue().asText().length() + " instead.",
                        "metadata." + e.getKey(), "string_above_max_length");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static JsonNode integrations(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() > 5) {
            throw invalid("Invalid 'integrations': expected an array of at most 5 integrations.", "integrations",
                    "invalid_value");
        }
        for (JsonNode i : node) {
            if (!i.path("type").asText("").equals("wandb") || !i.path("wandb").path("project").isTextual()) {
                throw invalid("Invalid 'integrations': only type 'wandb' with a 'wandb.project' is supported.",
                        "integrations", "invalid_value");
            }
        }
        return node.deepCopy();
    }

    private static ObjectNode hyperparameters(JsonNode in, String methodType) {
        ObjectNode out = Jsons.object();
        HYPERPARAMETERS.keySet().stream().filter(h -> !h.equals("beta") || methodType.equals("dpo"))
                .forEach(h -> out.put(h, "auto"));
        if (in == null || in.isNull()) {
            return out;
        }
        if (!in.isObject()) {
            throw invalid("Invalid type for 'hyperparameters': expected an object.", "hyperparameters", "invalid_type");
        }
        in.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (!out.has(name)) {
                throw invalid("Unrecognized hyperparameter supplied: " + name, "hyperparameters." + name, null);
            }
            if (!(v.isTextual() && v.asText().equals("auto"))) {
                Range range = HYPERPARAMETERS.get(name);
                if (!range.ok().test(v)) {
                    throw invalid("Invalid value for 'hyperparameters." + name + "': " + v + ". Expected 'auto' or "
                            + range.expected() + ".", "hyperparameters." + name, "invalid_value");
                }
                out.set(name, v);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- reads

    private Reply list(HttpCall call) {
        Map<String, String> filter = new LinkedHashMap<>();
        boolean onlyWithoutMetadata = false;
        for (Map.Entry<String, List<String>> q : call.query().entrySet()) {
            String k = q.getKey();
            if (!api.dialect.filtersJobsByMetadata()) {
                break;
            }
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                filter.put(k.substring(9, k.length() - 1), q.getValue().get(0));
            } else if (k.equals("metadata") && q.getValue().get(0).equals("null")) {
                onlyWithoutMetadata = true;
            }
        }
        List<OpenAiJob> all = new ArrayList<>();
        for (OpenAiJob j : all()) {
            if (onlyWithoutMetadata && j.metadata != null && !j.metadata.isEmpty()) {
                continue;
            }
            boolean match = filter.entrySet().stream().allMatch(f -> j.metadata != null
                    && f.getValue().equals(j.metadata.get(f.getKey())));
            if (match) {
                all.add(j);
            }
        }
        Collections.reverse(all);
        return OpenAiApi.page(call, all, all.stream().map(j -> j.id).toList(), 20, 100, this::toJson, false);
    }

    private Reply events(HttpCall call, OpenAiJob job) {
        List<Event> newestFirst = new ArrayList<>(job.events);
        Collections.reverse(newestFirst);
        return OpenAiApi.page(call, newestFirst, newestFirst.stream().map(Event::id).toList(), 20, 1000, e -> {
            ObjectNode n = Jsons.object().put("object", "fine_tuning.job.event").put("id", e.id())
                    .put("created_at", e.createdAt()).put("level", e.level()).put("message", e.message())
                    .put("type", e.type());
            n.set("data", e.data() == null ? Jsons.object() : e.data());
            return n;
        }, false);
    }

    private Reply checkpoints(HttpCall call, OpenAiJob job) {
        List<Checkpoint> newestFirst = new ArrayList<>(job.checkpoints);
        Collections.reverse(newestFirst);
        return OpenAiApi.page(call, newestFirst, newestFirst.stream().map(Checkpoint::id).toList(), 10, 100, c -> {
            ObjectNode n = Jsons.object().put("object", "fine_tuning.job.checkpoint").put("id", c.id())
                    .put("created_at", c.createdAt()).put("fine_tuned_model_checkpoint", c.model())
                    .put("step_number", c.step()).put("fine_tuning_job_id", job.id);
            n.set("metrics", c.metrics());
            return n;
        }, true);
    }

    // ---------------------------------------------------------------- control

    private OpenAiJob cancel(OpenAiJob job) {
        if (job.terminal()) {
            throw invalid("Job " + job.id + " has already " + (job.status.equals("cancelled") ? "been cancelled"
                    : "completed with status '" + job.status + "'") + " and cannot be cancelled.", null, null);
        }
        job.status = "cancelled";
        job.estimatedFinish = null;
        event(job, "info", "Fine-tuning job cancelled");
        return job;
    }

    private OpenAiJob pause(OpenAiJob job) {
        if (!api.dialect.pausable(job.status, job.stepsReported)) {
            throw invalid("Job " + job.id + " is " + job.status + (job.status.equals("running")
                    ? " but has trained no step yet" : "") + "; it cannot be paused now.", null, null);
        }
        job.status = "paused";
        job.estimatedFinish = null;
        event(job, "info", "Fine-tuning job paused");
        return job;
    }

    private OpenAiJob resume(OpenAiJob job) {
        if (!job.status.equals("paused")) {
            throw invalid("Job " + job.id + " is " + job.status + "; only a paused job can be resumed.", null, null);
        }
        job.status = "queued";
        requeue(job);
        event(job, "info", "Fine-tuning job resumed");
        return job;
    }

    // ---------------------------------------------------------------- progress

    @Override
    protected boolean accept(OpenAiJob job) {
        return validate(job);
    }

    @Override
    protected void fail(OpenAiJob job, Failure failure) {
        fail(job, failure.code(), failure.message(), null);
    }

    private boolean validate(OpenAiJob job) {
        TokenCounter counter = TokenCounter.forModel(job.model);
        TrainingSet.Shape shape = job.methodType.equals("dpo") ? TrainingSet.Shape.PREFERENCE : TrainingSet.Shape.CHAT;
        StoredFile tf = api.files().find(job.trainingFile);
        if (tf == null) {
            fail(job, "invalid_training_file", "The training file " + job.trainingFile + " was deleted before the job "
                    + "could read it.", "training_file");
            return false;
        }
        TrainingSet.Parsed parsed = TrainingSet.parse(api.dialect.trainingText(tf), shape, counter);
        if (!parsed.ok()) {
            fail(job, "invalid_training_file", "Invalid file format. Line " + parsed.problem().line() + ": "
                    + parsed.problem().message() + ".", "training_file");
            return false;
        }
        if (parsed.set().size() < MIN_EXAMPLES) {
            fail(job, "invalid_n_examples", "Training file has " + parsed.set().size()
                    + " example(s), but must have at least " + MIN_EXAMPLES + " examples", "training_file");
            return false;
        }
        job.training(parsed.set());
        if (job.validationFile != null) {
            StoredFile vf = api.files().find(job.validationFile);
            TrainingSet.Parsed v = vf == null ? null : TrainingSet.parse(api.dialect.trainingText(vf), shape, counter);
            if (v == null || !v.ok()) {
                fail(job, "invalid_validation_file", v == null ? "The validation file was deleted."
                        : "Invalid file format. Line " + v.problem().line() + ": " + v.problem().message() + ".",
                        "validation_file");
                return false;
            }
            job.validation = v.set();
        }
        job.status = "queued";
        event(job, "info", "Files validated, moving job to queued state");
        return true;
    }

    @Override
    protected void start(OpenAiJob job) {
        job.status = "running";
        job.estimatedFinish = api.epochSecond() + 60;
        if (job.resolvedHyperparameters != null) {
            // resumed after a pause: training continues from the last reported step
            event(job, "info", "Fine-tuning job restarted from step " + job.stepsReported);
            return;
        }
        int n = job.training.size();
        ObjectNode hp = job.requestedHyperparameters.deepCopy();
        int epochs = hp.get("n_epochs").isNumber() ? hp.get("n_epochs").asInt() : autoEpochs(n);
        int batch = hp.get("batch_size").isNumber() ? hp.get("batch_size").asInt()
                : Math.max(1, Math.min(256, (int) Math.round(n * 0.002)));
        hp.put("n_epochs", epochs);
        hp.put("batch_size", batch);
        if (!hp.get("learning_rate_multiplier").isNumber()) {
            hp.put("learning_rate_multiplier", 1.8);
        }
        if (hp.has("beta") && !hp.get("beta").isNumber()) {
            hp.put("beta", 0.1);
        }
        job.resolvedHyperparameters = hp;
        job.stepsPerEpoch = (n + batch - 1) / batch;
        job.totalSteps = epochs * job.stepsPerEpoch;
        job.modelToken = api.dialect.modelToken(api.ids());
        event(job, "info", "Fine-tuning job started");
    }

    /** The cookbook's default-epoch rule. */
    static int autoEpochs(int examples) {
        int epochs = 3;
        if (examples * 3 < 100) {
            epochs = Math.min(25, 100 / examples);
        } else if (examples * 3 > 25_000) {
            epochs = Math.max(1, 25_000 / examples);
        }
        return epochs;
    }

    private String modelName(OpenAiJob job) {
        return api.dialect.modelName(job.model, api.organization, job.suffix, job.modelToken);
    }

    /** Metrics events (at most {@link #MAX_METRIC_EVENTS}) and the checkpoints of the last three epochs. */
    @Override
    protected void report(OpenAiJob job, int upTo) {
        int total = job.totalSteps;
        int every = Math.max(1, (total + MAX_METRIC_EVENTS - 1) / MAX_METRIC_EVENTS);
        int firstCheckpointEpoch = Math.max(1, job.resolvedHyperparameters.get("n_epochs").asInt() - 2);
        for (int step = job.stepsReported + 1; step <= upTo; step++) {
            if (step % every == 0 || step == total || step == 1) {
                ObjectNode data = metrics(job, step);
                data.put("total_steps", total);
                String message = "Step " + step + "/" + total + ": training loss=" + fmt(job.curve.trainLoss(step, total))
                        + (job.validation == null ? "" : ", validation loss=" + fmt(job.curve.validLoss(step, total)));
                addEvent(job, "info", message, "metrics", data);
            }
            if (step % job.stepsPerEpoch == 0 && step / job.stepsPerEpoch >= firstCheckpointEpoch) {
                checkpoint(job, step);
            }
        }
    }

    /** {@code step}, {@code train_loss}, {@code train_mean_token_accuracy} and, with a validation file, its two. */
    private static ObjectNode metrics(OpenAiJob job, int step) {
        int total = job.totalSteps;
        ObjectNode m = Jsons.object();
        m.put("step", step);
        m.put("train_loss", job.curve.trainLoss(step, total));
        m.put("train_mean_token_accuracy", job.curve.accuracy(step, total));
        if (job.validation != null) {
            m.put("valid_loss", job.curve.validLoss(step, total));
            m.put("valid_mean_token_accuracy", job.curve.validAccuracy(step, total));
        }
        return m;
    }

    private void checkpoint(OpenAiJob job, int step) {
        ObjectNode metrics = metrics(job, step);
        if (job.validation != null) {
            metrics.put("full_valid_loss", LossCurve.round(metrics.get("valid_loss").asDouble() + 0.01));
            metrics.put("full_valid_mean_token_accuracy",
                    LossCurve.round(metrics.get("valid_mean_token_accuracy").asDouble() - 0.01));
        }
        String id = api.dialect.checkpointId(api.ids());
        String model = api.dialect.checkpointModel(modelName(job), step, id);
        long now = api.epochSecond();
        job.checkpoints.add(new Checkpoint(id, now, model, step, metrics));
        api.addModel(new TrainedModel(model, job.model, job.id, now, examplesOf(job)));
        event(job, "info", "Checkpoint created at step " + step);
    }

    @Override
    protected void succeed(OpenAiJob job) {
        long now = api.epochSecond();
        String model = modelName(job);
        job.fineTunedModel = model;
        job.status = "succeeded";
        job.finishedAt = now;
        job.estimatedFinish = null;
        job.trainedTokens = job.training.tokens() * job.resolvedHyperparameters.get("n_epochs").asLong();
        api.addModel(new TrainedModel(model, job.model, job.id, now, examplesOf(job)));
        job.resultFiles.add(api.storeFile(api.dialect.resultsFileName(), "fine-tune-results",
                api.dialect.resultsCsv(job)).id());
        event(job, "info", "New fine-tuned model created");
        event(job, "info", "Evaluating model against our usage policies");
        event(job, "info", "Usage policy evaluations completed, model is now enabled for sampling");
        event(job, "info", "The job has successfully completed");
    }

    /** The examples a trained model answers from: its parent model's, then its own. */
    private TrainingSet examplesOf(OpenAiJob job) {
        TrainedModel parent = api.trained(job.model);
        return parent == null ? job.training : parent.examples.plus(job.training);
    }

    private void fail(OpenAiJob job, String code, String message, String param) {
        ObjectNode error = Jsons.object();
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        job.error = error;
        job.status = "failed";
        job.finishedAt = api.epochSecond();
        job.estimatedFinish = null;
        event(job, "error", message);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void event(OpenAiJob job, String level, String message) {
        addEvent(job, level, message, "message", null);
    }

    private void addEvent(OpenAiJob job, String level, String message, String type, ObjectNode data) {
        job.events.add(new Event(api.ids().alnum("ftevent-", 24), api.epochSecond(), type, level, message, data));
    }
}
