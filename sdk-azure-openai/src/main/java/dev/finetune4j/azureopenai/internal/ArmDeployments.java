package dev.finetune4j.azureopenai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ProviderException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.azureopenai.AzureOpenAiProviderFactory;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.Authentication;
import dev.finetune4j.spi.kit.JsonResponse;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The deployments of one Azure OpenAI account through Azure Resource Manager, the control plane
 * that makes a fine-tuned model callable (Microsoft's "Deploy a fine-tuned model" how-to, REST
 * section; ARM operation {@code Deployments_CreateOrUpdate} and its {@code PutDeployment} / {@code
 * ListDeployments} examples in {@code Azure/azure-rest-api-specs}):
 *
 * <ul>
 *   <li>{@code PUT {account}/deployments/{name}?api-version=V} with {@code {"sku": {"name",
 *       "capacity"}, "properties": {"model": {"format": "OpenAI", "name": MODEL, "version":
 *       "1"}}}} → 201 {@code Accepted} (200 on update); the how-to's samples say {@code POST}, the
 *       ARM operation is a {@code PUT}, which is idempotent and so retried;
 *   <li>{@code GET …/deployments/{name}} until {@code properties.provisioningState} is {@code
 *       Succeeded} (polling the resource, as Microsoft's samples do);
 *   <li>{@code GET …/deployments} ({@code {"value": [...]}}) and {@code DELETE
 *       …/deployments/{name}} (deleting a deployment never deletes the model).
 * </ul>
 *
 * Every call carries {@code Authorization: Bearer} with a Microsoft Entra ID token for ARM (scope
 * {@code https://management.azure.com/.default}) from the host application's supplier, asked once
 * per call: the resource's {@code api-key} cannot deploy. The {@code api-version} is ARM's ({@value
 * #DEFAULT_API_VERSION} by default), not the data plane's. Thread-safe.
 */
public final class ArmDeployments {

    /** Azure Resource Manager's public endpoint. */
    public static final URI MANAGEMENT_ENDPOINT = URI.create("https://management.azure.com");

    /** The ARM api-version of Microsoft.CognitiveServices deployments in the spec's stable examples. */
    public static final String DEFAULT_API_VERSION = "2024-10-01";

    /** The model version ARM takes for a fine-tuned model or checkpoint. */
    public static final String FINE_TUNED_VERSION = "1";

    private static final String PROVIDER = AzureOpenAiProviderFactory.ID;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
    private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private final ProviderHttp arm;
    private final ArmAccount account;
    private final String apiVersion;

    /**
     * @param arm the HTTP client on the management endpoint, authenticating with ARM tokens
     * @param apiVersion ARM's {@code yyyy-mm-dd[-preview]}
     * @throws IllegalArgumentException when the api-version is not of that form
     */
    public ArmDeployments(ProviderHttp arm, ArmAccount account, String apiVersion) {
        this.arm = Objects.requireNonNull(arm, "arm");
        this.account = Objects.requireNonNull(account, "account");
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("ARM api-version '" + apiVersion + "' must be yyyy-mm-dd or "
                    + "yyyy-mm-dd-preview, such as " + DEFAULT_API_VERSION);
        }
    }

    /**
     * The deployments of {@code account} at {@code managementEndpoint} ({@link #MANAGEMENT_ENDPOINT}
     * unless a proxy or the emulator stands for it), with ARM tokens from {@code tokens} and the
     * HTTP client, retries, timeout, clock and sleeper of {@code config}.
     */
    public static ArmDeployments create(ProviderConfig config, URI managementEndpoint, ArmAccount account,
            Supplier<ApiKey> tokens, String apiVersion) {
        Objects.requireNonNull(config, "config");
        ProviderHttp.Builder http = ProviderHttp.builder(PROVIDER, Objects.requireNonNull(managementEndpoint,
                        "managementEndpoint"))
                .auth(Authentication.bearerToken(Objects.requireNonNull(tokens, "tokens")))
                .retry(config.retry())
                .timeout(config.timeout())
                .sleeper(config.sleeper())
                .clock(config.clock());
        config.httpClient().ifPresent(http::httpClient);
        return new ArmDeployments(http.build(), account, apiVersion);
    }

    /** The account. */
    public ArmAccount account() {
        return account;
    }

    /**
     * Checks a deployment's name, model and capacity as ARM would, before anything is sent.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static void check(String name, String model, int capacity) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("azure-openai deployment name '" + name + "' must be 2 to 64 letters, "
                    + "digits, '.', '-' and '_', starting with a letter or digit");
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("azure-openai deployment of '" + name + "' names no model");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("azure-openai deployment capacity must be at least 1 (units of "
                    + "thousand tokens per minute), was " + capacity);
        }
    }

    /**
     * Creates the deployment {@code name} of {@code model} (version {@value #FINE_TUNED_VERSION}), or
     * updates it when it exists; Azure answers {@code Accepted} and provisions in the background.
     *
     * @param sku a deployment type in any spelling {@link DeploymentSku} takes
     * @param capacity the SKU capacity (1 in Microsoft's samples; 50 in its Developer-tier one)
     * @throws IllegalArgumentException for a name, model, type or capacity ARM would refuse, before anything is sent
     * @throws ProviderException when ARM refuses it (an unsupported model, no quota, a token without the
     *     {@code Microsoft.CognitiveServices/accounts/deployments/write} permission)
     */
    public ArmDeployment deploy(String name, String model, String sku, int capacity) {
        check(name, model, capacity);
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        body.putObject("sku").put("name", DeploymentSku.wire(sku)).put("capacity", capacity);
        body.putObject("properties").putObject("model").put("format", "OpenAI").put("name", model)
                .put("version", FINE_TUNED_VERSION);
        JsonResponse answer = arm.sendJson(ApiRequest.put(path(name)).query("api-version", apiVersion).json(body)
                .retrySafety(RetrySafety.SAFE).build());
        return parse(answer);
    }

    /** The deployment as it is now; empty when ARM does not know it (never created, deleted, or expired). */
    public Optional<ArmDeployment> get(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return Optional.of(parse(arm.sendJson(ApiRequest.get(path(name)).query("api-version", apiVersion)
                    .build())));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every deployment of the account, as ARM lists them (base models' too). */
    public List<ArmDeployment> list() {
        JsonResponse answer = arm.sendJson(ApiRequest.get(account.path() + "/deployments")
                .query("api-version", apiVersion).build());
        JsonNode value = answer.body().get("value");
        if (value == null || !value.isArray()) {
            throw unexpected(answer, "the deployment list has no 'value' array");
        }
        List<ArmDeployment> out = new ArrayList<>();
        for (JsonNode d : value) {
            out.add(parse(answer, d));
        }
        return out;
    }

    /**
     * Deletes the deployment; the model stays. Safe to repeat.
     *
     * @return whether ARM still had it (false when it was already gone)
     */
    public boolean undeploy(String name) {
        Objects.requireNonNull(name, "name");
        try {
            JsonResponse answer = arm.sendJson(ApiRequest.delete(path(name)).query("api-version", apiVersion)
                    .build());
            return answer.status() != 204;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private String path(String name) {
        return account.path() + "/deployments/" + ApiRequest.segment(name);
    }

    private ArmDeployment parse(JsonResponse answer) {
        return parse(answer, answer.body());
    }

    private ArmDeployment parse(JsonResponse answer, JsonNode d) {
        JsonNode model = d.path("properties").path("model");
        String name = d.path("name").asText("");
        String state = d.path("properties").path("provisioningState").asText("");
        if (name.isEmpty() || state.isEmpty() || !model.path("name").isTextual()) {
            throw unexpected(answer, "a deployment lacks name, properties.model.name or properties.provisioningState");
        }
        JsonNode error = d.path("properties").path("error").path("message");
        return new ArmDeployment(name, d.path("id").asText(account.path() + "/deployments/" + name),
                model.path("name").asText(), model.path("version").asText(""), d.path("sku").path("name").asText(""),
                d.path("sku").path("capacity").asInt(0), state, error.isTextual() ? error.asText() : null);
    }

    private static ProviderException unexpected(JsonResponse answer, String what) {
        return new ProviderException(PROVIDER + " (Azure Resource Manager) answered " + answer.status()
                + " with a body finetune4j cannot read: " + what, PROVIDER, answer.status(), "unexpected_body",
                answer.requestId().orElse(null), answer.body().toString(), false);
    }
}
