package dev.finetune4j.testkit.internal.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One emulated Mistral fine-tuning job. Guarded by {@link MistralApi}. */
final class MistralJob extends JobRun {

    /** A training file and its weight. */
    record TrainingFile(String fileId, double weight) {}

    final String model;
    final List<TrainingFile> trainingFiles;
    final List<String> validationFiles;
    final String suffix;
    final boolean autoStart;
    final double skipFraction;
    final JsonNode integrations;
    /** The hyper-parameters as requested, completed at validation. */
    final ObjectNode hyperparameters;

    String status = "QUEUED";
    long modifiedAt;
    boolean startRequested;
    ObjectNode metadata;
    boolean hasValidation;
    String errorCode;
    String errorMessage;

    MistralJob(String id, long createdAt, String model, List<TrainingFile> trainingFiles, List<String> validationFiles,
               String suffix, boolean autoStart, double skipFraction, JsonNode integrations,
               ObjectNode hyperparameters, Failure scripted) {
        super(id, Instant.ofEpochSecond(createdAt), scripted);
        this.modifiedAt = createdAt;
        this.model = model;
        this.trainingFiles = List.copyOf(trainingFiles);
        this.validationFiles = List.copyOf(validationFiles);
        this.suffix = suffix;
        this.autoStart = autoStart;
        this.skipFraction = skipFraction;
        this.integrations = integrations;
        this.hyperparameters = hyperparameters;
    }

    @Override
    public boolean terminal() {
        return status.equals("SUCCESS") || status.equals("FAILED") || status.equals("FAILED_VALIDATION")
                || status.equals("CANCELLED");
    }

    /** Waiting for the client's {@code /start}, or for its cancellation to complete. */
    @Override
    public boolean held() {
        return status.equals("VALIDATED") && !autoStart && !startRequested || status.equals("CANCELLATION_REQUESTED");
    }

    @Override
    public EmulatedJob snapshot() {
        return new EmulatedJob(id, model, status, trainingFiles.stream().map(TrainingFile::fileId).toList(),
                validationFiles.isEmpty() ? null : validationFiles.get(0), suffix, Map.of(), fineTunedModel, errorCode,
                errorMessage, trainedTokens, createdAt);
    }

    ObjectNode toJson(boolean detailed) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("auto_start", autoStart);
        n.put("model", model);
        n.put("status", status);
        n.put("created_at", createdAt.getEpochSecond());
        n.put("modified_at", modifiedAt);
        ArrayNode tf = n.putArray("training_files");
        trainingFiles.forEach(f -> tf.add(f.fileId()));
        ArrayNode vf = n.putArray("validation_files");
        validationFiles.forEach(vf::add);
        n.put("object", "job");
        n.put("fine_tuned_model", fineTunedModel);
        n.put("suffix", suffix);
        if (integrations == null) {
            n.putArray("integrations");
        } else {
            n.set("integrations", integrations);
        }
        n.put("trained_tokens", trainedTokens);
        n.set("metadata", metadata == null ? Jsons.object().nullNode() : metadata);
        n.put("job_type", "completion");
        n.set("hyperparameters", hyperparameters);
        n.putArray("repositories");
        if (detailed) {
            ArrayNode ev = n.putArray("events");
            events.forEach(e -> ev.addObject().put("name", e.type()).put("created_at", e.createdAt()).set("data", e.data()));
            ArrayNode cp = n.putArray("checkpoints");
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                Checkpoint c = checkpoints.get(i);
                cp.addObject().put("step_number", c.step()).put("created_at", c.createdAt()).set("metrics", c.metrics());
            }
        }
        return n;
    }
}
