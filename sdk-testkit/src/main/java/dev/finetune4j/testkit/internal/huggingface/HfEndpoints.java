package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedEndpoint;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Inference Endpoints API (v2, at {@code /v2}) and the endpoints it runs (at {@code
 * /endpoints/{name}}, an OpenAI-compatible vLLM server of the base model and its LoRA adapter):
 * create, get, list, update (scaling), pause, resume, scale-to-zero, delete, and the hardware
 * catalogue with hourly prices ({@code GET /v2/provider/{namespace}}).
 *
 * <p>An endpoint moves {@code pending} → {@code initializing} → {@code running} one state per read
 * of it (or per step of the clock, or when a test says, as jobs do), then fails instead when a
 * test scripted it or when what it serves cannot load (a base model the emulator does not serve,
 * an adapter repository that does not exist, a private adapter without {@code HF_TOKEN} in its
 * secrets). A running endpoint with {@code minReplica} 0 scales to zero after {@code
 * scaleToZeroTimeout} minutes without a request (on the emulator's clock) or when a test says; a
 * request then wakes it: held until it is up when its {@code X-Scale-Up-Timeout} covers the cold
 * start, else answered 503 while it initializes. Called under {@link HuggingFaceApi}'s lock.
 */
final class HfEndpoints {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    private static final List<String> TYPES = List.of("public", "authenticated", "private", "protected");

    /** One compute of the catalogue. */
    private record Compute(String vendor, String region, String type, String size, String accelerator,
            BigDecimal pricePerHour, int gpus, int memoryGb) {

        String id() {
            return vendor + "-" + region + "-" + type + "-" + size;
        }
    }

    /** The catalogue: a few AWS computes in two regions; prices are examples, not Hugging Face's. */
    private static final List<Compute> CATALOGUE = List.of(
            new Compute("aws", "us-east-1", "intel-spr", "x2", "cpu", new BigDecimal("0.067"), 0, 4),
            new Compute("aws", "us-east-1", "nvidia-t4", "x1", "gpu", new BigDecimal("0.5"), 1, 16),
            new Compute("aws", "us-east-1", "nvidia-l4", "x1", "gpu", new BigDecimal("0.8"), 1, 24),
            new Compute("aws", "us-east-1", "nvidia-a10g", "x1", "gpu", new BigDecimal("1.0"), 1, 24),
            new Compute("aws", "us-east-1", "nvidia-l40s", "x1", "gpu", new BigDecimal("1.8"), 1, 48),
            new Compute("aws", "us-east-1", "nvidia-a100", "x1", "gpu", new BigDecimal("2.5"), 1, 80),
            new Compute("aws", "eu-west-1", "nvidia-l4", "x1", "gpu", new BigDecimal("0.8"), 1, 24),
            new Compute("aws", "eu-west-1", "nvidia-a10g", "x1", "gpu", new BigDecimal("1.0"), 1, 24));

    /** One endpoint. */
    static final class Endpoint {
        final String name;
        final String repository;
        final String adapter;
        final boolean hasToken;
        final Compute compute;
        final String type;
        final List<String> tags;
        final JsonNode image;
        final JsonNode args;
        final Instant createdAt;
        int minReplica;
        int maxReplica;
        Integer scaleToZeroTimeout;
        String state = "pending";
        String message = "Endpoint waiting to be scheduled";
        boolean everRan;
        /** A failure scripted for when it would start. */
        String failure;
        Instant updatedAt;
        /** When it last changed state or served a request: the start of its idle time. */
        Instant lastActivity;
        int chatRequests;

        Endpoint(String name, String repository, String adapter, boolean hasToken, Compute compute, String type,
                List<String> tags, JsonNode image, JsonNode args, Instant at) {
            this.name = name;
            this.repository = repository;
            this.adapter = adapter;
            this.hasToken = hasToken;
            this.compute = compute;
            this.type = type;
            this.tags = List.copyOf(tags);
            this.image = image;
            this.args = args;
            this.createdAt = at;
            this.updatedAt = at;
            this.lastActivity = at;
        }
    }

    private final HuggingFaceApi api;
    private final HfServing serving;
    private final Duration coldStart;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Deque<String> failures = new ArrayDeque<>();

    HfEndpoints(HuggingFaceApi api, HfServing serving, Duration coldStart) {
        this.api = api;
        this.serving = serving;
        this.coldStart = coldStart;
    }

    void routes(Routes r) {
        String ns = "/v2/endpoint/{ns}";
        r.get("/v2/provider/{ns}", call -> catalogue(requireNamespace(call)))
                .get(ns, call -> list(requireNamespace(call)))
                .post(ns, call -> create(requireNamespace(call), HuggingFaceApi.jsonBody(call)))
                .get(ns + "/{name}", call -> read(requireNamespace(call), call.param("name")))
                .add("PUT", ns + "/{name}", call -> update(requireNamespace(call), call.param("name"),
                        HuggingFaceApi.jsonBody(call)))
                .delete(ns + "/{name}", call -> delete(requireNamespace(call), call.param("name")))
                .post(ns + "/{name}/pause", call -> pause(requireNamespace(call), call.param("name")))
                .post(ns + "/{name}/resume", call -> resume(requireNamespace(call), call.param("name")))
                .post(ns + "/{name}/scale-to-zero", call -> scaleToZero(requireNamespace(call), call.param("name")))
                .get("/endpoints/{name}/v1/models", this::models)
                .post("/endpoints/{name}/v1/chat/completions", this::chat);
    }

    private String requireNamespace(HttpCall call) {
        String ns = call.param("ns");
        if (!ns.equals(api.namespace)) {
            throw hub(403, null, "You don't have access to the namespace \"" + ns + "\"");
        }
        return ns;
    }

    // ---------------------------------------------------------------- the API

    private Reply catalogue(String ns) {
        ObjectNode out = Jsons.object();
        ArrayNode vendors = out.putArray("vendors");
        Map<String, Map<String, ArrayNode>> byVendor = new LinkedHashMap<>();
        for (Compute c : CATALOGUE) {
            ArrayNode computes = byVendor.computeIfAbsent(c.vendor(), v -> new LinkedHashMap<>())
                    .computeIfAbsent(c.region(), x -> Jsons.array());
            ObjectNode n = computes.addObject();
            n.put("id", c.id());
            n.put("accelerator", c.accelerator());
            n.put("instanceType", c.type());
            n.put("instanceSize", c.size());
            n.put("architecture", c.accelerator().equals("gpu") ? "NVIDIA " + c.type().substring(7).toUpperCase(
                    java.util.Locale.ROOT) : "Intel Sapphire Rapids");
            n.put("numAccelerators", c.gpus());
            n.put("memoryGb", c.memoryGb());
            n.put("pricePerHour", c.pricePerHour());
            n.put("status", "available");
        }
        byVendor.forEach((vendor, regions) -> {
            ObjectNode v = vendors.addObject().put("name", vendor);
            ArrayNode rs = v.putArray("regions");
            regions.forEach((region, computes) -> rs.addObject().put("name", region).put("label", region)
                    .set("computes", computes));
        });
        return Reply.ok(out);
    }

    private Reply list(String ns) {
        ArrayNode items = Jsons.array();
        for (Endpoint e : endpoints.values()) {
            sync(e);
            items.add(json(e));
        }
        return Reply.ok(Jsons.object().set("items", items));
    }

    private Reply create(String ns, ObjectNode body) {
        String name = body.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw badRequest("Invalid endpoint name \"" + name + "\": use 1 to 32 lower-case letters, digits and "
                    + "'-', starting and ending with a letter or digit");
        }
        if (endpoints.containsKey(name)) {
            throw hub(409, null, "An endpoint named \"" + name + "\" already exists");
        }
        JsonNode compute = body.path("compute");
        String vendor = body.path("provider").path("vendor").asText("");
        String region = body.path("provider").path("region").asText("");
        Compute c = CATALOGUE.stream().filter(x -> x.vendor().equals(vendor) && x.region().equals(region)
                        && x.type().equals(compute.path("instanceType").asText())
                        && x.size().equals(compute.path("instanceSize").asText())).findFirst()
                .orElseThrow(() -> badRequest("No compute " + compute.path("instanceType").asText() + "-"
                        + compute.path("instanceSize").asText() + " at " + vendor + " in " + region));
        if (!c.accelerator().equals(compute.path("accelerator").asText())) {
            throw badRequest("Compute " + c.type() + "-" + c.size() + " has accelerator " + c.accelerator() + ", not "
                    + compute.path("accelerator").asText());
        }
        JsonNode scaling = compute.path("scaling");
        int min = scaling.path("minReplica").asInt(1);
        int max = scaling.path("maxReplica").asInt(1);
        if (min < 0 || max < 1 || min > max) {
            throw badRequest("Invalid scaling: minReplica " + min + ", maxReplica " + max);
        }
        String type = body.path("type").asText("");
        if (!TYPES.contains(type)) {
            throw badRequest("Invalid type \"" + type + "\": must be one of " + TYPES);
        }
        JsonNode model = body.path("model");
        String repository = model.path("repository").asText("");
        if (repository.isEmpty() || !model.path("image").isObject() || model.path("image").isEmpty()) {
            throw badRequest("model.repository and model.image are required");
        }
        String adapter = null;
        JsonNode args = model.path("args");
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals("--lora-modules")) {
                String module = args.get(i + 1).asText();
                int eq = module.indexOf('=');
                adapter = eq > 0 ? module.substring(eq + 1) : module;
            }
        }
        List<String> tags = new ArrayList<>();
        body.path("tags").forEach(t -> tags.add(t.asText()));
        Instant now = api.settings().clock().now();
        Endpoint e = new Endpoint(name, repository, adapter, model.path("secrets").hasNonNull("HF_TOKEN"), c, type,
                tags, model.path("image").deepCopy(), args.deepCopy(), now);
        e.minReplica = min;
        e.maxReplica = max;
        e.scaleToZeroTimeout = scaling.hasNonNull("scaleToZeroTimeout") ? scaling.get("scaleToZeroTimeout").asInt()
                : null;
        e.failure = failures.poll();
        endpoints.put(name, e);
        return Reply.ok(json(e));
    }

    private Endpoint endpoint(String name) {
        Endpoint e = endpoints.get(name);
        if (e == null) {
            throw hub(404, null, "Endpoint \"" + name + "\" not found");
        }
        sync(e);
        return e;
    }

    private Reply read(String ns, String name) {
        Endpoint e = endpoint(name);
        if (api.settings().progression().mode() == Progression.Mode.ON_POLL) {
            step(e);
        }
        return Reply.ok(json(e));
    }

    private Reply update(String ns, String name, ObjectNode body) {
        Endpoint e = endpoint(name);
        JsonNode scaling = body.path("compute").path("scaling");
        int min = scaling.path("minReplica").asInt(e.minReplica);
        int max = scaling.path("maxReplica").asInt(e.maxReplica);
        if (min < 0 || max < 1 || min > max) {
            throw badRequest("Invalid scaling: minReplica " + min + ", maxReplica " + max);
        }
        e.minReplica = min;
        e.maxReplica = max;
        if (scaling.has("scaleToZeroTimeout")) {
            e.scaleToZeroTimeout = scaling.get("scaleToZeroTimeout").isNull() ? null
                    : scaling.get("scaleToZeroTimeout").asInt();
        }
        if (e.state.equals("running") || e.state.equals("scaledToZero")) {
            move(e, "updating", "Endpoint is updating");
        }
        return Reply.ok(json(e));
    }

    private Reply delete(String ns, String name) {
        endpoint(name);
        endpoints.remove(name);
        return Reply.status(200).header("Content-Type", "application/json").body("{}");
    }

    private Reply pause(String ns, String name) {
        Endpoint e = endpoint(name);
        move(e, "paused", "Endpoint is paused");
        return Reply.ok(json(e));
    }

    private Reply resume(String ns, String name) {
        Endpoint e = endpoint(name);
        if (e.state.equals("running")) {
            throw badRequest("Endpoint \"" + name + "\" is already running");
        }
        move(e, "initializing", "Endpoint is initializing");
        return Reply.ok(json(e));
    }

    private Reply scaleToZero(String ns, String name) {
        Endpoint e = endpoint(name);
        if (!e.state.equals("running")) {
            throw badRequest("Endpoint \"" + name + "\" is " + e.state + "; only a running endpoint scales to zero");
        }
        move(e, "scaledToZero", "Endpoint is scaled to zero");
        return Reply.ok(json(e));
    }

    // ---------------------------------------------------------------- serving at the endpoint's URL

    /**
     * The endpoint a serving request goes to, when it may serve now: a scaled-to-zero one is woken
     * (the request held when its {@code X-Scale-Up-Timeout} covers the cold start, else a 503), one
     * in another state refused with a 503.
     */
    private Endpoint serving(HttpCall call) {
        Endpoint e = endpoints.get(call.param("name"));
        if (e == null) {
            throw HfErrors.serving(404, "NotFoundError", "Endpoint \"" + call.param("name") + "\" not found");
        }
        sync(e);
        if (!e.type.equals("public") && !api.authorized(call)) {
            throw hub(401, null, "Invalid credentials in Authorization header");
        }
        boolean waking = e.state.equals("scaledToZero") || (e.state.equals("initializing") && e.everRan);
        if (waking) {
            long holds = call.header("x-scale-up-timeout").map(v -> {
                try {
                    return Long.parseLong(v.strip());
                } catch (NumberFormatException x) {
                    return 0L;
                }
            }).orElse(0L);
            if (holds >= coldStart.getSeconds()) {
                // the proxy held the request until a replica was up
                move(e, "running", "Endpoint is running");
            } else {
                if (e.state.equals("scaledToZero")) {
                    move(e, "initializing", "Endpoint is scaling up");
                }
                throw unavailable("Service Unavailable: the endpoint is scaling up; retry, or send X-Scale-Up-Timeout "
                        + "to wait for it");
            }
        }
        if (!e.state.equals("running")) {
            throw unavailable("Service Unavailable: the endpoint is " + e.state);
        }
        e.lastActivity = api.settings().clock().now();
        return e;
    }

    private static ApiError unavailable(String message) {
        return new ApiError(Reply.json(503, Jsons.object().put("error", message)), message);
    }

    private Reply models(HttpCall call) {
        Endpoint e = serving(call);
        List<String> ids = new ArrayList<>(List.of(e.repository));
        if (e.adapter != null) {
            ids.add(e.adapter);
        }
        return serving.models(ids);
    }

    private Reply chat(HttpCall call) {
        Endpoint reached = endpoints.get(call.param("name"));
        if (reached != null) {
            reached.chatRequests++;
        }
        Endpoint e = serving(call);
        return serving.chat(call, model -> model.equals(e.repository) || model.equals(e.adapter));
    }

    // ---------------------------------------------------------------- state

    /** Moves an endpoint one state on, as one read of it would. */
    private void step(Endpoint e) {
        switch (e.state) {
            case "pending" -> move(e, "initializing", "Endpoint is initializing");
            case "initializing", "updating" -> start(e);
            default -> { }
        }
    }

    /** An initializing endpoint comes up, or fails as scripted or because what it serves cannot load. */
    private void start(Endpoint e) {
        String why = e.failure;
        if (why == null && !api.isBaseModel(e.repository)) {
            why = "Repository " + e.repository + " not found or not a model this server can load";
        }
        if (why == null && e.adapter != null && !api.hasModelRepo(e.adapter)) {
            why = "LoRA adapter " + e.adapter + " not found: repository does not exist";
        }
        if (why == null && e.adapter != null && api.isPrivateModelRepo(e.adapter) && !e.hasToken) {
            why = "401 Client Error: cannot download the private LoRA adapter " + e.adapter
                    + "; add HF_TOKEN to the endpoint's secrets";
        }
        if (why != null) {
            e.failure = null;
            move(e, "failed", why);
            return;
        }
        e.everRan = true;
        move(e, "running", "Endpoint is running");
    }

    private void move(Endpoint e, String state, String message) {
        Instant now = api.settings().clock().now();
        e.state = state;
        e.message = message;
        e.updatedAt = now;
        e.lastActivity = now;
    }

    /** Timed progression and idle scale-to-zero, as of now on the emulator's clock. */
    private void sync(Endpoint e) {
        Instant now = api.settings().clock().now();
        Progression p = api.settings().progression();
        if (p.mode() == Progression.Mode.TIMED) {
            while (!e.updatedAt.plus(p.step()).isAfter(now)
                    && (e.state.equals("pending") || e.state.equals("initializing") || e.state.equals("updating"))) {
                Instant at = e.updatedAt.plus(p.step());
                step(e);
                e.updatedAt = at;
                e.lastActivity = at;
            }
        }
        if (e.state.equals("running") && e.minReplica == 0 && e.scaleToZeroTimeout != null
                && !e.lastActivity.plus(Duration.ofMinutes(e.scaleToZeroTimeout)).isAfter(now)) {
            move(e, "scaledToZero", "Endpoint scaled to zero after " + e.scaleToZeroTimeout + " minutes idle");
        }
    }

    private ObjectNode json(Endpoint e) {
        ObjectNode n = Jsons.object();
        n.put("name", e.name);
        n.put("type", e.type);
        n.putNull("accountId");
        n.putObject("provider").put("vendor", e.compute.vendor()).put("region", e.compute.region());
        n.put("healthRoute", "/health");
        ObjectNode compute = n.putObject("compute");
        compute.put("accelerator", e.compute.accelerator());
        compute.put("instanceType", e.compute.type());
        compute.put("instanceSize", e.compute.size());
        ObjectNode scaling = compute.putObject("scaling").put("minReplica", e.minReplica)
                .put("maxReplica", e.maxReplica);
        if (e.scaleToZeroTimeout == null) {
            scaling.putNull("scaleToZeroTimeout");
        } else {
            scaling.put("scaleToZeroTimeout", e.scaleToZeroTimeout);
        }
        ObjectNode model = n.putObject("model");
        model.put("repository", e.repository);
        model.putNull("revision");
        model.put("task", "text-generation");
        model.put("framework", "pytorch");
        model.set("image", e.image);
        model.set("args", e.args);
        ArrayNode tags = n.putArray("tags");
        e.tags.forEach(tags::add);
        ObjectNode status = n.putObject("status");
        status.put("createdAt", e.createdAt.toString());
        status.putObject("createdBy").put("id", "emulated").put("name", api.namespace);
        status.put("updatedAt", e.updatedAt.toString());
        status.putObject("updatedBy").put("id", "emulated").put("name", api.namespace);
        status.putNull("private");
        status.put("state", e.state);
        status.put("message", e.message);
        if (e.everRan && !e.state.equals("failed")) {
            status.put("url", url(e));
        }
        status.put("readyReplica", e.state.equals("running") ? Math.max(1, e.minReplica) : 0);
        status.put("targetReplica", switch (e.state) {
            case "running", "initializing", "updating" -> Math.max(1, e.minReplica);
            default -> 0;
        });
        return n;
    }

    private String url(Endpoint e) {
        return api.root() + "/endpoints/" + e.name;
    }

    // ---------------------------------------------------------------- for tests

    List<EmulatedEndpoint> snapshots() {
        List<EmulatedEndpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            sync(e);
            out.add(new EmulatedEndpoint(e.name, e.state, e.everRan && !e.state.equals("failed") ? url(e) : null,
                    e.repository, e.adapter, e.compute.type() + "-" + e.compute.size(), e.compute.vendor(),
                    e.compute.region(), e.minReplica, e.maxReplica, e.scaleToZeroTimeout, e.type, e.tags,
                    e.compute.pricePerHour(), e.message, e.chatRequests, e.createdAt));
        }
        return out;
    }

    Endpoint require(String name) {
        Endpoint e = endpoints.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no endpoint '" + name + "' exists in the emulator; known: "
                    + endpoints.keySet());
        }
        sync(e);
        return e;
    }

    void advance(String name) {
        step(require(name));
    }

    void scaleToZeroNow(String name) {
        Endpoint e = require(name);
        if (!e.state.equals("running")) {
            throw new IllegalArgumentException("endpoint '" + name + "' is " + e.state + "; only a running endpoint "
                    + "scales to zero");
        }
        move(e, "scaledToZero", "Endpoint scaled to zero");
    }

    void fail(String name, String message) {
        move(require(name), "failed", message);
    }

    void failNext(String message) {
        failures.add(message);
    }

    void remove(String name) {
        require(name);
        endpoints.remove(name);
    }

    void clear() {
        endpoints.clear();
        failures.clear();
    }
}
