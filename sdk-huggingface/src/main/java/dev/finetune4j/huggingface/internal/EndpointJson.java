package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.RemoteDeployment;
import dev.finetune4j.spi.kit.ProviderJson;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Inference Endpoints API's JSON (v2, as {@code huggingface_hub}'s {@code
 * create_inference_endpoint} and {@code InferenceEndpoint} read and write it): the create body for
 * a LoRA adapter served by vLLM on its base model, and the endpoint object read into a {@link
 * RemoteDeployment}. Stateless.
 *
 * <h2>States</h2>
 *
 * <table>
 *   <caption>{@code status.state} to normalised state, and replicas billed</caption>
 *   <tr><th>{@code status.state}</th><th>{@link DeploymentState}</th><th>billed replicas</th></tr>
 *   <tr><td>{@code pending}</td><td>{@code PENDING}</td><td>0</td></tr>
 *   <tr><td>{@code initializing}, {@code updating}</td><td>{@code INITIALIZING}</td>
 *       <td>{@code targetReplica}, at least 1</td></tr>
 *   <tr><td>{@code running} (with a {@code status.url})</td><td>{@code READY}</td>
 *       <td>{@code readyReplica}, at least 1</td></tr>
 *   <tr><td>{@code scaledToZero}</td><td>{@code SCALED_TO_ZERO}</td><td>0</td></tr>
 *   <tr><td>{@code paused}</td><td>{@code PAUSED}</td><td>0</td></tr>
 *   <tr><td>{@code failed}, {@code updateFailed}</td><td>{@code FAILED}, with {@code status.message}</td>
 *       <td>0</td></tr>
 *   <tr><td>anything else</td><td>{@code UNKNOWN}, the raw state kept</td><td>0</td></tr>
 * </table>
 *
 * Billing follows Hugging Face's pricing page: endpoints are charged "while ... initializing and
 * in a running state", by the minute.
 */
public final class EndpointJson {

    /** The options a deployment spec may set for Hugging Face. */
    public static final Set<String> OPTIONS = Set.of("vendor", "image", "max_lora_rank");

    /** The task every endpoint of ours serves. */
    static final String TASK = "text-generation";

    /** The port vLLM's OpenAI server listens on in its image. */
    static final int VLLM_PORT = 8000;

    /** The tag every endpoint of ours carries beside its deployment id. */
    public static final String TAG = "finetune4j";

    private static final Pattern HARDWARE = Pattern.compile("([a-z0-9][a-z0-9-]*)-(x[0-9]+)");

    private EndpointJson() {}

    /**
     * Hardware as {@code INSTANCE_TYPE-INSTANCE_SIZE}, e.g. {@code nvidia-l4-x1}.
     *
     * @param type e.g. {@code nvidia-l4}
     * @param size e.g. {@code x1}
     */
    public record Hardware(String type, String size) {

        /** {@code nvidia-l4-x1}. */
        public String id() {
            return type + "-" + size;
        }

        /**
         * Parses {@code nvidia-l4-x1}.
         *
         * @throws IllegalArgumentException for another form
         */
        public static Hardware parse(String value) {
            var m = HARDWARE.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("huggingface: hardware '" + value + "' must be INSTANCE_TYPE-SIZE "
                        + "as the Inference Endpoints catalogue names it, e.g. nvidia-l4-x1 or nvidia-a10g-x1");
            }
            return new Hardware(m.group(1), m.group(2));
        }
    }

    /**
     * The create body: the base model repository, served by vLLM's OpenAI server with the adapter
     * as a LoRA module named by its repository id ({@code --enable-lora --lora-modules
     * ADAPTER=ADAPTER}), the token as the secret {@code HF_TOKEN} (the adapter repository is
     * private), type {@code authenticated}, scale-to-zero after the spec's idle time in minutes,
     * the deployment id as its name and tag.
     *
     * @param accelerator the accelerator of the hardware in the catalogue ({@code gpu}, {@code cpu})
     */
    static ObjectNode createBody(DeploymentRequest request, Hardware hardware, String accelerator, String vendor,
            String region, String image, String maxLoraRank, String token) {
        DeploymentSpec spec = request.spec();
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        body.putNull("accountId");
        ObjectNode compute = body.putObject("compute");
        compute.put("accelerator", accelerator);
        compute.put("instanceSize", hardware.size());
        compute.put("instanceType", hardware.type());
        ObjectNode scaling = compute.putObject("scaling");
        scaling.put("maxReplica", spec.maxReplicas());
        scaling.put("minReplica", spec.minReplicas());
        if (spec.scaleToZeroAfter().isPresent()) {
            // minutes, rounded up: the API has no finer unit
            long seconds = spec.scaleToZeroAfter().get().getSeconds();
            scaling.put("scaleToZeroTimeout", Math.max(1, (seconds + 59) / 60));
        } else {
            scaling.putNull("scaleToZeroTimeout");
        }
        ObjectNode model = body.putObject("model");
        model.put("framework", "pytorch");
        model.put("repository", request.baseModel());
        model.putNull("revision");
        model.put("task", TASK);
        model.putObject("image").putObject("vLLM").put("url", image).put("port", VLLM_PORT);
        ArrayNode args = model.putArray("args");
        args.add("--enable-lora").add("--lora-modules").add(request.providerModelId() + "=" + request.providerModelId())
                .add("--max-lora-rank").add(maxLoraRank);
        model.putObject("secrets").put("HF_TOKEN", token);
        body.put("name", request.tag());
        body.putObject("provider").put("region", region).put("vendor", vendor);
        body.put("type", "authenticated");
        body.putArray("tags").add(TAG).add(request.tag());
        return body;
    }

    /** The update body that changes the replicas. */
    static ObjectNode scaleBody(int minReplicas, int maxReplicas) {
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        body.putObject("compute").putObject("scaling").put("minReplica", minReplicas).put("maxReplica", maxReplicas);
        return body;
    }

    /** The normalised state of a {@code status.state}. */
    public static DeploymentState state(String raw) {
        return switch (raw == null ? "" : raw) {
            case "pending" -> DeploymentState.PENDING;
            case "initializing", "updating" -> DeploymentState.INITIALIZING;
            case "running" -> DeploymentState.READY;
            case "scaledToZero" -> DeploymentState.SCALED_TO_ZERO;
            case "paused" -> DeploymentState.PAUSED;
            case "failed", "updateFailed" -> DeploymentState.FAILED;
            default -> DeploymentState.UNKNOWN;
        };
    }

    /**
     * An endpoint object as a {@link RemoteDeployment}: its name, state, address ({@code
     * status.url} + {@code /v1}, the adapter's name as the model), billed replicas, hardware and,
     * when {@code prices} has its hardware, the hourly price.
     *
     * @param prices hourly USD prices by {@code vendor/region/type-size}, possibly empty
     */
    static RemoteDeployment endpoint(JsonNode e, Map<String, BigDecimal> prices) {
        String name = e.path("name").asText("");
        JsonNode status = e.path("status");
        String raw = status.path("state").asText("unknown");
        DeploymentState state = state(raw);
        String url = status.path("url").asText("");
        if (state == DeploymentState.READY && url.isEmpty()) {
            state = DeploymentState.INITIALIZING;
        }
        RemoteDeployment.Builder b = RemoteDeployment.builder(name, state, raw);
        adapter(e).ifPresent(adapter -> {
            if (!url.isEmpty()) {
                b.address(ServingAddress.of(URI.create(stripSlash(url) + "/v1"), adapter));
            }
        });
        int ready = status.path("readyReplica").asInt(0);
        int target = status.path("targetReplica").asInt(0);
        b.billedReplicas(switch (state) {
            case READY -> Math.max(1, ready);
            case INITIALIZING -> Math.max(1, target);
            default -> 0;
        });
        JsonNode compute = e.path("compute");
        String hardware = compute.path("instanceType").asText("") + "-" + compute.path("instanceSize").asText("");
        if (hardware.length() > 1) {
            b.hardware(hardware);
            BigDecimal price = prices.get(priceKey(e.path("provider").path("vendor").asText(""),
                    e.path("provider").path("region").asText(""), hardware));
            if (price != null) {
                b.pricePerHour(new Money(price, "USD"));
            }
        }
        for (JsonNode t : e.path("tags")) {
            if (t.asText("").startsWith("ftd-")) {
                b.tag(t.asText());
            }
        }
        if (state == DeploymentState.FAILED || state == DeploymentState.UNKNOWN) {
            String message = status.path("message").asText("");
            if (!message.isEmpty()) {
                b.error(message);
            }
        }
        b.createdAt(JobJson.instant(status.path("createdAt")));
        return b.build();
    }

    /** The adapter an endpoint of ours serves: the name of its {@code --lora-modules NAME=...}. */
    static Optional<String> adapter(JsonNode e) {
        JsonNode args = e.path("model").path("args");
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals("--lora-modules")) {
                String module = args.get(i + 1).asText("");
                int eq = module.indexOf('=');
                return Optional.of(eq > 0 ? module.substring(0, eq) : module).filter(s -> !s.isBlank());
            }
        }
        return Optional.empty();
    }

    /** Hourly USD prices from {@code GET /provider/{namespace}}, by {@code vendor/region/type-size}. */
    static Map<String, BigDecimal> prices(JsonNode providers) {
        Map<String, BigDecimal> out = new java.util.LinkedHashMap<>();
        for (JsonNode vendor : providers.path("vendors")) {
            for (JsonNode region : vendor.path("regions")) {
                for (JsonNode c : region.path("computes")) {
                    JsonNode price = c.get("pricePerHour");
                    if (price != null && price.isNumber()) {
                        out.put(priceKey(vendor.path("name").asText(), region.path("name").asText(),
                                c.path("instanceType").asText() + "-" + c.path("instanceSize").asText()),
                                price.decimalValue());
                    }
                }
            }
        }
        return out;
    }

    /** The compute of {@code GET /provider/{namespace}} for this vendor, region and hardware, if listed. */
    static Optional<JsonNode> compute(JsonNode providers, String vendor, String region, Hardware hardware) {
        for (JsonNode v : providers.path("vendors")) {
            if (!v.path("name").asText().equals(vendor)) {
                continue;
            }
            for (JsonNode r : v.path("regions")) {
                if (!r.path("name").asText().equals(region)) {
                    continue;
                }
                for (JsonNode c : r.path("computes")) {
                    if (c.path("instanceType").asText().equals(hardware.type())
                            && c.path("instanceSize").asText().equals(hardware.size())) {
                        return Optional.of(c);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** What a vendor and region offer, {@code nvidia-l4-x1 ($0.80/h)}, for messages; empty when the region is unknown. */
    static java.util.List<String> offered(JsonNode providers, String vendor, String region) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode v : providers.path("vendors")) {
            for (JsonNode r : v.path("regions")) {
                if (v.path("name").asText().equals(vendor) && r.path("name").asText().equals(region)) {
                    for (JsonNode c : r.path("computes")) {
                        out.add(c.path("instanceType").asText() + "-" + c.path("instanceSize").asText()
                                + (c.path("pricePerHour").isNumber() ? " ($" + c.path("pricePerHour").decimalValue()
                                        .toPlainString() + "/h)" : ""));
                    }
                }
            }
        }
        return out;
    }

    static String priceKey(String vendor, String region, String hardware) {
        return vendor + "/" + region + "/" + hardware;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
