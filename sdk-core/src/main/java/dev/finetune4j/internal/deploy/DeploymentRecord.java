package dev.finetune4j.internal.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.internal.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a deployment: one record per deployment ({@code deployments/ASSISTANT/ID}),
 * one revision per step or change, written before every remote call and after it. It keeps the
 * intervals between the state changes observed, from which the billed time and the spend are
 * computed. Mutable only while the next revision is built ({@link #copy()}).
 */
final class DeploymentRecord {

    /** How far the deploy got; resume continues from here. */
    enum Step {
        /** Recorded; the provider may not have been asked yet (or its answer was lost). */
        RECORDED,
        /** The deployment exists at the provider ({@link #remoteId} is set). */
        CREATED
    }

    /**
     * One stretch of time in one state, from {@code from} to the next interval's start (or now).
     *
     * @param billedReplicas how many replicas the provider bills in it (0: not billed)
     */
    record Interval(DeploymentState state, int billedReplicas, Instant from) {}

    String id;
    String assistant;
    int modelVersion;
    String provider;
    String providerModelId;
    String baseModel;
    DeploymentSpec spec;
    /** The fingerprint of the deploy's intent ({@link DeploymentIntents}). */
    String intent;
    Step step = Step.RECORDED;
    /** Who is sending the create request now, or null. */
    String createClaim;
    /** Until when {@link #createClaim} holds if its holder never comes back. */
    Instant createClaimUntil;
    /** How many create requests were sent (each may have reached the provider). */
    int createAttempts;
    String remoteId;
    DeploymentState state = DeploymentState.PENDING;
    String rawState = "recorded";
    URI baseUrl;
    String servedModel;
    Money pricePerHour;
    String hardware;
    String error;
    /** Whether the provider confirmed it serves the model ({@code verifyServing}); checked once. */
    boolean verified;
    List<Interval> intervals = new ArrayList<>();
    /** Who asked for it and why, for the timeline's DEPLOY entry. */
    String actor;
    String reason;
    /** Whether the timeline has its DEPLOY entry. */
    boolean deployRecorded;
    /** Whether an undeploy was asked for; it is finished by whoever sees this before DELETED. */
    boolean undeployRequested;
    String undeployActor;
    String undeployReason;
    /** Whether the timeline has its UNDEPLOY entry. */
    boolean undeployRecorded;
    Instant createdAt;
    Instant readyAt;
    Instant deletedAt;
    Instant updatedAt;

    DeploymentRecord copy() {
        return fromJson(toJson(), id);
    }

    /** Where it serves, once the provider said. */
    ServingAddress address() {
        if (baseUrl == null && servedModel == null) {
            return null;
        }
        if (baseUrl == null) {
            return ServingAddress.model(servedModel);
        }
        return servedModel == null ? ServingAddress.url(baseUrl) : ServingAddress.of(baseUrl, servedModel);
    }

    /** The state now: the last interval's. */
    Interval current() {
        return intervals.isEmpty() ? new Interval(state, 0, createdAt) : intervals.get(intervals.size() - 1);
    }

    /**
     * Moves to a state observed at {@code at}: a new interval when the state or the billed replicas
     * changed.
     */
    void observe(DeploymentState newState, int billedReplicas, Instant at) {
        Interval last = current();
        if (intervals.isEmpty() || last.state() != newState || last.billedReplicas() != billedReplicas) {
            // never before the previous change: clocks of several instances may disagree a little
            Instant from = !intervals.isEmpty() && at.isBefore(last.from()) ? last.from() : at;
            intervals.add(new Interval(newState, billedReplicas, from));
        }
        state = newState;
        if (newState == DeploymentState.READY && readyAt == null) {
            readyAt = at;
        }
        if (newState == DeploymentState.DELETED && deletedAt == null) {
            deletedAt = at;
        }
    }

    /** Replica-time in billed states up to {@code now} (the last interval runs until now). */
    Duration billedTime(Instant now) {
        Duration total = Duration.ZERO;
        for (int i = 0; i < intervals.size(); i++) {
            Interval in = intervals.get(i);
            Instant end = i + 1 < intervals.size() ? intervals.get(i + 1).from() : now;
            if (in.billedReplicas() > 0 && end.isAfter(in.from())) {
                total = total.plus(Duration.between(in.from(), end).multipliedBy(in.billedReplicas()));
            }
        }
        return total;
    }

    /** The spend up to {@code now} at the recorded price, rounded half-up to millionths; null without a price. */
    Money spend(Instant now) {
        if (pricePerHour == null) {
            return null;
        }
        BigDecimal hours = BigDecimal.valueOf(billedTime(now).toMillis()).divide(BigDecimal.valueOf(3_600_000L), 12,
                RoundingMode.HALF_UP);
        return new Money(pricePerHour.amount().multiply(hours).setScale(6, RoundingMode.HALF_UP),
                pricePerHour.currency());
    }

    String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", id);
        n.put("assistant", assistant);
        n.put("model_version", modelVersion);
        n.put("provider", provider);
        n.put("provider_model_id", providerModelId);
        n.put("base_model", baseModel);
        ObjectNode s = n.putObject("spec");
        s.put("hardware", spec.hardware().orElse(null));
        s.put("region", spec.region().orElse(null));
        s.put("min_replicas", spec.minReplicas());
        s.put("max_replicas", spec.maxReplicas());
        if (spec.scaleToZeroAfter().isPresent()) {
            s.put("scale_to_zero_after_seconds", spec.scaleToZeroAfter().get().getSeconds());
        } else {
            s.putNull("scale_to_zero_after_seconds");
        }
        ObjectNode o = s.putObject("options");
        spec.options().forEach(o::put);
        s.put("again", spec.again());
        n.put("intent", intent);
        n.put("step", step.name());
        n.put("create_claim", createClaim);
        n.put("create_claim_until", createClaimUntil == null ? null : createClaimUntil.toString());
        n.put("create_attempts", createAttempts);
        n.put("remote_id", remoteId);
        n.put("state", state.name());
        n.put("raw_state", rawState);
        n.put("base_url", baseUrl == null ? null : baseUrl.toString());
        n.put("served_model", servedModel);
        if (pricePerHour != null) {
            n.putObject("price_per_hour").put("amount", pricePerHour.amount().toPlainString())
                    .put("currency", pricePerHour.currency());
        } else {
            n.putNull("price_per_hour");
        }
        n.put("hardware", hardware);
        n.put("error", error);
        n.put("verified", verified);
        ArrayNode list = n.putArray("intervals");
        for (Interval i : intervals) {
            list.addObject().put("state", i.state().name()).put("billed_replicas", i.billedReplicas())
                    .put("from", i.from().toString());
        }
        n.put("actor", actor);
        n.put("reason", reason);
        n.put("deploy_recorded", deployRecorded);
        n.put("undeploy_requested", undeployRequested);
        n.put("undeploy_actor", undeployActor);
        n.put("undeploy_reason", undeployReason);
        n.put("undeploy_recorded", undeployRecorded);
        n.put("created_at", createdAt.toString());
        n.put("ready_at", readyAt == null ? null : readyAt.toString());
        n.put("deleted_at", deletedAt == null ? null : deletedAt.toString());
        n.put("updated_at", updatedAt.toString());
        return n.toString();
    }

    /**
     * Reads a record.
     *
     * @throws StoreException when it is not a deployment record
     */
    static DeploymentRecord fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            DeploymentRecord r = new DeploymentRecord();
            r.id = required(n, "id");
            r.assistant = required(n, "assistant");
            r.modelVersion = n.path("model_version").asInt();
            r.provider = required(n, "provider");
            r.providerModelId = required(n, "provider_model_id");
            r.baseModel = required(n, "base_model");
            JsonNode s = n.path("spec");
            DeploymentSpec.Builder spec = DeploymentSpec.builder()
                    .replicas(s.path("min_replicas").asInt(), s.path("max_replicas").asInt()).again(s.path("again")
                            .asBoolean());
            text(s, "hardware").ifPresent(spec::hardware);
            text(s, "region").ifPresent(spec::region);
            if (s.hasNonNull("scale_to_zero_after_seconds")) {
                spec.scaleToZeroAfter(Duration.ofSeconds(s.get("scale_to_zero_after_seconds").asLong()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("options").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                spec.option(e.getKey(), e.getValue().asText());
            }
            r.spec = spec.build();
            r.intent = text(n, "intent").orElse(null);
            r.step = Step.valueOf(required(n, "step"));
            r.createClaim = text(n, "create_claim").orElse(null);
            r.createClaimUntil = text(n, "create_claim_until").map(Instant::parse).orElse(null);
            r.createAttempts = n.path("create_attempts").asInt();
            r.remoteId = text(n, "remote_id").orElse(null);
            r.state = DeploymentState.valueOf(required(n, "state"));
            r.rawState = required(n, "raw_state");
            r.baseUrl = text(n, "base_url").map(URI::create).orElse(null);
            r.servedModel = text(n, "served_model").orElse(null);
            JsonNode price = n.get("price_per_hour");
            r.pricePerHour = price == null || price.isNull() ? null
                    : new Money(new BigDecimal(price.path("amount").asText()), price.path("currency").asText());
            r.hardware = text(n, "hardware").orElse(null);
            r.error = text(n, "error").orElse(null);
            r.verified = n.path("verified").asBoolean();
            for (JsonNode i : n.path("intervals")) {
                r.intervals.add(new Interval(DeploymentState.valueOf(i.path("state").asText()),
                        i.path("billed_replicas").asInt(), Instant.parse(i.path("from").asText())));
            }
            r.actor = text(n, "actor").orElse(null);
            r.reason = text(n, "reason").orElse(null);
            r.deployRecorded = n.path("deploy_recorded").asBoolean();
            r.undeployRequested = n.path("undeploy_requested").asBoolean();
            r.undeployActor = text(n, "undeploy_actor").orElse(null);
            r.undeployReason = text(n, "undeploy_reason").orElse(null);
            r.undeployRecorded = n.path("undeploy_recorded").asBoolean();
            r.createdAt = Instant.parse(required(n, "created_at"));
            r.readyAt = text(n, "ready_at").map(Instant::parse).orElse(null);
            r.deletedAt = text(n, "deleted_at").map(Instant::parse).orElse(null);
            r.updatedAt = Instant.parse(required(n, "updated_at"));
            return r;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("deployment record " + where + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode n, String field) {
        return text(n, field).orElseThrow(() -> new IllegalStateException("it has no " + field));
    }

    private static java.util.Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? java.util.Optional.empty() : java.util.Optional.of(v.asText());
    }
}
