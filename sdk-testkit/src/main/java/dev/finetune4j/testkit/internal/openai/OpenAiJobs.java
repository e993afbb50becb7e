package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /v1/fine_tuning/jobs} routes and the life of a job:
 * {@code validating_files → queued → running → succeeded} (or {@code failed}, {@code cancelled},
 * {@code paused}). Called under {@link OpenAiApi}'s lock.
 */
final class OpenAiJobs {

    private static final Set<String> CREATE_FIELDS = Set.of("model", "training_file", "validation_file",
            "hyperparameters", "suffix", "seed", "metadata", "method", "integrations");
    private static final int MIN_EXAMPLES = 10;
    /** At most this many metrics events per job; longer runs report every k-th step. */
    private static final int MAX_METRIC_EVENTS = 200;

    private final OpenAiApi api;

    OpenAiJobs(OpenAiApi api) {
        this.api = api;
    }

    /** Handles {@code /v1/fine_tuning/jobs...}, or null for an unknown route. */
    Reply route(HttpCall call) {
        List<String> s = call.segments();
        String m = call.method();
        int n = s.size();
        if (n == 3 && m.equals("POST")) {
            return create(call);
        }
        if (n == 3 && m.equals("GET")) {
            return list(call);
        }
        if (n == 4 && m.equals("GET")) {
            OpenAiJob job = job(s.get(3));
            if (api.config.progression().mode() == Progression.Mode.ON_POLL) {
                poll(job);
            }
            return Reply.ok(job.toJson(api.organizationId));
        }
        if (n == 5 && m.equals("POST")) {
            switch (s.get(4)) {
                case "cancel":
                    return Reply.ok(cancel(job(s.get(3))).toJson(api.organizationId));
                case "pause":
                    return Reply.ok(pause(job(s.get(3))).toJson(api.organizationId));
                case "resume":
                    return Reply.ok(resume(job(s.get(3))).toJson(api.organizationId));
                default:
                    return null;
            }
        }
        if (n == 5 && m.equals("GET") && s.get(4).equals("events")) {
            return events(call, job(s.get(3)));
        }
        if (n == 5 && m.equals("GET") && s.get(4).equals("checkpoints")) {
            return checkpoints(call, job(s.get(3)));
        }
        return null;
    }

    private OpenAiJob job(String id) {
        OpenAiJob job = api.jobs.get(id);
        if (job == null) {
            throw notFound("Could not find fine-tuning job " + id + ".", "fine_tuning_job_id", "fine_tuning_job_not_found");
        }
        return job;
    }

    // ---------------------------------------------------------------- create

    private Reply create(HttpCall call) {
        ObjectNode body = OpenAiApi.jsonBody(call);
        OpenAiApi.rejectUnknown(body, CREATE_FIELDS);
        String model = OpenAiApi.requiredText(body, "model");
        String trainingFile = OpenAiApi.requiredText(body, "training_file");
        String validationFile = null;
        if (body.hasNonNull("validation_file")) {
            validationFile = OpenAiApi.requiredText(body, "validation_file");
        }
        String suffix = null;
        if (body.hasNonNull("suffix")) {
            suffix = OpenAiApi.requiredText(body, "suffix");
            if (suffix.isEmpty() || suffix.length() > 64) {
                throw invalid("Invalid 'suffix': string " + (suffix.isEmpty() ? "too short" : "too long")
                        + ". Expected a string with " + (suffix.isEmpty() ? "minimum length 1" : "maximum length 64")
                        + ", but got a string with length " + suffix.length() + " instead.", "suffix",
                        suffix.isEmpty() ? "string_below_min_length" : "string_above_max_length");
            }
        }
        long seed;
        if (body.hasNonNull("seed")) {
            JsonNode s = body.get("seed");
            if (!s.isIntegralNumber() || s.asLong() < 0 || s.asLong() > Integer.MAX_VALUE) {
                throw invalid("Invalid 'seed': expected an integer between 0 and 2147483647.", "seed", "invalid_value");
            }
            seed = s.asLong();
        } else {
            seed = api.ids.nextInt(Integer.MAX_VALUE);
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

        if (!api.isBaseModel(model) && !api.fineTuned.containsKey(model)) {
            throw invalid("Model " + model + " is not available for fine-tuning or does not exist.", "model",
                    "model_not_available");
        }
        OpenAiApi.StoredFile training = api.files.get(trainingFile);
        if (training == null) {
            throw invalid("invalid training_file: " + trainingFile, "training_file", null);
        }
        if (!training.purpose.equals("fine-tune")) {
            throw invalid("File " + trainingFile + " has purpose '" + training.purpose
                    + "'; a training file must be uploaded with purpose 'fine-tune'.", "training_file", null);
        }
        if (validationFile != null) {
            OpenAiApi.StoredFile v = api.files.get(validationFile);
            if (v == null) {
                throw invalid("invalid validation_file: " + validationFile, "validation_file", null);
            }
            if (!v.purpose.equals("fine-tune")) {
                throw invalid("File " + validationFile + " has purpose '" + v.purpose
                        + "'; a validation file must be uploaded with purpose 'fine-tune'.", "validation_file", null);
            }
        }

        long now = api.config.clock().epochSecond();
        OpenAiJob job = new OpenAiJob(api.ids.alnum("ftjob-", 24), now, api.snapshot(model), trainingFile, validationFile,
                suffix, seed, metadata, integrations, methodType, requested, api.jobFailures.poll());
        api.jobs.put(job.id, job);
        event(job, "info", "Created fine-tuning job: " + job.id);
        event(job, "info", "Validating training file: " + trainingFile
                + (validationFile == null ? "" : " and validation file: " + validationFile));
        return Reply.ok(job.toJson(api.organizationId));
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
        out.put("batch_size", "auto");
        out.put("learning_rate_multiplier", "auto");
        out.put("n_epochs", "auto");
        if (methodType.equals("dpo")) {
            out.put("beta", "auto");
        }
        if (in == null || in.isNull()) {
            return out;
        }
        if (!in.isObject()) {
            throw invalid("Invalid type for 'hyperparameters': expected an object.", "hyperparameters", "invalid_type");
        }
        var it = in.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (!out.has(name)) {
                throw invalid("Unrecognized hyperparameter supplied: " + name, "hyperparameters." + name, null);
            }
            if (v.isTextual() && v.asText().equals("auto")) {
                continue;
            }
            boolean ok;
            switch (name) {
                case "n_epochs":
                    ok = v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= 50;
                    break;
                case "batch_size":
                    ok = v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= 256;
                    break;
                case "beta":
                    ok = v.isNumber() && v.asDouble() > 0 && v.asDouble() <= 2;
                    break;
                default:
                    ok = v.isNumber() && v.asDouble() > 0;
                    break;
            }
            if (!ok) {
                throw invalid("Invalid value for 'hyperparameters." + name + "': " + v + ". " + range(name),
                        "hyperparameters." + name, "invalid_value");
            }
            out.set(name, v);
        }
        return out;
    }

    private static String range(String name) {
        switch (name) {
            case "n_epochs":
                return "Expected 'auto' or an integer between 1 and 50.";
            case "batch_size":
                return "Expected 'auto' or an integer between 1 and 256.";
            case "beta":
                return "Expected 'auto' or a number greater than 0 and at most 2.";
            default:
                return "Expected 'auto' or a number greater than 0.";
        }
    }

    // ---------------------------------------------------------------- reads

    private Reply list(HttpCall call) {
        int limit = OpenAiApi.limit(call, 20, 100);
        Map<String, String> filter = new LinkedHashMap<>();
        boolean onlyWithoutMetadata = false;
        for (Map.Entry<String, List<String>> q : call.query().entrySet()) {
            String k = q.getKey();
            if (k.startsWith("metadata[") && k.endsWith("]")) {
                filter.put(k.substring(9, k.length() - 1), q.getValue().get(0));
            } else if (k.equals("metadata") && q.getValue().get(0).equals("null")) {
                onlyWithoutMetadata = true;
            }
        }
        List<OpenAiJob> all = new ArrayList<>();
        for (OpenAiJob j : api.jobs.values()) {
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
        int start = OpenAiApi.afterIndex(all.stream().map(j -> j.id).toList(), call.queryParam("after"));
        List<OpenAiJob> page = all.subList(start, Math.min(all.size(), start + limit));
        ArrayNode data = Jsons.array();
        page.forEach(j -> data.add(j.toJson(api.organizationId)));
        return Reply.ok(OpenAiApi.listBody(data, start + page.size() < all.size()));
    }

    private Reply events(HttpCall call, OpenAiJob job) {
        int limit = OpenAiApi.limit(call, 20, 1000);
        List<OpenAiJob.Event> newestFirst = new ArrayList<>(job.events);
        Collections.reverse(newestFirst);
        int start = OpenAiApi.afterIndex(newestFirst.stream().map(OpenAiJob.Event::id).toList(), call.queryParam("after"));
        List<OpenAiJob.Event> page = newestFirst.subList(start, Math.min(newestFirst.size(), start + limit));
        ArrayNode data = Jsons.array();
        page.forEach(e -> data.add(e.toJson()));
        return Reply.ok(OpenAiApi.listBody(data, start + page.size() < newestFirst.size()));
    }

    private Reply checkpoints(HttpCall call, OpenAiJob job) {
        int limit = OpenAiApi.limit(call, 10, 100);
        List<OpenAiJob.Checkpoint> newestFirst = new ArrayList<>(job.checkpoints);
        Collections.reverse(newestFirst);
        int start = OpenAiApi.afterIndex(newestFirst.stream().map(OpenAiJob.Checkpoint::id).toList(),
                call.queryParam("after"));
        List<OpenAiJob.Checkpoint> page = newestFirst.subList(start, Math.min(newestFirst.size(), start + limit));
        ArrayNode data = Jsons.array();
        page.forEach(c -> data.add(c.toJson()));
        ObjectNode body = OpenAiApi.listBody(data, start + page.size() < newestFirst.size());
        OpenAiApi.putId(body, "first_id", page.isEmpty() ? null : page.get(0).id());
        OpenAiApi.putId(body, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
        return Reply.ok(body);
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
        if (!job.status.equals("running") && !job.status.equals("queued")) {
            throw invalid("Job " + job.id + " is " + job.status + "; only a queued or running job can be paused.",
                    null, null);
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
        job.position = 1;
        job.timedBase = 1;
        job.timedBaseSecond = api.config.clock().epochSecond();
        event(job, "info", "Fine-tuning job resumed");
        return job;
    }

    // ---------------------------------------------------------------- progress

    /** One poll's worth of progress. */
    void poll(OpenAiJob job) {
        if (!job.terminal() && !job.status.equals("paused")) {
            moveTo(job, Progression.nextPollPosition(job.position));
        }
    }

    /** Moves time-driven jobs to where the clock says they are. */
    void syncTimed() {
        if (api.config.progression().mode() != Progression.Mode.TIMED) {
            return;
        }
        long stepSeconds = Math.max(1, api.config.progression().step().toSeconds());
        double stepMillis = api.config.progression().step().toMillis();
        long now = api.config.clock().now().toEpochMilli();
        for (OpenAiJob job : api.jobs.values()) {
            if (job.terminal() || job.status.equals("paused")) {
                continue;
            }
            double elapsed = (now - job.timedBaseSecond * 1000L) / stepMillis;
            moveTo(job, Math.min(3, job.timedBase + elapsed));
            if (!job.terminal() && job.position >= 1) {
                job.estimatedFinish = job.timedBaseSecond + (long) Math.ceil((3 - job.timedBase) * stepSeconds);
            }
        }
    }

    /** Applies every transition between the job's position and {@code target} (0..3). */
    void moveTo(OpenAiJob job, double target) {
        if (job.terminal() || job.status.equals("paused")) {
            return;
        }
        if (job.position < 1 && target >= 1) {
            job.position = 1;
            if (!validate(job)) {
                return;
            }
        }
        if (job.position < 2 && target >= 2) {
            job.position = 2;
            start(job);
        }
        if (job.status.equals("running")) {
            double fraction = Math.min(1, Math.max(0, target - 2));
            job.position = Math.max(job.position, Math.min(3, target));
            boolean failing = job.scriptedFailure != null;
            int upTo = failing ? Math.min((int) Math.floor(fraction * job.totalSteps), job.totalSteps / 2)
                    : (int) Math.floor(fraction * job.totalSteps);
            report(job, upTo);
            if (target >= 3) {
                if (failing) {
                    fail(job, job.scriptedFailure[0], job.scriptedFailure[1], null);
                } else {
                    succeed(job);
                }
            }
        }
    }

    private boolean validate(OpenAiJob job) {
        TokenCounter counter = TokenCounter.forModel(job.model);
        TrainingSet.Shape shape = job.methodType.equals("dpo") ? TrainingSet.Shape.PREFERENCE : TrainingSet.Shape.CHAT;
        OpenAiApi.StoredFile tf = api.files.get(job.trainingFile);
        if (tf == null) {
            fail(job, "invalid_training_file", "The training file " + job.trainingFile + " was deleted before the job "
                    + "could read it.", "training_file");
            return false;
        }
        TrainingSet.Parsed parsed = TrainingSet.parse(new String(tf.content, StandardCharsets.UTF_8), shape, counter);
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
        job.training = parsed.set();
        if (job.validationFile != null) {
            OpenAiApi.StoredFile vf = api.files.get(job.validationFile);
            TrainingSet.Parsed v = vf == null ? null
                    : TrainingSet.parse(new String(vf.content, StandardCharsets.UTF_8), shape, counter);
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

    private void start(OpenAiJob job) {
        if (job.resolvedHyperparameters != null) {
            // resumed after a pause: training continues from the last reported step
            job.status = "running";
            job.estimatedFinish = api.config.clock().epochSecond() + 60;
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
        job.modelToken = api.ids.alnum("", 8);
        job.status = "running";
        job.estimatedFinish = api.config.clock().epochSecond() + 60;
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
        String base = job.model.startsWith("ft:") ? job.model.split(":", -1)[1] : job.model;
        return "ft:" + base + ":" + api.config.organization() + ":" + (job.suffix == null ? "" : job.suffix) + ":"
                + job.modelToken;
    }

    /** Reports steps {@code stepsReported+1 .. upTo}: metrics events and the epoch checkpoints among them. */
    private void report(OpenAiJob job, int upTo) {
        int every = Math.max(1, (job.totalSteps + MAX_METRIC_EVENTS - 1) / MAX_METRIC_EVENTS);
        int epochs = job.resolvedHyperparameters.get("n_epochs").asInt();
        int firstCheckpointEpoch = Math.max(1, epochs - 2);
        for (int step = job.stepsReported + 1; step <= upTo; step++) {
            if (step % every == 0 || step == job.totalSteps || step == 1) {
                ObjectNode data = Jsons.object();
                data.put("step", step);
                data.put("train_loss", trainLoss(step, job.totalSteps));
                data.put("total_steps", job.totalSteps);
                data.put("train_mean_token_accuracy", accuracy(step, job.totalSteps));
                String message = "Step " + step + "/" + job.totalSteps + ": training loss=" + fmt(trainLoss(step, job.totalSteps));
                if (job.validation != null) {
                    data.put("valid_loss", validLoss(step, job.totalSteps));
                    data.put("valid_mean_token_accuracy", round(accuracy(step, job.totalSteps) - 0.02));
                    message += ", validation loss=" + fmt(validLoss(step, job.totalSteps));
                }
                addEvent(job, "info", message, "metrics", data);
            }
            if (step % job.stepsPerEpoch == 0 && step / job.stepsPerEpoch >= firstCheckpointEpoch) {
                checkpoint(job, step);
            }
        }
        job.stepsReported = Math.max(job.stepsReported, upTo);
    }

    private void checkpoint(OpenAiJob job, int step) {
        ObjectNode metrics = Jsons.object();
        metrics.put("step", step);
        metrics.put("train_loss", trainLoss(step, job.totalSteps));
        metrics.put("train_mean_token_accuracy", accuracy(step, job.totalSteps));
        if (job.validation != null) {
            metrics.put("valid_loss", validLoss(step, job.totalSteps));
            metrics.put("valid_mean_token_accuracy", round(accuracy(step, job.totalSteps) - 0.02));
            metrics.put("full_valid_loss", round(validLoss(step, job.totalSteps) + 0.01));
            metrics.put("full_valid_mean_token_accuracy", round(accuracy(step, job.totalSteps) - 0.03));
        }
        String model = modelName(job) + ":ckpt-step-" + step;
        long now = api.config.clock().epochSecond();
        job.checkpoints.add(new OpenAiJob.Checkpoint(api.ids.alnum("ftckpt_", 24), now, model, step, job.id, metrics));
        api.fineTuned.put(model, new OpenAiApi.FineTunedModel(model, now, examplesOf(job)));
        event(job, "info", "Checkpoint created at step " + step);
    }

    private void succeed(OpenAiJob job) {
        long now = api.config.clock().epochSecond();
        String model = modelName(job);
        job.fineTunedModel = model;
        job.status = "succeeded";
        job.finishedAt = now;
        job.estimatedFinish = null;
        job.position = 3;
        job.trainedTokens = job.training.tokens() * job.resolvedHyperparameters.get("n_epochs").asLong();
        api.fineTuned.put(model, new OpenAiApi.FineTunedModel(model, now, examplesOf(job)));
        OpenAiApi.StoredFile results = api.storeFile("step_metrics.csv", "fine-tune-results", resultsCsv(job));
        job.resultFiles.add(results.id);
        event(job, "info", "New fine-tuned model created");
        event(job, "info", "Evaluating model against our usage policies");
        event(job, "info", "Usage policy evaluations completed, model is now enabled for sampling");
        event(job, "info", "The job has successfully completed");
    }

    /** The examples a trained model answers from: its parent model's, then its own. */
    private TrainingSet examplesOf(OpenAiJob job) {
        OpenAiApi.FineTunedModel parent = api.fineTuned.get(job.model);
        return parent == null ? job.training : parent.examples.plus(job.training);
    }

    private void fail(OpenAiJob job, String code, String message, String param) {
        ObjectNode error = Jsons.object();
        error.put("code", code);
        error.put("message", message);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        job.error = error;
        job.status = "failed";
        job.finishedAt = api.config.clock().epochSecond();
        job.estimatedFinish = null;
        job.position = 3;
        event(job, "error", message);
    }

    private byte[] resultsCsv(OpenAiJob job) {
        StringBuilder sb = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        for (int step = 1; step <= job.totalSteps; step++) {
            sb.append(step).append(',').append(trainLoss(step, job.totalSteps)).append(',')
                    .append(accuracy(step, job.totalSteps)).append(',');
            if (job.validation != null) {
                sb.append(validLoss(step, job.totalSteps)).append(',').append(round(accuracy(step, job.totalSteps) - 0.02));
            } else {
                sb.append(',');
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // A smooth, strictly decreasing loss curve: ~2.25 at the start, ~0.35 at the end.
    static double trainLoss(int step, int total) {
        return round(0.25 + 2.0 * Math.exp(-3.0 * step / total));
    }

    static double validLoss(int step, int total) {
        return round(trainLoss(step, total) * 1.08 + 0.04);
    }

    static double accuracy(int step, int total) {
        return round(0.55 + 0.4 * (1 - Math.exp(-3.0 * step / total)));
    }

    private static double round(double v) {
        return Math.round(v * 100_000d) / 100_000d;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void event(OpenAiJob job, String level, String message) {
        addEvent(job, level, message, "message", null);
    }

    private void addEvent(OpenAiJob job, String level, String message, String type, ObjectNode data) {
        job.events.add(new OpenAiJob.Event(api.ids.alnum("ftevent-", 24), api.config.clock().epochSecond(), level,
                message, type, data));
    }
}
