package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments on Hugging Face Inference Endpoints (API v2, the calls of {@code huggingface_hub}'s
 * {@code create/get/list/update/pause/resume/scale_to_zero/delete_inference_endpoint} and {@code
 * list_inference_endpoints_hardware}): an endpoint per deployment, named by our deployment id (so a
 * lost create is found again with one {@code GET}) and tagged {@value EndpointJson#TAG}, serving the
 * base model with the version's LoRA adapter through vLLM. Hardware and hourly prices come from
 * {@code GET /provider/{namespace}}, kept an hour. Thread-safe.
 */
public final class EndpointDeployments implements DeploymentService {

    /** How long the hardware catalogue (and its prices) is kept. */
    public static final Duration CATALOGUE_CACHE = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(EndpointDeployments.class);

    /**
     * The defaults a spec does not set.
     *
     * @param hardware e.g. {@code nvidia-l4-x1}
     * @param vendor e.g. {@code aws}
     * @param region e.g. {@code us-east-1}
     * @param image the vLLM image, e.g. {@code vllm/vllm-openai:v0.23.0}
     * @param maxLoraRank vLLM's {@code --max-lora-rank}
     */
    public record Defaults(String hardware, String vendor, String region, String image, String maxLoraRank) {

        /** Checks the parts. */
        public Defaults {
            EndpointJson.Hardware.parse(hardware);
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(maxLoraRank, "maxLoraRank");
        }
    }

    private record Catalogue(JsonNode providers, Map<String, BigDecimal> prices, Instant at) {}

    private final ProviderHttp api;
    private final Supplier<String> namespace;
    private final ApiKey token;
    private final Defaults defaults;
    private final Function<URI, ProviderHttp> endpointClient;
    private final ServingAddress standing;
    private final Clock clock;
    private volatile Catalogue catalogue;

    /**
     * @param api the Inference Endpoints API, {@code https://api.endpoints.huggingface.cloud/v2}, with the token
     * @param namespace the user or organisation owning the endpoints
     * @param token sent to endpoints as the secret {@code HF_TOKEN}, so vLLM can read the private adapter
     * @param endpointClient a client for an endpoint's {@code /v1} URL (with the token)
     * @param standing the hand-configured serving URL, or null
     */
    public EndpointDeployments(ProviderHttp api, Supplier<String> namespace, ApiKey token, Defaults defaults,
            Function<URI, ProviderHttp> endpointClient, ServingAddress standing, Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.token = Objects.requireNonNull(token, "token");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.endpointClient = Objects.requireNonNull(endpointClient, "endpointClient");
        this.standing = standing;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The API's base URL. */
    public URI apiUrl() {
        return api.baseUrl();
    }

    private String collection() {
        return "/endpoint/" + ApiRequest.segment(namespace.get());
    }

    private String path(String name) {
        Objects.requireNonNull(name, "remoteId");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an endpoint name is blank");
        }
        return collection() + "/" + ApiRequest.segment(name);
    }

    // ---- the catalogue ------------------------------------------------------------------------

    private Catalogue catalogue(boolean required) {
        Catalogue c = catalogue;
        Instant now = clock.instant();
        if (c != null && Duration.between(c.at(), now).compareTo(CATALOGUE_CACHE) < 0) {
            return c;
        }
        try {
            JsonNode providers = api.getJson("/provider/" + ApiRequest.segment(namespace.get()));
            c = new Catalogue(providers, EndpointJson.prices(providers), now);
            catalogue = c;
            return c;
        } catch (FineTuneException e) {
            if (required) {
                throw e;
            }
            LOG.debug("huggingface: the endpoint hardware catalogue is not available ({}); no price", e.getMessage());
            return new Catalogue(null, Map.of(), now);
        }
    }

    /** What a request resolves to: hardware, vendor, region, the catalogue's compute entry. */
    private record Resolved(EndpointJson.Hardware hardware, String vendor, String region, JsonNode compute) {}

    private Resolved resolve(DeploymentRequest request) {
        for (String option : request.spec().options().keySet()) {
            if (!EndpointJson.OPTIONS.contains(option)) {
                throw new IllegalArgumentException("huggingface: unknown deployment option '" + option + "'; known: "
                        + new TreeSet<>(EndpointJson.OPTIONS));
            }
        }
        EndpointJson.Hardware hardware = EndpointJson.Hardware.parse(request.spec().hardware()
                .orElse(defaults.hardware()));
        String vendor = request.spec().options().getOrDefault("vendor", defaults.vendor());
        String region = request.spec().region().orElse(defaults.region());
        JsonNode providers = catalogue(true).providers();
        JsonNode compute = EndpointJson.compute(providers, vendor, region, hardware).orElseThrow(() -> {
            List<String> offered = EndpointJson.offered(providers, vendor, region);
            return new IllegalArgumentException("huggingface: Inference Endpoints have no hardware " + hardware.id()
                    + " at " + vendor + " in " + region + (offered.isEmpty() ? " (no such vendor and region)"
                            : "; offered there: " + String.join(", ", offered)));
        });
        String status = compute.path("status").asText("available");
        if (!status.equals("available")) {
            throw new IllegalArgumentException("huggingface: hardware " + hardware.id() + " at " + vendor + " in "
                    + region + " is " + status + " now; choose another (--hardware)");
        }
        return new Resolved(hardware, vendor, region, compute);
    }

    /**
     * Checks the options (only {@code vendor}, {@code image}, {@code max_lora_rank}), the hardware's
     * form and that the catalogue offers it, available, in the vendor and region.
     */
    @Override
    public void checkRequest(DeploymentRequest request) {
        resolve(Objects.requireNonNull(request, "request"));
    }

    /**
     * Creates the endpoint ({@code POST /endpoint/{namespace}}; see {@link EndpointJson#createBody}),
     * never repeated after a failure that may have reached the API.
     */
    @Override
    public RemoteDeployment deploy(DeploymentRequest request) {
        Resolved r = resolve(Objects.requireNonNull(request, "request"));
        String accelerator = r.compute().path("accelerator").asText("gpu");
        String image = request.spec().options().getOrDefault("image", defaults.image());
        String rank = request.spec().options().getOrDefault("max_lora_rank", defaults.maxLoraRank());
        JsonNode answer = api.postJson(collection(), EndpointJson.createBody(request, r.hardware(), accelerator,
                r.vendor(), r.region(), image, rank, token.value()), RetrySafety.UNSAFE);
        RemoteDeployment d = EndpointJson.endpoint(answer, catalogue(false).prices());
        LOG.info("huggingface: endpoint {} created for {} ({} at {}/{}), serving {} on {}", d.remoteId(),
                request.tag(), r.hardware().id(), r.vendor(), r.region(), request.providerModelId(),
                request.baseModel());
        return d;
    }

    /** The endpoint ({@code GET /endpoint/{namespace}/{name}}); a 404 is a deleted endpoint. */
    @Override
    public RemoteDeployment get(String remoteId) {
        try {
            return EndpointJson.endpoint(api.getJson(path(remoteId)), catalogue(false).prices());
        } catch (NotFoundException e) {
            return RemoteDeployment.builder(remoteId, DeploymentState.DELETED, "not found").billedReplicas(0).build();
        }
    }

    /** The endpoint named by the tag (our endpoints are named by our deployment id), if it exists. */
    @Override
    public Optional<RemoteDeployment> findByTag(String tag) {
        RemoteDeployment d = get(Objects.requireNonNull(tag, "tag"));
        return d.state() == DeploymentState.DELETED ? Optional.empty() : Optional.of(d);
    }

    /** The namespace's endpoints that carry our tag ({@code GET /endpoint/{namespace}}). */
    @Override
    public List<RemoteDeployment> list() {
        JsonNode answer = api.getJson(collection());
        Map<String, BigDecimal> prices = catalogue(false).prices();
        List<RemoteDeployment> out = new ArrayList<>();
        for (JsonNode e : answer.path("items")) {
            boolean ours = e.path("name").asText("").startsWith("ftd-");
            for (JsonNode t : e.path("tags")) {
                ours |= t.asText("").equals(EndpointJson.TAG);
            }
            if (ours) {
                out.add(EndpointJson.endpoint(e, prices));
            }
        }
        return out;
    }

    /**
     * Checks that the endpoint's vLLM lists the adapter ({@code GET {url}/v1/models}); an endpoint
     * that does not would answer for it with something else, or refuse every call.
     *
     * @throws NotFoundException when the adapter is not listed
     */
    @Override
    public void verifyServing(RemoteDeployment deployment, DeploymentRequest request) {
        ServingAddress address = deployment.address().orElseThrow(() -> new NotFoundException(
                "huggingface: endpoint " + deployment.remoteId() + " runs but has no URL yet",
                ProviderError.builder("huggingface", 404).errorCode("no_url").build()));
        URI url = address.baseUrl().orElseThrow();
        new ServedModels(endpointClient.apply(url), clock, Duration.ZERO, List.of())
                .require(address.model().orElse(request.providerModelId()));
    }

    /** Changes the replicas ({@code PUT /endpoint/{namespace}/{name}} with {@code compute.scaling}). */
    @Override
    public RemoteDeployment scale(String remoteId, int minReplicas, int maxReplicas) {
        JsonNode answer = api.sendJson(ApiRequest.put(path(remoteId)).json(EndpointJson.scaleBody(minReplicas,
                maxReplicas)).retrySafety(RetrySafety.SAFE).build()).body();
        return EndpointJson.endpoint(answer, catalogue(false).prices());
    }

    /** Pauses ({@code POST .../pause}). */
    @Override
    public RemoteDeployment pause(String remoteId) {
        return action(remoteId, "pause");
    }

    /** Resumes ({@code POST .../resume}); an endpoint already running (400 "already running") is read as it is. */
    @Override
    public RemoteDeployment resume(String remoteId) {
        try {
            return action(remoteId, "resume");
        } catch (InvalidRequestException e) {
            if (e.statusCode() == 400 && String.valueOf(e.rawBody()).contains("already running")) {
                return get(remoteId);
            }
            throw e;
        }
    }

    /** Scales to zero now ({@code POST .../scale-to-zero}). */
    @Override
    public RemoteDeployment scaleToZero(String remoteId) {
        return action(remoteId, "scale-to-zero");
    }

    private RemoteDeployment action(String remoteId, String action) {
        JsonNode answer = api.sendJson(ApiRequest.post(path(remoteId) + "/" + action)
                .retrySafety(RetrySafety.SAFE).build()).body();
        return EndpointJson.endpoint(answer, catalogue(false).prices());
    }

    /** Deletes ({@code DELETE /endpoint/{namespace}/{name}}); one already gone counts as deleted. */
    @Override
    public void undeploy(String remoteId) {
        try {
            api.delete(path(remoteId));
        } catch (NotFoundException e) {
            LOG.info("huggingface: endpoint {} was already gone", remoteId);
        }
    }

    /** The hand-configured serving URL ({@code HF_SERVING_URL}), for every model: it serves without a deployment. */
    @Override
    public Optional<ServingAddress> standingAddress(String providerModelId) {
        return Optional.ofNullable(standing);
    }

    @Override
    public String toString() {
        return "EndpointDeployments[" + api.baseUrl() + "]";
    }
}
