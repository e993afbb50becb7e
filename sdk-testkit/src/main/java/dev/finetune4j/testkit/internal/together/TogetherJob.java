package dev.finetune4j.testkit.internal.together;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One emulated Together fine-tuning job. Guarded by {@link TogetherApi}. */
final class TogetherJob extends JobRun {

    /** The base model trained (for a continued job, the base under its parent). */
    final String model;
    final String trainingFile;
    final String validationFile;
    final String suffix;
    /** The job and step it continues from, or null. */
    final TogetherJob parent;
    final String fromCheckpoint;
    final int epochs;
    final int checkpointsWanted;
    final int evals;
    final int batchSize;
    final double learningRate;
    /** The training type as the job reports it ({@code {"type":"Lora",...}} or {@code {"type":"Full"}}). */
    final ObjectNode trainingType;
    final ObjectNode trainingMethod;
    /** The other fields of the request, reported back as sent. */
    final ObjectNode echoed;

    String status = "pending";
    Instant updatedAt;
    String outputName;
    long tokenCount;
    long totalPriceNanos;
    boolean hasValidation;
    /** Metric snapshots reported so far, oldest first ({@code train/loss}, {@code train/global_step}, ...). */
    final List<ObjectNode> metrics = new ArrayList<>();

    TogetherJob(String id, Instant createdAt, String model, String trainingFile, String validationFile, String suffix,
                TogetherJob parent, String fromCheckpoint, int epochs, int checkpointsWanted, int evals, int batchSize,
                double learningRate, ObjectNode trainingType, ObjectNode trainingMethod, ObjectNode echoed,
                Failure scripted) {
        super(id, createdAt, scripted);
        this.updatedAt = createdAt;
        this.model = model;
        this.trainingFile = trainingFile;
        this.validationFile = validationFile;
        this.suffix = suffix;
        this.parent = parent;
        this.fromCheckpoint = fromCheckpoint;
        this.epochs = epochs;
        this.checkpointsWanted = checkpointsWanted;
        this.evals = evals;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.trainingType = trainingType;
        this.trainingMethod = trainingMethod;
        this.echoed = echoed;
    }

    boolean lora() {
        return "Lora".equals(trainingType.path("type").asText());
    }

    @Override
    public boolean terminal() {
        return status.equals("completed") || status.equals("cancelled") || status.equals("error")
                || status.equals("user_error");
    }

    /** Waiting for its cancellation to complete. */
    @Override
    public boolean held() {
        return status.equals("cancel_requested");
    }

    @Override
    public EmulatedJob snapshot() {
        String code = null;
        String message = null;
        if (status.equals("error") || status.equals("user_error")) {
            code = status;
            for (Event e : events) {
                if (e.level().equals("Error")) {
                    message = e.message();
                }
            }
        }
        return new EmulatedJob(id, model, status, List.of(trainingFile), validationFile, suffix, Map.of(),
                status.equals("completed") ? outputName : null, code, message,
                status.equals("completed") ? tokenCount : null, createdAt);
    }

    /** {@code FinetuneResponse}; the truncated form (create, list, cancel) has no events. */
    ObjectNode toJson(boolean withEvents) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("status", status);
        n.put("created_at", createdAt.toString());
        n.put("updated_at", updatedAt.toString());
        n.put("model", model);
        n.put("model_output_name", outputName);
        n.put("suffix", suffix);
        n.put("training_file", trainingFile);
        if (validationFile != null) {
            n.put("validation_file", validationFile);
        }
        n.put("n_epochs", epochs);
        n.put("n_checkpoints", checkpointsWanted);
        n.put("n_evals", evals);
        n.put("batch_size", batchSize);
        n.put("learning_rate", learningRate);
        n.set("training_type", trainingType);
        n.set("training_method", trainingMethod);
        if (fromCheckpoint != null) {
            n.put("from_checkpoint", fromCheckpoint);
        }
        n.setAll(echoed);
        n.put("token_count", tokenCount);
        n.put("total_price", totalPriceNanos);
        n.put("total_steps", totalSteps);
        n.put("steps_completed", stepsReported);
        n.put("epochs_completed", totalSteps == 0 ? 0 : (int) ((long) stepsReported * epochs / totalSteps));
        n.put("queue_depth", status.equals("queued") ? 1 : 0);
        n.put("user_id", "user_emulator");
        n.put("owner_address", "emulator@example.com");
        if (withEvents) {
            n.set("events", events());
        }
        return n;
    }

    /** The events as {@code FineTuneEvent}s (types upper case and levels capitalised, as Together's clients read them). */
    ArrayNode events() {
        ArrayNode a = Jsons.array();
        for (Event e : events) {
            ObjectNode o = a.addObject();
            o.put("object", "fine-tune-event");
            o.put("created_at", Instant.ofEpochSecond(e.createdAt()).toString());
            o.put("level", e.level());
            o.put("message", e.message());
            o.put("type", e.type());
            JsonNode data = e.data();
            o.put("param_count", data == null ? 0 : data.path("param_count").asLong(0));
            o.put("token_count", data == null ? 0 : data.path("token_count").asLong(0));
            o.put("total_steps", data == null ? 0 : data.path("total_steps").asInt(0));
            o.put("wandb_url", "");
            o.put("step", data == null ? 0 : data.path("step").asInt(0));
            o.put("checkpoint_path", data == null ? "" : data.path("checkpoint_path").asText(""));
            o.put("model_path", data == null ? "" : data.path("model_path").asText(""));
            o.put("training_offset", 0);
            o.put("hash", "");
        }
        return a;
    }
}
