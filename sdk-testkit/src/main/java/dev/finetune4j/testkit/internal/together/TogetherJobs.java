package dev.finetune4j.testkit.internal.together;

import static dev.finetune4j.testkit.internal.together.TogetherErrors.invalid;
import static dev.finetune4j.testkit.internal.together.TogetherErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.LossCurve;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code /v1/fine-tunes} routes, the model limits, the weights download, and what the shared job
 * path means for a Together job: {@code pending → queued → running → completed}, or {@code
 * user_error} (its data failed the check when it was picked up), {@code error} (a scripted failure),
 * {@code cancel_requested → cancelled}; events as Together's clients read them, metrics snapshots,
 * intermediate and final checkpoints. Called under {@link TogetherApi}'s lock.
 */
final class TogetherJobs extends JobBoard<TogetherJob, TogetherApi> {

    static final int MAX_RANK = 64;
    static final int LORA_MIN_BATCH = 8;
    static final int LORA_MAX_BATCH = 32;
    static final int FULL_MIN_BATCH = 8;
    static final int FULL_MAX_BATCH = 24;
    static final int MAX_EPOCHS = 20;
    static final int MAX_EVALS = 100;
    static final int MAX_SUFFIX = 40;
    private static final Pattern CHECKPOINT = Pattern.compile("(.+?)(?::(\\d+))?");
    private static final Set<String> FIELDS = Set.of("training_file", "validation_file", "packing", "max_seq_length",
            "model", "n_epochs", "n_checkpoints", "n_evals", "batch_size", "learning_rate", "lr_scheduler",
            "warmup_ratio", "max_grad_norm", "weight_decay", "random_seed", "suffix", "wandb_api_key", "wandb_key",
            "wandb_base_url", "wandb_project_name", "wandb_name", "wandb_entity", "train_on_inputs",
            "training_method", "training_type", "multimodal_params", "from_checkpoint", "from_hf_model",
            "hf_model_revision", "hf_api_token", "hf_output_repo_name");
    private static final List<String> ECHOED = List.of("warmup_ratio", "max_grad_norm", "weight_decay", "random_seed",
            "packing", "max_seq_length", "lr_scheduler", "wandb_project_name", "wandb_name");

    /** Per job: what its model knows (a continued job, its parent's examples too), and its checkpoints. */
    private final Map<String, TrainingSet> knows = new HashMap<>();
    private final Map<String, List<ObjectNode>> checkpoints = new HashMap<>();

    TogetherJobs(TogetherApi api) {
        super(api);
    }

    void routes(Routes r) {
        r.get("/v1/fine-tunes/models/supported", call -> {
            ArrayNode models = Jsons.array();
            api.settings().baseModels().forEach(models::add);
            return Reply.ok(Jsons.object().set("models", models));
        }).get("/v1/fine-tunes/models/limits", this::limits);
        collection(r, "/v1/fine-tunes", this::create, call -> {
            ArrayNode data = Jsons.array();
            all().forEach(j -> data.add(j.toJson(false)));
            return Reply.ok(Jsons.object().set("data", data));
        }, job -> Reply.ok(job.toJson(true)));
        r.post("/v1/fine-tunes/{id}/cancel", call -> Reply.ok(cancel(job(call)).toJson(false)))
                .delete("/v1/fine-tunes/{id}", this::delete)
                .get("/v1/fine-tunes/{id}/events", call -> Reply.ok(Jsons.object().put("object", "list")
                        .set("data", job(call).events())))
                .get("/v1/fine-tunes/{id}/checkpoints", call -> {
                    ArrayNode data = Jsons.array();
                    checkpoints.getOrDefault(job(call).id, List.of()).forEach(data::add);
                    return Reply.ok(Jsons.object().set("data", data));
                })
                .get("/v1/fine-tunes/{id}/metrics", call -> {
                    ArrayNode data = Jsons.array();
                    job(call).metrics.forEach(data::add);
                    return Reply.ok(Jsons.object().set("metrics", data));
                })
                .get("/v1/finetune/download", this::download);
    }

    void clearState() {
        knows.clear();
        checkpoints.clear();
    }

    @Override
    protected ApiError unknownJob(String id) {
        return notFound("Fine-tune job " + id + " not found");
    }

    /** What a trained model of this job knows. */
    TrainingSet knowledge(TogetherJob job) {
        return knows.getOrDefault(job.id, TrainingSet.empty());
    }

    // ---------------------------------------------------------------- create

    private Reply create(HttpCall call) {
        ObjectNode body = TogetherApi.jsonBody(call);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw invalid("Unknown field: " + f, f);
            }
        }
        String trainingFile = text(body, "training_file");
        if (trainingFile == null) {
            throw invalid("training_file is required", "training_file");
        }
        processedFile(trainingFile, "training_file");
        String validationFile = text(body, "validation_file");
        if (validationFile != null) {
            processedFile(validationFile, "validation_file");
        }
        String model = text(body, "model");
        String fromCheckpoint = text(body, "from_checkpoint");
        if (model != null && fromCheckpoint != null) {
            throw invalid("You must specify either a model or a checkpoint to start a job from, not both", "model");
        }
        if (model == null && fromCheckpoint == null) {
            throw invalid("model is required", "model");
        }
        TogetherJob parent = null;
        if (fromCheckpoint != null) {
            parent = checkpointJob(fromCheckpoint);
            model = parent.model;
        } else if (!api.isBaseModel(model)) {
            throw invalid("Model " + model + " is not available for fine-tuning; GET /fine-tunes/models/supported "
                    + "lists the models that are", "model");
        }
        int epochs = integer(body, "n_epochs", 1, 1, MAX_EPOCHS);
        int checkpointsWanted = integer(body, "n_checkpoints", 1, 1, 100);
        int evals = integer(body, "n_evals", 0, 0, MAX_EVALS);
        String suffix = text(body, "suffix");
        if (suffix != null && suffix.length() > MAX_SUFFIX) {
            throw invalid("suffix must be at most " + MAX_SUFFIX + " characters, was " + suffix.length(), "suffix");
        }
        ObjectNode trainingType = trainingType(body.get("training_type"));
        boolean lora = trainingType.path("type").asText().equals("Lora");
        int batch = batch(body.get("batch_size"), lora);
        double rate = body.has("learning_rate") ? body.get("learning_rate").asDouble() : 1e-5;
        if (!(rate >= 1e-8 && rate <= 1)) {
            throw invalid("learning_rate must be between 1e-08 and 1, was " + rate, "learning_rate");
        }
        ObjectNode method = body.hasNonNull("training_method") && body.get("training_method").isObject()
                ? (ObjectNode) body.get("training_method").deepCopy()
                : Jsons.object().put("method", "sft").put("train_on_inputs", "auto");
        if (!method.path("method").asText().equals("sft")) {
            throw invalid("The emulator trains training_method sft only, not " + method.path("method"),
                    "training_method");
        }
        ObjectNode echoed = Jsons.object();
        for (String f : ECHOED) {
            if (body.hasNonNull(f)) {
                echoed.set(f, body.get(f));
            }
        }
        TogetherJob job = new TogetherJob("ft-" + api.ids().uuid(), api.settings().clock().now(), model, trainingFile,
                validationFile, suffix, parent, fromCheckpoint, epochs, checkpointsWanted, evals, batch, rate,
                trainingType, method, echoed, nextFailure());
        add(job);
        event(job, "JOB_PENDING", "Info", "Fine tune request created", null);
        return Reply.ok(job.toJson(false));
    }

    void processedFile(String id, String field) {
        StoredFile f = api.files().find(id);
        if (f == null) {
            throw invalid("File " + id + " for " + field + " does not exist or has not been processed", field);
        }
        if (!f.purpose().equals("fine-tune")) {
            throw invalid("File " + id + " has purpose " + f.purpose() + ", not fine-tune", field);
        }
    }

    /** The completed job a {@code from_checkpoint} value names: a job id or output model name, with an optional step. */
    TogetherJob checkpointJob(String value) {
        Matcher m = CHECKPOINT.matcher(value);
        m.matches();
        String name = m.group(1);
        for (TogetherJob j : all()) {
            if (j.id.equals(name) || name.equals(j.outputName)) {
                if (!j.status.equals("completed")) {
                    throw invalid("Job " + j.id + " has not completed; it has no checkpoint to continue from",
                            "from_checkpoint");
                }
                if (m.group(2) != null && savedAt(j, Integer.parseInt(m.group(2))) == null) {
                    throw invalid("Job " + j.id + " has no checkpoint at step " + m.group(2), "from_checkpoint");
                }
                return j;
            }
        }
        throw invalid("Checkpoint " + value + " not found", "from_checkpoint");
    }

    static ObjectNode trainingType(JsonNode t) {
        if (t == null || t.isNull()) {
            // the server's default: LoRA
            return Jsons.object().put("type", "Lora").put("lora_r", 8).put("lora_alpha", 16).put("lora_dropout", 0.0)
                    .put("lora_trainable_modules", "all-linear");
        }
        String type = t.path("type").asText("");
        if (type.equals("Full")) {
            return Jsons.object().put("type", "Full");
        }
        if (!type.equals("Lora")) {
            throw invalid("training_type.type must be Full or Lora, was " + t.path("type"), "training_type");
        }
        if (!t.path("lora_r").isInt() || !t.path("lora_alpha").isNumber()) {
            throw invalid("training_type Lora requires lora_r and lora_alpha", "training_type");
        }
        int r = t.get("lora_r").asInt();
        if (r < 1 || r > MAX_RANK) {
            throw invalid("lora_r must be between 1 and " + MAX_RANK + ", was " + r, "training_type");
        }
        double dropout = t.path("lora_dropout").asDouble(0);
        if (dropout < 0 || dropout >= 1) {
            throw invalid("lora_dropout must be in [0, 1), was " + dropout, "training_type");
        }
        return Jsons.object().put("type", "Lora").put("lora_r", r).put("lora_alpha", t.get("lora_alpha").asInt())
                .put("lora_dropout", dropout)
                .put("lora_trainable_modules", t.path("lora_trainable_modules").asText("all-linear"));
    }

    private static int batch(JsonNode b, boolean lora) {
        int min = lora ? LORA_MIN_BATCH : FULL_MIN_BATCH;
        int max = lora ? LORA_MAX_BATCH : FULL_MAX_BATCH;
        if (b == null || b.isNull() || b.asText().equals("max")) {
            return max;
        }
        if (!b.isInt() || b.asInt() < min || b.asInt() > max) {
            throw invalid("batch_size must be \"max\" or between " + min + " and " + max + ", was " + b, "batch_size");
        }
        return b.asInt();
    }

    static int integer(ObjectNode body, String field, int dflt, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
            throw invalid(field + " must be an integer between " + min + " and " + max + ", was " + v, field);
        }
        return v.asInt();
    }

    static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    // ---------------------------------------------------------------- reads and control

    private Reply limits(HttpCall call) {
        String name = call.queryParam("model_name").orElse("");
        String base = null;
        if (api.isBaseModel(name)) {
            base = name;
        } else {
            for (TogetherJob j : all()) {
                if (j.id.equals(name) || name.equals(j.outputName)) {
                    base = j.model;
                }
            }
        }
        if (base == null) {
            throw TogetherErrors.plainNotFound("Model " + name + " not found or not supported for fine-tuning");
        }
        ObjectNode n = Jsons.object().put("model_name", base);
        n.putObject("full_training").put("max_batch_size", FULL_MAX_BATCH).put("max_batch_size_dpo", FULL_MAX_BATCH / 2)
                .put("min_batch_size", FULL_MIN_BATCH);
        ObjectNode lora = n.putObject("lora_training").put("max_batch_size", LORA_MAX_BATCH)
                .put("max_batch_size_dpo", LORA_MAX_BATCH / 2).put("min_batch_size", LORA_MIN_BATCH)
                .put("max_rank", MAX_RANK);
        lora.putArray("target_modules").add("q_proj").add("k_proj").add("v_proj").add("o_proj").add("gate_proj")
                .add("up_proj").add("down_proj");
        n.put("max_num_epochs", MAX_EPOCHS).put("max_num_evals", MAX_EVALS).put("max_learning_rate", 1.0)
                .put("min_learning_rate", 1e-8).put("supports_vision", false).put("supports_tools", true)
                .put("supports_reasoning", false).put("merge_output_lora", false);
        return Reply.ok(n);
    }

    private TogetherJob cancel(TogetherJob job) {
        if (job.terminal() || job.status.equals("cancel_requested")) {
            throw invalid("Job " + job.id + " is " + job.status + " and cannot be cancelled", "id");
        }
        setStatus(job, "cancel_requested");
        event(job, "CANCEL_REQUESTED", "Info", "Cancel requested", null);
        return job;
    }

    private Reply delete(HttpCall call) {
        TogetherJob job = job(call);
        if (job.outputName != null && api.hasModel(job.outputName)) {
            api.deleteModel(job.outputName);
        }
        remove(job.id);
        knows.remove(job.id);
        checkpoints.remove(job.id);
        return Reply.ok(Jsons.object().put("message", "Fine-tune job " + job.id + " deleted"));
    }

    private Reply download(HttpCall call) {
        String id = call.queryParam("ft_id").orElseThrow(() -> invalid("ft_id is required", "ft_id"));
        TogetherJob job = all().stream().filter(j -> j.id.equals(id)).findFirst()
                .orElseThrow(() -> notFound("Fine-tune job " + id + " not found"));
        if (!job.status.equals("completed")) {
            throw invalid("Job " + id + " is " + job.status + "; only a completed job can be downloaded", "ft_id");
        }
        int step = -1;
        if (call.queryParam("checkpoint_step").isPresent()) {
            try {
                step = Integer.parseInt(call.queryParam("checkpoint_step").get());
            } catch (NumberFormatException e) {
                throw invalid("checkpoint_step must be an integer", "checkpoint_step");
            }
            if (savedAt(job, step) == null) {
                throw invalid("Job " + id + " has no checkpoint at step " + step, "checkpoint_step");
            }
        }
        String checkpoint = call.queryParam("checkpoint").orElse(null);
        Set<String> allowed = job.lora() ? Set.of("merged", "adapter") : Set.of("model_output_path");
        if (checkpoint == null && step < 0) {
            throw invalid("checkpoint is required when checkpoint_step is not set", "checkpoint");
        }
        if (checkpoint != null && !allowed.contains(checkpoint)) {
            throw invalid("checkpoint " + checkpoint + " does not apply to a " + job.trainingType.path("type").asText()
                    + " job; use one of " + allowed, "checkpoint");
        }
        String kind = checkpoint != null ? checkpoint : job.lora() ? "merged" : "model_output_path";
        return Reply.status(200).header("Content-Type", "application/x-tar")
                .header("Content-Disposition", "attachment; filename=\"" + job.outputName.replace('/', '-')
                        + ".tar.gz\"")
                .body(WeightsArchive.of(job, kind, step));
    }

    private ObjectNode savedAt(TogetherJob job, int step) {
        for (ObjectNode c : checkpoints.getOrDefault(job.id, List.of())) {
            if (c.path("step").asInt() == step) {
                return c;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- progress

    @Override
    protected boolean pending(TogetherJob job) {
        return job.status.equals("cancel_requested");
    }

    @Override
    protected void settle(TogetherJob job) {
        setStatus(job, "cancelled");
        event(job, "JOB_STOPPED", "Info", "Job was cancelled", null);
    }

    @Override
    protected boolean accept(TogetherJob job) {
        TokenCounter counter = TokenCounter.forModel(job.model);
        TrainingSet own = read(job, job.trainingFile, counter);
        TrainingSet validation = job.validationFile == null ? null : read(job, job.validationFile, counter);
        if (own == null || job.validationFile != null && validation == null) {
            return false;
        }
        job.training(own);
        job.hasValidation = validation != null && job.evals > 0;
        knows.put(job.id, job.parent == null ? own : knowledge(job.parent).plus(own));
        int perEpoch = (int) Math.max(1, Math.ceil((double) own.size() / job.batchSize));
        job.totalSteps = perEpoch * job.epochs;
        job.tokenCount = TogetherPrices.tokens(own, validation, job.epochs, job.evals);
        setStatus(job, "queued");
        return true;
    }

    /** A file's examples, or null after failing the job as Together reports bad data (user_error). */
    private TrainingSet read(TogetherJob job, String fileId, TokenCounter counter) {
        StoredFile f = api.files().find(fileId);
        if (f == null) {
            userError(job, "File " + fileId + " was deleted before the job started");
            return null;
        }
        TrainingSet.Parsed p = TrainingSet.parse(f.text(), TrainingSet.Shape.CHAT, counter);
        if (!p.ok()) {
            userError(job, "Invalid file " + fileId + ": line " + p.problem().line() + ": " + p.problem().message());
            return null;
        }
        return p.set();
    }

    private void userError(TogetherJob job, String message) {
        setStatus(job, "user_error");
        event(job, "JOB_USER_ERROR", "Error", message, null);
    }

    @Override
    protected void start(TogetherJob job) {
        setStatus(job, "running");
        event(job, "JOB_START", "Info", "Job started at " + api.settings().clock().now(), null);
        event(job, "MODEL_DOWNLOAD_COMPLETE", "Info", "Model data downloaded for " + job.model, null);
        event(job, "TRAINING_DATA_DOWNLOAD_COMPLETE", "Info", "Training data downloaded", null);
        event(job, "TRAINING_START", "Info", "Training started for model " + job.model,
                Jsons.object().put("total_steps", job.totalSteps).put("token_count", job.tokenCount));
    }

    /** Metrics about every 5 % of the run, evaluations and intermediate checkpoints where they fall, epochs as they end. */
    @Override
    protected void report(TogetherJob job, int upTo) {
        int total = job.totalSteps;
        int every = Math.max(1, total / 20);
        LossCurve curve = job.curve;
        for (int step = job.stepsReported + 1; step <= upTo; step++) {
            if (step % every == 0 || step == total) {
                job.metrics.add(Jsons.object().put("train/loss", curve.trainLoss(step, total))
                        .put("train/learning_rate", LossCurve.round(job.learningRate * (1 - (double) step / (total + 1))))
                        .put("train/global_step", step));
            }
            if (job.hasValidation && falls(step, total, job.evals)) {
                job.metrics.add(Jsons.object().put("eval/loss", curve.validLoss(step, total))
                        .put("eval/global_step", step));
            }
            if (step < total && falls(step, total, job.checkpointsWanted)) {
                checkpoint(job, step, "Intermediate");
                event(job, "CHECKPOINT_SAVE", "Info", "New checkpoint saved at step " + step,
                        Jsons.object().put("step", step).put("total_steps", total));
            }
            if (falls(step, total, job.epochs)) {
                event(job, "EPOCH_COMPLETE", "Info", "Epoch completed, at step " + step,
                        Jsons.object().put("step", step).put("total_steps", total));
            }
        }
    }

    /** Whether {@code step} is one of the {@code n} points that split {@code total} steps evenly. */
    private static boolean falls(int step, int total, int n) {
        for (int k = 1; k <= n; k++) {
            if (step == (int) Math.round((double) total * k / n)) {
                return true;
            }
        }
        return false;
    }

    private void checkpoint(TogetherJob job, int step, String type) {
        checkpoints.computeIfAbsent(job.id, k -> new ArrayList<>()).add(Jsons.object().put("step", step)
                .put("created_at", api.settings().clock().now().toString())
                .put("path", "s3://together-emulator/finetune/" + job.id + "/checkpoint-" + step)
                .put("checkpoint_type", type));
    }

    @Override
    protected void succeed(TogetherJob job) {
        String base = job.model.substring(job.model.lastIndexOf('/') + 1);
        job.outputName = api.account() + "/" + base + (job.suffix == null ? "" : "-" + job.suffix) + "-"
                + api.ids().hex(8);
        job.totalPriceNanos = TogetherPrices.nanos(job.tokenCount);
        if (job.lora()) {
            checkpoint(job, job.totalSteps, "Final Merged");
            checkpoint(job, job.totalSteps, "Final Adapter");
        } else {
            checkpoint(job, job.totalSteps, "Final");
        }
        event(job, "TRAINING_COMPLETE", "Info", "Training completed", null);
        event(job, "MODEL_UPLOAD_COMPLETE", "Info", "Model uploaded", Jsons.object().put("model_path",
                "s3://together-emulator/finetune/" + job.id + "/output"));
        api.addModel(new TogetherModel(job.outputName, job.model, job.id, api.epochSecond(), knowledge(job),
                job.lora(), job.lora() && api.servesLoraServerless(job.model)));
        setStatus(job, "completed");
        event(job, "JOB_COMPLETE", "Info", "Job finished at " + api.settings().clock().now(), null);
    }

    @Override
    protected void fail(TogetherJob job, Failure failure) {
        setStatus(job, "error");
        event(job, "JOB_ERROR", "Error", failure.message(), null);
    }

    private void setStatus(TogetherJob job, String status) {
        job.status = status;
        job.updatedAt = api.settings().clock().now();
        if (status.equals("cancel_requested")) {
            restartClock(job);
        }
    }

    private void event(TogetherJob job, String type, String level, String message, ObjectNode data) {
        job.events.add(new JobRun.Event(null, api.epochSecond(), type, level, message, data));
    }
}
