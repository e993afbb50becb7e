package dev.finetune4j.testkit.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.JobRun;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.TrainingSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One emulated fine-tuning job: its request, its state, its events and checkpoints. Guarded by {@link OpenAiApi}. */
final class OpenAiJob extends JobRun {

    final String model;
    final String trainingFile;
    final String validationFile;
    final String suffix;
    final long seed;
    final Map<String, String> metadata;
    final JsonNode integrations;
    final String methodType;
    /** The hyper-parameters as requested: "auto" or numbers. */
    final ObjectNode requestedHyperparameters;

    String status = "validating_files";
    ObjectNode resolvedHyperparameters;
    Long finishedAt;
    Long estimatedFinish;
    String modelToken;
    ObjectNode error;
    final List<String> resultFiles = new ArrayList<>();
    TrainingSet validation;
    int stepsPerEpoch;

    OpenAiJob(String id, long createdAt, String model, String trainingFile, String validationFile, String suffix,
              long seed, Map<String, String> metadata, JsonNode integrations, String methodType,
              ObjectNode requestedHyperparameters, Failure scripted) {
        super(id, Instant.ofEpochSecond(createdAt), scripted);
        this.model = model;
        this.trainingFile = trainingFile;
        this.validationFile = validationFile;
        this.suffix = suffix;
        this.seed = seed;
        this.metadata = metadata == null ? null : new LinkedHashMap<>(metadata);
        this.integrations = integrations;
        this.methodType = methodType;
        this.requestedHyperparameters = requestedHyperparameters;
    }

    @Override
    public boolean terminal() {
        return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
    }

    @Override
    public boolean held() {
        return status.equals("paused");
    }

    @Override
    public EmulatedJob snapshot() {
        return new EmulatedJob(id, model, status, List.of(trainingFile), validationFile, suffix,
                metadata == null ? Map.of() : metadata, fineTunedModel,
                error == null ? null : error.path("code").asText(null),
                error == null ? null : error.path("message").asText(null), trainedTokens, createdAt);
    }

    ObjectNode hyperparameters() {
        return resolvedHyperparameters != null ? resolvedHyperparameters : requestedHyperparameters;
    }

    /** The job object; {@code expectedEnd} is the timed estimate of its end, or null for the job's own. */
    ObjectNode toJson(String organizationId, Long expectedEnd) {
        ObjectNode n = Jsons.object();
        n.put("object", "fine_tuning.job");
        n.put("id", id);
        n.put("model", model);
        n.put("created_at", createdAt.getEpochSecond());
        n.put("finished_at", finishedAt);
        n.put("fine_tuned_model", fineTunedModel);
        n.put("organization_id", organizationId);
        ArrayNode results = n.putArray("result_files");
        resultFiles.forEach(results::add);
        n.put("status", status);
        n.put("validation_file", validationFile);
        n.put("training_file", trainingFile);
        ObjectNode hp = hyperparameters().deepCopy();
        n.set("hyperparameters", methodType.equals("supervised") ? hp : null);
        n.put("trained_tokens", trainedTokens);
        n.set("error", error);
        n.put("user_provided_suffix", suffix);
        n.put("seed", seed);
        n.put("estimated_finish", expectedEnd != null ? expectedEnd : estimatedFinish);
        n.set("integrations", integrations);
        if (metadata == null) {
            n.putNull("metadata");
        } else {
            ObjectNode md = n.putObject("metadata");
            metadata.forEach(md::put);
        }
        ObjectNode method = n.putObject("method");
        method.put("type", methodType);
        method.putObject(methodType).set("hyperparameters", hp);
        return n;
    }
}
