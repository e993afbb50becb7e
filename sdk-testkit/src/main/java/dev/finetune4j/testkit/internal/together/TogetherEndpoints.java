package dev.finetune4j.testkit.internal.together;

import static dev.finetune4j.testkit.internal.together.TogetherErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedDedicatedEndpoint;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Together's dedicated endpoints ({@code /v1/endpoints}) and hardware list ({@code GET
 * /v1/hardware}), in the shapes of Together's API reference (docs.together.ai/reference/createendpoint,
 * getendpoint, updateendpoint, deleteendpoint, listhardware) and its Python client's {@code
 * client.endpoints}: create ({@code model}, {@code hardware}, {@code autoscaling}, {@code
 * display_name}, {@code state}, {@code availability_zone}), get, list ({@code type}, {@code mine}),
 * update ({@code PATCH}: {@code autoscaling}, {@code state STARTED/STOPPED}, {@code display_name}),
 * delete (204).
 *
 * <p>An endpoint moves {@code PENDING} → {@code STARTING} → {@code STARTED} one state per read of it
 * (or per step of the clock, or when a test says, as jobs do), or to {@code ERROR} when a test
 * scripted it; {@code STOPPED} when patched so, and back through {@code STARTING} when started. A
 * started endpoint serves chat under its {@code name} ({@code user/model-1a2b3c4d}): a base model
 * answers as the emulator's base models do, a fine-tuned model from its training data. Called under
 * {@link TogetherApi}'s lock.
 */
final class TogetherEndpoints {

    /** One hardware configuration of the list. */
    private record Hardware(String id, String gpuType, String gpuLink, int gpuMemory, int gpuCount,
            BigDecimal centsPerMinute) {
    }

    /**
     * The hardware list. 1x H100 80GB at $3.99 an hour (6.65 cents a minute) is Together's published
     * price (docs.together.ai/docs/dedicated-endpoints/overview, "Pricing"); 2x is twice that; the A100
     * price is an example, not Together's.
     */
    private static final List<Hardware> HARDWARE = List.of(
            new Hardware("1x_nvidia_h100_80gb_sxm", "h100-80gb", "sxm", 80, 1, new BigDecimal("6.65")),
            new Hardware("2x_nvidia_h100_80gb_sxm", "h100-80gb", "sxm", 80, 2, new BigDecimal("13.30")),
            new Hardware("1x_nvidia_a100_80gb_sxm", "a100-80gb", "sxm", 80, 1, new BigDecimal("4.00")));

    /** One endpoint. */
    static final class Endpoint {
        final String id;
        final String name;
        final String model;
        final Hardware hardware;
        final String zone;
        final Instant createdAt;
        String displayName;
        int minReplicas;
        int maxReplicas;
        String state;
        String failure;
        Instant updatedAt;
        int chatRequests;

        Endpoint(String id, String name, String model, Hardware hardware, String zone, Instant at) {
            this.id = id;
            this.name = name;
            this.model = model;
            this.hardware = hardware;
            this.zone = zone;
            this.createdAt = at;
            this.updatedAt = at;
        }
    }

    private final TogetherApi api;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Deque<String> failures = new ArrayDeque<>();

    TogetherEndpoints(TogetherApi api) {
        this.api = api;
    }

    void routes(Routes r) {
        r.get("/v1/hardware", this::hardware)
                .get("/v1/endpoints", this::list)
                .post("/v1/endpoints", call -> create(TogetherApi.jsonBody(call)))
                .get("/v1/endpoints/{id}", call -> read(call.param("id")))
                .add("PATCH", "/v1/endpoints/{id}", call -> update(call.param("id"), TogetherApi.jsonBody(call)))
                .delete("/v1/endpoints/{id}", call -> {
                    endpoint(call.param("id"));
                    endpoints.remove(call.param("id"));
                    return Reply.status(204);
                });
    }

    // ---------------------------------------------------------------- the API

    private Reply hardware(HttpCall call) {
        Optional<String> model = call.queryParam("model");
        if (model.isPresent() && !api.isBaseModel(model.get()) && !api.hasModel(model.get())) {
            throw TogetherErrors.notFound("Model " + model.get() + " not found");
        }
        ArrayNode data = Jsons.array();
        for (Hardware h : HARDWARE) {
            ObjectNode n = data.addObject();
            n.put("object", "hardware");
            n.put("id", h.id());
            n.putObject("pricing").put("cents_per_minute", h.centsPerMinute());
            n.putObject("specs").put("gpu_type", h.gpuType()).put("gpu_link", h.gpuLink())
                    .put("gpu_memory", h.gpuMemory()).put("gpu_count", h.gpuCount());
            if (model.isPresent()) {
                n.putObject("availability").put("status", "available");
            }
            n.put("updated_at", Instant.ofEpochSecond(TogetherApi.BASE_MODEL_CREATED).toString());
        }
        return Reply.ok(Jsons.object().put("object", "list").set("data", data));
    }

    private Reply list(HttpCall call) {
        String type = call.queryParam("type").orElse("");
        if (!type.isEmpty() && !type.equals("dedicated") && !type.equals("serverless")) {
            throw invalid("type must be dedicated or serverless, was " + type, "type");
        }
        ArrayNode data = Jsons.array();
        if (!type.equals("serverless")) {
            for (Endpoint e : endpoints.values()) {
                sync(e);
                // list items carry neither display_name nor autoscaling (ListEndpoint in the reference)
                data.addObject().put("object", "endpoint").put("id", e.id).put("name", e.name).put("model", e.model)
                        .put("type", "dedicated").put("owner", api.account()).put("state", e.state)
                        .put("created_at", e.createdAt.toString());
            }
        }
        return Reply.ok(Jsons.object().put("object", "list").set("data", data));
    }

    private Reply create(ObjectNode body) {
        String model = body.path("model").asText("");
        if (model.isEmpty()) {
            throw invalid("model is required", "model");
        }
        if (!api.isBaseModel(model) && !api.hasModel(model)) {
            throw TogetherErrors.notFound("Model " + model + " not found");
        }
        String hw = body.path("hardware").asText("");
        Hardware hardware = HARDWARE.stream().filter(h -> h.id().equals(hw)).findFirst()
                .orElseThrow(() -> invalid("hardware " + (hw.isEmpty() ? "is required" : "'" + hw
                        + "' is not available for " + model), "hardware"));
        JsonNode scaling = body.get("autoscaling");
        if (scaling == null || !scaling.path("min_replicas").isInt() || !scaling.path("max_replicas").isInt()) {
            throw invalid("autoscaling with min_replicas and max_replicas is required", "autoscaling");
        }
        int min = scaling.get("min_replicas").asInt();
        int max = scaling.get("max_replicas").asInt();
        if (min < 0 || max < 1 || min > max) {
            throw invalid("autoscaling must satisfy 0 <= min_replicas <= max_replicas and max_replicas >= 1, was "
                    + min + ".." + max, "autoscaling");
        }
        String state = body.path("state").asText("STARTED");
        if (!state.equals("STARTED") && !state.equals("STOPPED")) {
            throw invalid("state must be STARTED or STOPPED, was " + state, "state");
        }
        Instant now = api.settings().clock().now();
        String id = "endpoint-" + api.ids().uuid();
        Endpoint e = new Endpoint(id, api.account() + "/" + model + "-" + api.ids().hex(8), model, hardware,
                body.path("availability_zone").isTextual() ? body.get("availability_zone").asText() : null, now);
        e.displayName = body.path("display_name").isTextual() ? body.get("display_name").asText() : e.name;
        e.minReplicas = min;
        e.maxReplicas = max;
        e.state = state.equals("STARTED") ? "PENDING" : "STOPPED";
        e.failure = failures.poll();
        endpoints.put(id, e);
        return Reply.ok(json(e));
    }

    private Reply read(String id) {
        Endpoint e = endpoint(id);
        sync(e);
        if (api.settings().progression().mode() == Progression.Mode.ON_POLL) {
            step(e);
        }
        return Reply.ok(json(e));
    }

    private Reply update(String id, ObjectNode body) {
        Endpoint e = endpoint(id);
        sync(e);
        JsonNode scaling = body.get("autoscaling");
        if (scaling != null) {
            int min = scaling.path("min_replicas").asInt(e.minReplicas);
            int max = scaling.path("max_replicas").asInt(e.maxReplicas);
            if (min < 0 || max < 1 || min > max) {
                throw invalid("autoscaling must satisfy 0 <= min_replicas <= max_replicas and max_replicas >= 1, was "
                        + min + ".." + max, "autoscaling");
            }
            e.minReplicas = min;
            e.maxReplicas = max;
        }
        if (body.path("display_name").isTextual()) {
            e.displayName = body.get("display_name").asText();
        }
        if (body.has("state")) {
            String state = body.path("state").asText("");
            switch (state) {
                case "STOPPED" -> move(e, "STOPPED");
                case "STARTED" -> {
                    if (e.state.equals("STOPPED") || e.state.equals("ERROR")) {
                        move(e, "PENDING");
                    }
                }
                default -> throw invalid("state must be STARTED or STOPPED, was " + state, "state");
            }
        }
        return Reply.ok(json(e));
    }

    // ---------------------------------------------------------------- chat

    /**
     * The model a started endpoint of this name serves, or empty when no endpoint has the name.
     *
     * @throws dev.finetune4j.testkit.internal.ApiError 503 when the endpoint exists but is not started
     */
    Optional<String> servedBy(String name) {
        for (Endpoint e : endpoints.values()) {
            if (e.name.equals(name)) {
                sync(e);
                e.chatRequests++;
                if (!e.state.equals("STARTED")) {
                    throw TogetherErrors.of(503, "Endpoint " + name + " is not running (state " + e.state + ")",
                            "service_unavailable", null, "endpoint_not_running");
                }
                return Optional.of(e.model);
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- state

    private void step(Endpoint e) {
        switch (e.state) {
            case "PENDING" -> move(e, "STARTING");
            case "STARTING" -> {
                String why = e.failure;
                e.failure = null;
                move(e, why != null || !(api.isBaseModel(e.model) || api.hasModel(e.model)) ? "ERROR" : "STARTED");
            }
            default -> { }
        }
    }

    private void move(Endpoint e, String state) {
        e.state = state;
        e.updatedAt = api.settings().clock().now();
    }

    /** Timed progression, as of now on the emulator's clock. */
    private void sync(Endpoint e) {
        Progression p = api.settings().progression();
        if (p.mode() != Progression.Mode.TIMED) {
            return;
        }
        Instant now = api.settings().clock().now();
        while ((e.state.equals("PENDING") || e.state.equals("STARTING")) && !e.updatedAt.plus(p.step()).isAfter(now)) {
            Instant at = e.updatedAt.plus(p.step());
            step(e);
            e.updatedAt = at;
        }
    }

    private Endpoint endpoint(String id) {
        Endpoint e = endpoints.get(id);
        if (e == null) {
            throw TogetherErrors.notFound("Endpoint " + id + " not found");
        }
        return e;
    }

    private ObjectNode json(Endpoint e) {
        ObjectNode n = Jsons.object();
        n.put("object", "endpoint");
        n.put("id", e.id);
        n.put("name", e.name);
        n.put("display_name", e.displayName);
        n.put("model", e.model);
        n.put("hardware", e.hardware.id());
        n.put("type", "dedicated");
        n.put("owner", api.account());
        n.put("state", e.state);
        n.putObject("autoscaling").put("min_replicas", e.minReplicas).put("max_replicas", e.maxReplicas);
        if (e.zone != null) {
            n.put("availability_zone", e.zone);
        }
        n.put("created_at", e.createdAt.toString());
        return n;
    }

    // ---------------------------------------------------------------- for the facade

    List<EmulatedDedicatedEndpoint> snapshots() {
        List<EmulatedDedicatedEndpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            sync(e);
            out.add(new EmulatedDedicatedEndpoint(e.id, e.name, e.displayName, e.model, e.hardware.id(), e.state,
                    e.minReplicas, e.maxReplicas, e.zone, e.hardware.centsPerMinute().multiply(BigDecimal.valueOf(60))
                    .divide(BigDecimal.valueOf(100), 6, RoundingMode.HALF_UP).stripTrailingZeros(), e.chatRequests,
                    e.createdAt));
        }
        return out;
    }

    void advance(String id) {
        Endpoint e = endpoints.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no dedicated endpoint '" + id + "' in the emulator; known: "
                    + endpoints.keySet());
        }
        sync(e);
        step(e);
    }

    void failNext(String message) {
        failures.add(message);
    }

    void clear() {
        endpoints.clear();
        failures.clear();
    }
}
