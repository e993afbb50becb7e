package dev.finetune4j.internal.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.assistant.ModelMetrics;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.assistant.WeightsCopy;
import dev.finetune4j.cost.Money;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.lifecycle.LifecycleJson;
import dev.finetune4j.lifecycle.LifecycleEvent;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** A {@link ModelVersion} as stored: one record per version, one revision per state change. */
final class StoredModelVersion implements ModelVersion {

    private final String assistant;
    private final int number;
    private final String provider;
    private final String providerModelId;
    private final String baseModel;
    private final TrainedOn trainedOn;
    private final String jobId;
    private final Map<String, String> hyperparameters;
    private final ModelMetrics metrics;
    private final Money cost;
    private final Instant createdAt;
    private final ModelState state;
    private final String note;
    private final Integer migratedFrom;
    private final List<WeightsCopy> weights;
    private final List<LifecycleEvent> reportedLifecycle;

    private StoredModelVersion(String assistant, int number, String provider, String providerModelId,
            String baseModel, TrainedOn trainedOn, String jobId, Map<String, String> hyperparameters,
            ModelMetrics metrics, Money cost, Instant createdAt, ModelState state, String note, Integer migratedFrom,
            List<WeightsCopy> weights, List<LifecycleEvent> reportedLifecycle) {
        this.assistant = assistant;
        this.number = number;
        this.provider = provider;
        this.providerModelId = providerModelId;
        this.baseModel = baseModel;
        this.trainedOn = trainedOn;
        this.jobId = jobId;
        this.hyperparameters = Map.copyOf(hyperparameters);
        this.metrics = metrics;
        this.cost = cost;
        this.createdAt = createdAt;
        this.state = state;
        this.note = note;
        this.migratedFrom = migratedFrom;
        this.weights = List.copyOf(weights);
        this.reportedLifecycle = List.copyOf(reportedLifecycle);
    }

    static StoredModelVersion of(String assistant, int number, ModelVersionSpec spec, Instant createdAt) {
        return new StoredModelVersion(assistant, number, spec.provider(), spec.providerModelId(), spec.baseModel(),
                spec.trainedOn().orElse(null), spec.jobId().orElse(null), spec.hyperparameters(), spec.metrics(),
                spec.cost().orElse(null), createdAt, spec.state(), spec.note().orElse(null),
                spec.migratedFrom().isPresent() ? spec.migratedFrom().getAsInt() : null, List.of(), List.of());
    }

    StoredModelVersion withState(ModelState newState) {
        return new StoredModelVersion(assistant, number, provider, providerModelId, baseModel, trainedOn, jobId,
                hyperparameters, metrics, cost, createdAt, newState, note, migratedFrom, weights, reportedLifecycle);
    }

    /** This version with {@code copy} recorded after the others; itself when that copy is recorded already. */
    StoredModelVersion withWeights(WeightsCopy copy) {
        for (WeightsCopy w : weights) {
            if (w.sha256().equals(copy.sha256()) && w.location().equals(copy.location())) {
                return this;
            }
        }
        List<WeightsCopy> more = new ArrayList<>(weights);
        more.add(copy);
        return new StoredModelVersion(assistant, number, provider, providerModelId, baseModel, trainedOn, jobId,
                hyperparameters, metrics, cost, createdAt, state, note, migratedFrom, more, reportedLifecycle);
    }

    StoredModelVersion withReportedLifecycle(List<LifecycleEvent> events) {
        return new StoredModelVersion(assistant, number, provider, providerModelId, baseModel, trainedOn, jobId,
                hyperparameters, metrics, cost, createdAt, state, note, migratedFrom, weights, events);
    }

    @Override
    public String assistant() {
        return assistant;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String providerModelId() {
        return providerModelId;
    }

    @Override
    public String baseModel() {
        return baseModel;
    }

    @Override
    public Optional<TrainedOn> trainedOn() {
        return Optional.ofNullable(trainedOn);
    }

    @Override
    public OptionalInt migratedFrom() {
        return migratedFrom == null ? OptionalInt.empty() : OptionalInt.of(migratedFrom);
    }

    @Override
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    @Override
    public Map<String, String> hyperparameters() {
        return hyperparameters;
    }

    @Override
    public ModelMetrics metrics() {
        return metrics;
    }

    @Override
    public Optional<Money> cost() {
        return Optional.ofNullable(cost);
    }

    @Override
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public ModelState state() {
        return state;
    }

    @Override
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    @Override
    public List<WeightsCopy> weights() {
        return weights;
    }

    @Override
    public List<LifecycleEvent> reportedLifecycle() {
        return reportedLifecycle;
    }

    String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("assistant", assistant);
        n.put("number", number);
        n.put("provider", provider);
        n.put("provider_model_id", providerModelId);
        n.put("base_model", baseModel);
        if (trainedOn != null) {
            ObjectNode t = n.putObject("trained_on");
            t.put("dataset", trainedOn.dataset());
            t.put("version_id", trainedOn.versionId());
            t.put("version_number", trainedOn.versionNumber());
            t.put("training_examples", trainedOn.trainingExamples());
            t.put("validation_fraction", trainedOn.validationFraction());
        }
        n.put("job_id", jobId);
        ObjectNode h = n.putObject("hyperparameters");
        hyperparameters.forEach(h::put);
        ObjectNode m = n.putObject("metrics");
        metrics.values().forEach(m::put);
        if (cost != null) {
            ObjectNode c = n.putObject("cost");
            c.put("amount", cost.amount().toPlainString());
            c.put("currency", cost.currency());
        }
        n.put("created_at", createdAt.toString());
        n.put("state", state.name());
        n.put("note", note);
        if (migratedFrom != null) {
            n.put("migrated_from", migratedFrom);
        }
        if (!weights.isEmpty()) {
            ArrayNode w = n.putArray("weights");
            for (WeightsCopy copy : weights) {
                w.addObject().put("kind", copy.kind()).put("sha256", copy.sha256()).put("bytes", copy.bytes())
                        .put("location", copy.location().toString()).put("saved_at", copy.savedAt().toString());
            }
        }
        if (!reportedLifecycle.isEmpty()) {
            reportedLifecycle.forEach(e -> n.withArray("reported_lifecycle").add(LifecycleJson.write(e)));
        }
        return n.toString();
    }

    static StoredModelVersion fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            JsonNode t = n.get("trained_on");
            TrainedOn trained = t == null || t.isNull() ? null : new TrainedOn(t.path("dataset").asText(),
                    t.path("version_id").asText(), t.path("version_number").asInt(),
                    t.path("training_examples").asLong(), t.path("validation_fraction").asDouble());
            Map<String, String> hyper = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("hyperparameters").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                hyper.put(e.getKey(), e.getValue().asText());
            }
            Map<String, Double> metricValues = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                metricValues.put(e.getKey(), e.getValue().asDouble());
            }
            JsonNode c = n.get("cost");
            Money money = c == null || c.isNull() ? null
                    : new Money(new BigDecimal(c.path("amount").asText()), c.path("currency").asText());
            List<WeightsCopy> weights = new ArrayList<>();
            for (JsonNode w : n.path("weights")) {
                weights.add(new WeightsCopy(w.path("kind").asText(), w.path("sha256").asText(),
                        w.path("bytes").asLong(), URI.create(w.path("location").asText()),
                        Instant.parse(w.path("saved_at").asText())));
            }
            return new StoredModelVersion(n.path("assistant").asText(), n.path("number").asInt(),
                    n.path("provider").asText(), n.path("provider_model_id").asText(), n.path("base_model").asText(),
                    trained, textOrNull(n, "job_id"), hyper, new ModelMetrics(metricValues), money,
                    Instant.parse(n.path("created_at").asText()), ModelState.valueOf(n.path("state").asText()),
                    textOrNull(n, "note"), n.hasNonNull("migrated_from") ? n.get("migrated_from").asInt() : null, weights,
                    reported(n.get("reported_lifecycle"), where));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("model version record " + where + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static List<LifecycleEvent> reported(JsonNode a, String where) {
        if (a == null || a.isNull()) {
            return List.of();
        }
        List<LifecycleEvent> events = new ArrayList<>();
        int i = 0;
        for (JsonNode e : a) {
            events.add(LifecycleJson.event(e, where + " reported_lifecycle[" + i++ + "]"));
        }
        return events;
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredModelVersion v && assistant.equals(v.assistant) && number == v.number
                && state == v.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(assistant, number, state);
    }

    @Override
    public String toString() {
        return "ModelVersion[" + assistant + " v" + number + ", " + provider + ":" + providerModelId + ", " + state + "]";
    }
}
