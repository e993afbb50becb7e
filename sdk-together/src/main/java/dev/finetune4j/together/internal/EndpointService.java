package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ProviderException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments of fine-tuned models on Together AI dedicated endpoints ({@code /endpoints}): one
 * endpoint per deployment of ours, its {@code display_name} starting with our deployment id
 * ({@code ftd-…}) so a lost create is found again; chat sends the endpoint's {@code name} as
 * {@code model} on Together's usual {@code /chat/completions}.
 *
 * <ul>
 *   <li>hardware: a Together hardware id ({@code GET /hardware} lists them, e.g. {@code
 *       1x_nvidia_h100_80gb_sxm}); required, Together has no default;
 *   <li>replicas: {@code autoscaling.min_replicas} / {@code max_replicas};
 *   <li>region: sent as {@code availability_zone} ({@code GET /clusters/availability-zones});
 *   <li>pause / resume: {@code PATCH} with {@code state} {@code STOPPED} / {@code STARTED}; Together
 *       has no scale to zero apart from stopping, so scale to zero stops;
 *   <li>price per hour: the hardware's {@code pricing.cents_per_minute} × 60 / 100 from {@code GET
 *       /hardware?model=…}, read once per model and hardware; none when the list does not carry it.
 * </ul>
 *
 * Thread-safe.
 */
public final class EndpointService implements DeploymentService {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointService.class);
    private static final String OURS = "ftd-";
    private static final String PATH = "/endpoints";

    private final ProviderHttp http;
    private final Map<String, Optional<Money>> prices = new ConcurrentHashMap<>();
    private final ServerlessLora serverless;

    /** @param http Together's API */
    public EndpointService(ProviderHttp http) {
        this.http = Objects.requireNonNull(http, "http");
        this.serverless = new ServerlessLora(http);
    }

    /**
     * The model's own name on Together's {@code /chat/completions} when Together serves it serverless
     * (a LoRA adapter on a base {@link ServerlessLora} lists), so it needs no endpoint; none for a full
     * fine-tune or an adapter on another base, which need one.
     */
    @Override
    public Optional<ServingAddress> standingAddress(String providerModelId) {
        return serverless.address(providerModelId);
    }

    /** Refuses a request without hardware, and any option (Together endpoints take none of ours). */
    @Override
    public void checkRequest(DeploymentRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.spec().hardware().isEmpty()) {
            throw new IllegalArgumentException("together: a dedicated endpoint needs hardware, a Together hardware id "
                    + "such as 1x_nvidia_h100_80gb_sxm (GET /hardware?model=" + request.providerModelId()
                    + " lists those that can serve the model); set DeploymentSpec hardware, or --hardware on the "
                    + "CLI's deploy");
        }
        if (!request.spec().options().isEmpty()) {
            throw new IllegalArgumentException("together: unknown deployment options " + request.spec().options()
                    .keySet() + "; Together endpoints take none (hardware, region and replicas are the spec's)");
        }
    }

    /**
     * Creates the endpoint ({@code POST /endpoints}, never repeated after a failure that may have
     * reached Together): the model, hardware, autoscaling, {@code display_name} = tag, assistant and
     * version, {@code state STARTED}.
     */
    @Override
    public RemoteDeployment deploy(DeploymentRequest request) {
        checkRequest(request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", request.providerModelId());
        body.put("hardware", request.spec().hardware().orElseThrow());
        ObjectNode autoscaling = body.putObject("autoscaling");
        autoscaling.put("min_replicas", request.spec().minReplicas());
        autoscaling.put("max_replicas", request.spec().maxReplicas());
        body.put("display_name", request.tag() + " " + request.assistant() + " v" + request.modelVersion());
        body.put("state", "STARTED");
        request.spec().region().ifPresent(r -> body.put("availability_zone", r));
        RemoteDeployment d = remote(http.postJson(PATH, body, RetrySafety.UNSAFE));
        LOG.info("together: endpoint {} requested for {} ({}, {}..{} replicas)", d.remoteId(),
                request.providerModelId(), request.spec().hardware().orElseThrow(), request.spec().minReplicas(),
                request.spec().maxReplicas());
        return d;
    }

    /** The endpoint ({@code GET /endpoints/{id}}); one Together does not know (404) is {@link DeploymentState#DELETED}. */
    @Override
    public RemoteDeployment get(String remoteId) {
        try {
            return remote(http.getJson(path(remoteId)));
        } catch (NotFoundException e) {
            return RemoteDeployment.builder(remoteId, DeploymentState.DELETED, "not found").billedReplicas(0).build();
        }
    }

    /** Our dedicated endpoint whose {@code display_name} starts with the tag; the oldest when two do. */
    @Override
    public Optional<RemoteDeployment> findByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        return ours().stream().filter(e -> tag.equals(tagOf(e)))
                .min((a, b) -> text(a, "created_at", "").compareTo(text(b, "created_at", "")))
                .map(this::remote);
    }

    /** The account's dedicated endpoints whose {@code display_name} starts with {@code ftd-} (ours). */
    @Override
    public List<RemoteDeployment> list() {
        return ours().stream().map(this::remote).toList();
    }

    /**
     * {@code GET /endpoints?type=dedicated&mine=true}, then, for an item that lacks {@code
     * display_name} (Together's list items are not documented to carry it), the endpoint itself.
     */
    private List<JsonNode> ours() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("type", "dedicated");
        query.put("mine", "true");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : http.getJson(PATH, query).path("data")) {
            JsonNode full = e.hasNonNull("display_name") ? e : http.getJson(path(e.path("id").asText()));
            if (tagOf(full) != null) {
                out.add(full);
            }
        }
        return out;
    }

    /** Sets {@code autoscaling} ({@code PATCH /endpoints/{id}}). */
    @Override
    public RemoteDeployment scale(String remoteId, int minReplicas, int maxReplicas) {
        if (minReplicas < 0 || maxReplicas < 1 || minReplicas > maxReplicas) {
            throw new IllegalArgumentException("together: replicas must satisfy 0 <= min <= max and max >= 1, were "
                    + minReplicas + ".." + maxReplicas);
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode autoscaling = body.putObject("autoscaling");
        autoscaling.put("min_replicas", minReplicas);
        autoscaling.put("max_replicas", maxReplicas);
        return patch(remoteId, body);
    }

    /** Stops the endpoint ({@code PATCH} with {@code state STOPPED}); it keeps its name and settings. */
    @Override
    public RemoteDeployment pause(String remoteId) {
        return state(remoteId, "STOPPED");
    }

    /** Starts a stopped endpoint ({@code PATCH} with {@code state STARTED}). */
    @Override
    public RemoteDeployment resume(String remoteId) {
        return state(remoteId, "STARTED");
    }

    /** Stops the endpoint: Together has no other way to run no replica. */
    @Override
    public RemoteDeployment scaleToZero(String remoteId) {
        return pause(remoteId);
    }

    private RemoteDeployment state(String remoteId, String state) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("state", state);
        return patch(remoteId, body);
    }

    private RemoteDeployment patch(String remoteId, ObjectNode body) {
        return remote(http.sendJson(ApiRequest.method("PATCH", path(remoteId)).json(body)
                .retrySafety(RetrySafety.SAFE).build()).body());
    }

    /** Deletes the endpoint ({@code DELETE /endpoints/{id}}, 204); one already gone counts as deleted. */
    @Override
    public void undeploy(String remoteId) {
        try {
            http.delete(path(remoteId));
        } catch (NotFoundException e) {
            LOG.info("together: endpoint {} was already gone", remoteId);
        }
    }

    /**
     * The normalised state of a Together endpoint state: {@code PENDING} pending; {@code STARTING}
     * initializing; {@code STARTED} ready; {@code STOPPING}, {@code STOPPED} paused; {@code ERROR},
     * {@code FAILED} failed; others unknown (the raw state is kept).
     */
    public static DeploymentState state(String raw) {
        return switch (raw.toUpperCase(Locale.ROOT)) {
            case "PENDING" -> DeploymentState.PENDING;
            case "STARTING" -> DeploymentState.INITIALIZING;
            case "STARTED" -> DeploymentState.READY;
            case "STOPPING", "STOPPED" -> DeploymentState.PAUSED;
            case "ERROR", "FAILED" -> DeploymentState.FAILED;
            default -> DeploymentState.UNKNOWN;
        };
    }

    private RemoteDeployment remote(JsonNode e) {
        String id = text(e, "id", null);
        String name = text(e, "name", null);
        if (id == null || name == null) {
            throw new ProviderException("together answered an endpoint without id or name: " + e, "together", 200,
                    null, null, e.toString(), false);
        }
        String raw = text(e, "state", "");
        DeploymentState state = state(raw);
        RemoteDeployment.Builder b = RemoteDeployment.builder(id, state, raw)
                .address(ServingAddress.model(name))
                .tag(tagOf(e));
        String hardware = text(e, "hardware", null);
        if (hardware != null) {
            b.hardware(hardware);
            price(text(e, "model", ""), hardware).ifPresent(b::pricePerHour);
        }
        if (state == DeploymentState.PAUSED) {
            b.billedReplicas(0);
        }
        String created = text(e, "created_at", null);
        if (created != null) {
            try {
                b.createdAt(Instant.parse(created));
            } catch (DateTimeParseException ex) {
                LOG.debug("together: endpoint {} created_at '{}' is not an instant", id, created);
            }
        }
        return b.build();
    }

    /**
     * The hourly price of the hardware for the model, from {@code GET /hardware?model=…}; none when
     * not listed, and none (asked again next time) when the list cannot be read: the endpoint's state
     * matters more than its price.
     */
    private Optional<Money> price(String model, String hardware) {
        try {
            return listedPrice(model, hardware);
        } catch (ProviderException | NotFoundException e) {
            LOG.warn("together: the hardware list could not be read, endpoint on {} left unpriced: {}", hardware,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Money> listedPrice(String model, String hardware) {
        return prices.computeIfAbsent(model + "\n" + hardware, k -> {
            for (JsonNode h : http.getJson("/hardware", Map.of("model", model)).path("data")) {
                JsonNode cents = h.path("pricing").path("cents_per_minute");
                if (hardware.equals(h.path("id").asText()) && cents.isNumber()) {
                    return Optional.of(new Money(cents.decimalValue().multiply(BigDecimal.valueOf(60))
                            .divide(BigDecimal.valueOf(100), 6, RoundingMode.HALF_UP).stripTrailingZeros(), "USD"));
                }
            }
            return Optional.empty();
        });
    }

    private static String tagOf(JsonNode e) {
        String display = text(e, "display_name", null);
        if (display == null || !display.startsWith(OURS)) {
            return null;
        }
        int space = display.indexOf(' ');
        return space < 0 ? display : display.substring(0, space);
    }

    private static String text(JsonNode e, String field, String otherwise) {
        JsonNode v = e.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : otherwise;
    }

    private static String path(String remoteId) {
        return PATH + "/" + ApiRequest.segment(Objects.requireNonNull(remoteId, "remoteId"));
    }

    @Override
    public String toString() {
        return "EndpointService[" + http.baseUrl() + "]";
    }
}
