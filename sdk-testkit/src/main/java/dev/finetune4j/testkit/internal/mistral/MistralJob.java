package dev.finetune4j.testkit.internal.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.TrainingSet;
import java.util.ArrayList;
import java.util.List;

/** One emulated Mistral fine-tuning job. Guarded by {@link MistralApi}. */
final class MistralJob {

    record Event(String name, long createdAt, ObjectNode data) {

        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("name", name);
            n.put("created_at", createdAt);
            n.set("data", data);
            return n;
        }
    }

    record Checkpoint(int step, long createdAt, ObjectNode metrics) {

        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.set("metrics", metrics);
            n.put("step_number", step);
            n.put("created_at", createdAt);
            return n;
        }
    }

    /** A training file and its weight. */
    record TrainingFile(String fileId, double weight) {}

    final String id;
    final long createdAt;
    final String model;
    final List<TrainingFile> trainingFiles;
    final List<String> validationFiles;
    final String suffix;
    final boolean autoStart;
    final double skipFraction;
    final JsonNode integrations;
    /** The hyper-parameters as requested. */
    final ObjectNode hyperparameters;
    final String[] scriptedFailure;

    String status = "QUEUED";
    long modifiedAt;
    /** 0 queued, 1 validated, [2, 3) running, 3 finished. */
    double position;
    double timedBase;
    long timedBaseSecond;
    boolean startRequested;
    ObjectNode metadata;
    String fineTunedModel;
    Long trainedTokens;
    int totalSteps;
    int stepsReported;
    TrainingSet training;
    boolean hasValidation;
    String errorCode;
    String errorMessage;
    final List<Event> events = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();

    MistralJob(String id, long createdAt, String model, List<TrainingFile> trainingFiles, List<String> validationFiles,
               String suffix, boolean autoStart, double skipFraction, JsonNode integrations,
               ObjectNode hyperparameters, String[] scriptedFailure) {
        this.id = id;
        this.createdAt = createdAt;
        this.modifiedAt = createdAt;
        this.model = model;
        this.trainingFiles = List.copyOf(trainingFiles);
        this.validationFiles = List.copyOf(validationFiles);
        this.suffix = suffix;
        this.autoStart = autoStart;
        this.skipFraction = skipFraction;
        this.integrations = integrations;
        this.hyperparameters = hyperparameters;
        this.scriptedFailure = scriptedFailure;
        this.timedBaseSecond = createdAt;
    }

    boolean terminal() {
        return status.equals("SUCCESS") || status.equals("FAILED") || status.equals("FAILED_VALIDATION")
                || status.equals("CANCELLED");
    }

    /** Whether the job can only move on once the client calls {@code /start}. */
    boolean waitingForStart() {
        return status.equals("VALIDATED") && !autoStart && !startRequested;
    }

    ObjectNode toJson(boolean detailed) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("auto_start", autoStart);
        n.put("model", model);
        n.put("status", status);
        n.put("created_at", createdAt);
        n.put("modified_at", modifiedAt);
        ArrayNode tf = n.putArray("training_files");
        trainingFiles.forEach(f -> tf.add(f.fileId()));
        ArrayNode vf = n.putArray("validation_files");
        validationFiles.forEach(vf::add);
        n.put("object", "job");
        if (fineTunedModel == null) {
            n.putNull("fine_tuned_model");
        } else {
            n.put("fine_tuned_model", fineTunedModel);
        }
        if (suffix == null) {
            n.putNull("suffix");
        } else {
            n.put("suffix", suffix);
        }
        if (integrations == null) {
            n.putArray("integrations");
        } else {
            n.set("integrations", integrations);
        }
        if (trainedTokens == null) {
            n.putNull("trained_tokens");
        } else {
            n.put("trained_tokens", trainedTokens);
        }
        if (metadata == null) {
            n.putNull("metadata");
        } else {
            n.set("metadata", metadata);
        }
        n.put("job_type", "completion");
        n.set("hyperparameters", hyperparameters);
        n.putArray("repositories");
        if (detailed) {
            ArrayNode ev = n.putArray("events");
            events.forEach(e -> ev.add(e.toJson()));
            ArrayNode cp = n.putArray("checkpoints");
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                cp.add(checkpoints.get(i).toJson());
            }
        }
        return n;
    }
}
