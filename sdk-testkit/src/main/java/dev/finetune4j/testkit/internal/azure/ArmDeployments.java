package dev.finetune4j.testkit.internal.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedDeployment;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The control plane of an emulated Azure OpenAI resource: Azure Resource Manager's deployments of
 * one account ({@code /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices
 * /accounts/{account}/deployments[/{name}]}, {@code PUT}, {@code GET}, {@code DELETE}, list), with
 * a Bearer token and an {@code api-version} required. A deployment moves {@code Accepted → Creating
 * → Succeeded} (or {@code Failed} when scripted) one state per read, per step of the clock, or when
 * a test says so. Chat reaches a model only through the name of a deployment that has succeeded
 * once (an update that provisions again keeps serving) ({@link #serve}), which also counts as use:
 * a deployment of a fine-tuned model that nothing used for 15 days is deleted, and a
 * Developer-tier one 24 hours after it was created, as Microsoft documents.
 * Deployments of base models never expire. Guarded by the emulation's lock.
 */
public final class ArmDeployments {

    /** Where the account's deployments are, with its three names as variables. */
    public static final String ACCOUNT = "/subscriptions/{sub}/resourceGroups/{rg}/providers/"
            + "Microsoft.CognitiveServices/accounts/{account}";

    /** How long a fine-tuned model's deployment may go without a chat call. */
    public static final Duration INACTIVITY_LIMIT = Duration.ofDays(15);

    /** How long a Developer-tier deployment lives. */
    public static final Duration DEVELOPER_LIFETIME = Duration.ofHours(24);

    private static final String[] STATES = {"Accepted", "Creating", "Succeeded"};
    private static final Set<String> SKUS = Set.of("standard", "globalstandard", "datazonestandard", "developertier",
            "developer", "provisionedmanaged", "globalprovisionedmanaged");
    private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    /** One deployment. */
    private static final class Deployment {
        final String name;
        final Instant createdAt;
        String model;
        String version;
        String sku;
        int capacity;
        int position;
        String failure;
        Instant lastUsedAt;
        Instant timedSince;
        /** Whether it has succeeded once: chat reaches it while an update provisions. */
        boolean served;

        Deployment(String name, Instant createdAt) {
            this.name = name;
            this.createdAt = createdAt;
            this.timedSince = createdAt;
        }

        String state() {
            return failure != null && position >= 2 ? "Failed" : STATES[position];
        }

        boolean developer() {
            return sku.toLowerCase(Locale.ROOT).startsWith("developer");
        }
    }

    private final Settings settings;
    private final Ids ids;
    private final String subscription;
    private final String resourceGroup;
    private final String account;
    private final String location;
    private final Predicate<String> knownModel;
    private final Predicate<String> baseModel;
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Deque<String> failures = new ArrayDeque<>();
    private final Map<String, String> initial;
    private final boolean autoDeploy;

    /**
     * @param initial deployments that exist from the start (name to base model), ready
     * @param knownModel whether a model may be deployed (a base model, a fine-tuned model, a checkpoint)
     * @param baseModel whether a model is a base model (its deployments never expire)
     * @param autoDeploy whether chat naming a trained model that has no deployment deploys it first,
     *     under the model's id (as a host application that names deployments after models would)
     */
    public ArmDeployments(Settings settings, Ids ids, String subscription, String resourceGroup, String account,
            String location, Map<String, String> initial, Predicate<String> knownModel, Predicate<String> baseModel,
            boolean autoDeploy) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.resourceGroup = Objects.requireNonNull(resourceGroup, "resourceGroup");
        this.account = Objects.requireNonNull(account, "account");
        this.location = Objects.requireNonNull(location, "location");
        this.initial = Map.copyOf(initial);
        this.knownModel = knownModel;
        this.baseModel = baseModel;
        this.autoDeploy = autoDeploy;
        clear();
    }

    /** The path of the account, as ARM names it. */
    public String accountPath() {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.CognitiveServices/accounts/" + account;
    }

    /** Forgets every deployment but the initial ones, and the scripted failures. */
    public void clear() {
        deployments.clear();
        failures.clear();
        Instant now = settings.clock().now();
        initial.forEach((name, model) -> {
            Deployment d = new Deployment(name, now);
            d.model = model;
            d.version = "1";
            d.sku = "GlobalStandard";
            d.capacity = 1;
            d.position = 2;
            d.served = true;
            deployments.put(name, d);
        });
    }

    /** The next deployment created ends {@code Failed} with this message. */
    public void failNext(String message) {
        failures.add(Objects.requireNonNull(message, "message"));
    }

    // ---------------------------------------------------------------- routes

    /** Adds the ARM routes and their guard (a Bearer token and an api-version). */
    public void routes(Routes r) {
        r.guard("/subscriptions", this::checkCall);
        String base = ACCOUNT + "/deployments";
        r.add("PUT", base + "/{name}", this::put)
                .get(base + "/{name}", call -> {
                    Deployment d = find(call);
                    read(d);
                    return ok(json(d));
                })
                .delete(base + "/{name}", call -> {
                    account(call);
                    Deployment d = deployments.remove(call.param("name"));
                    return d == null ? arm(Reply.status(204)) : arm(Reply.status(200));
                })
                .get(base, call -> {
                    account(call);
                    ArrayNode value = Jsons.array();
                    deployments.values().forEach(d -> value.add(json(d)));
                    return ok(Jsons.object().set("value", value));
                });
    }

    private void checkCall(HttpCall call) {
        sync();
        String header = call.header("authorization").orElse("");
        if (header.isBlank()) {
            throw error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw error(401, "InvalidAuthenticationToken", "The access token is invalid.");
        }
        String version = call.queryParam("api-version").orElse("");
        if (version.isEmpty()) {
            throw error(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!API_VERSION.matcher(version).matches()) {
            throw error(400, "InvalidApiVersionParameter", "The api-version '" + version + "' is invalid. The "
                    + "supported versions are of the form 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.");
        }
    }

    /** Refuses a call for another subscription, resource group or account. */
    private void account(HttpCall call) {
        if (!call.param("sub").equals(subscription)) {
            throw error(404, "SubscriptionNotFound", "The subscription '" + call.param("sub")
                    + "' could not be found.");
        }
        if (!call.param("rg").equalsIgnoreCase(resourceGroup)) {
            throw error(404, "ResourceGroupNotFound", "Resource group '" + call.param("rg") + "' could not be found.");
        }
        if (!call.param("account").equalsIgnoreCase(account)) {
            throw error(404, "ResourceNotFound", "The Resource 'Microsoft.CognitiveServices/accounts/"
                    + call.param("account") + "' under resource group '" + call.param("rg") + "' was not found.");
        }
    }

    private Deployment find(HttpCall call) {
        account(call);
        Deployment d = deployments.get(call.param("name"));
        if (d == null) {
            throw error(404, "DeploymentNotFound", "Deployment '" + call.param("name") + "' not found.");
        }
        return d;
    }

    private Reply put(HttpCall call) {
        account(call);
        String name = call.param("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,63}")) {
            throw error(400, "InvalidResourceName", "The deployment name '" + name + "' is invalid: use 2 to 64 "
                    + "letters, digits, '.', '-' and '_', starting with a letter or digit.");
        }
        JsonNode body = Jsons.parse(call.bodyText()).filter(JsonNode::isObject)
                .orElseThrow(() -> error(400, "InvalidRequestContent", "The request content was invalid and could "
                        + "not be deserialized."));
        JsonNode sku = body.path("sku");
        String skuName = sku.path("name").asText("");
        if (!SKUS.contains(skuName.toLowerCase(Locale.ROOT))) {
            throw error(400, "InvalidSkuName", "The sku '" + skuName + "' is not supported; use Standard, "
                    + "GlobalStandard, DeveloperTier or ProvisionedManaged.");
        }
        JsonNode capacity = sku.get("capacity");
        int units = capacity == null || capacity.isNull() ? 1 : capacity.isIntegralNumber() ? capacity.asInt() : -1;
        if (units < 1) {
            throw error(400, "InvalidCapacity", "The capacity should be a positive integer, was " + capacity + ".");
        }
        JsonNode model = body.path("properties").path("model");
        String format = model.path("format").asText("");
        String modelName = model.path("name").asText("");
        String version = model.path("version").asText("");
        if (!format.equals("OpenAI") || modelName.isEmpty() || version.isEmpty()) {
            throw error(400, "InvalidResourceProperties", "properties.model needs format 'OpenAI', a name and a "
                    + "version; got format '" + format + "', name '" + modelName + "', version '" + version + "'.");
        }
        if (!knownModel.test(modelName)) {
            throw error(400, "DeploymentModelNotSupported", "The model '" + modelName + "' of format 'OpenAI' and "
                    + "version '" + version + "' is not supported by this account.");
        }
        Instant now = settings.clock().now();
        Deployment d = deployments.get(name);
        boolean created = d == null;
        if (created) {
            d = new Deployment(name, now);
            d.failure = failures.poll();
            deployments.put(name, d);
        }
        d.model = modelName;
        d.version = version;
        d.sku = skuName;
        d.capacity = units;
        d.position = 0;
        d.timedSince = now;
        return arm(Reply.json(created ? 201 : 200, json(d)));
    }

    // ---------------------------------------------------------------- state

    /** A client read the deployment: under on-poll progression it moves one state. */
    private void read(Deployment d) {
        if (settings.progression().mode() == Progression.Mode.ON_POLL && d.position < 2) {
            d.position++;
        }
        d.served |= d.state().equals("Succeeded");
    }

    /** Moves timed deployments to where the clock says, and removes expired ones. */
    public void sync() {
        if (settings.progression().mode() == Progression.Mode.TIMED) {
            long step = settings.progression().step().toMillis();
            for (Deployment d : deployments.values()) {
                long steps = Duration.between(d.timedSince, settings.clock().now()).toMillis() / step;
                d.position = (int) Math.max(d.position, Math.min(2, steps));
                d.served |= d.state().equals("Succeeded");
            }
        }
        expire();
    }

    private void expire() {
        Instant now = settings.clock().now();
        for (Iterator<Deployment> it = deployments.values().iterator(); it.hasNext(); ) {
            Deployment d = it.next();
            if (baseModel.test(d.model)) {
                continue;
            }
            boolean developerGone = d.developer() && !now.isBefore(d.createdAt.plus(DEVELOPER_LIFETIME));
            Instant active = d.lastUsedAt != null && d.lastUsedAt.isAfter(d.createdAt) ? d.lastUsedAt : d.createdAt;
            boolean inactive = !d.developer() && now.isAfter(active.plus(INACTIVITY_LIMIT));
            if (developerGone || inactive) {
                it.remove();
            }
        }
    }

    /**
     * Moves one deployment one state on.
     *
     * @throws IllegalArgumentException when there is no such deployment
     */
    public void advance(String name) {
        Deployment d = deployments.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no deployment '" + name + "' in the emulator; known: "
                    + deployments.keySet());
        }
        d.position = Math.min(2, d.position + 1);
        d.served |= d.state().equals("Succeeded");
    }

    /** Finishes every deployment's provisioning. */
    public void finishAll() {
        deployments.values().forEach(d -> {
            d.position = 2;
            d.served |= d.state().equals("Succeeded");
        });
    }

    /**
     * The model a chat call reaches through the deployment {@code name}, counted as a use of it.
     *
     * @throws ApiError Azure's 404 {@code DeploymentNotFound} when there is no succeeded deployment of that name
     */
    public String serve(String name) {
        sync();
        Deployment d = deployments.get(name);
        if (d == null && autoDeploy && knownModel.test(name) && !baseModel.test(name)) {
            d = new Deployment(name, settings.clock().now());
            d.model = name;
            d.version = "1";
            d.sku = "Standard";
            d.capacity = 1;
            d.position = 2;
            d.served = true;
            deployments.put(name, d);
        }
        if (d == null || !d.served) {
            throw new ApiError(Reply.json(404, Jsons.object().set("error", Jsons.object()
                    .put("code", "DeploymentNotFound")
                    .put("message", "The API deployment for this resource does not exist. If you created the "
                            + "deployment within the last 5 minutes, please wait a moment and try again."))),
                    "DeploymentNotFound");
        }
        d.lastUsedAt = settings.clock().now();
        return d.model;
    }

    /** The deployments as a test sees them, oldest first. */
    public List<EmulatedDeployment> snapshots() {
        sync();
        List<EmulatedDeployment> out = new ArrayList<>();
        deployments.values().forEach(d -> out.add(new EmulatedDeployment(d.name, d.model, d.version, d.sku,
                d.capacity, d.state(), d.createdAt, d.lastUsedAt)));
        return out;
    }

    // ---------------------------------------------------------------- JSON

    private ObjectNode json(Deployment d) {
        ObjectNode n = Jsons.object();
        n.put("id", accountPath() + "/deployments/" + d.name);
        n.put("type", "Microsoft.CognitiveServices/accounts/deployments");
        n.put("name", d.name);
        n.putObject("sku").put("name", d.sku).put("capacity", d.capacity);
        ObjectNode properties = n.putObject("properties");
        properties.putObject("model").put("format", "OpenAI").put("name", d.model).put("version", d.version);
        properties.put("provisioningState", d.state());
        if (d.failure != null && d.position >= 2) {
            properties.putObject("error").put("code", "DeploymentFailed").put("message", d.failure);
        }
        properties.putObject("rateLimits");
        ObjectNode system = n.putObject("systemData");
        system.put("createdAt", d.createdAt.toString());
        system.put("lastModifiedAt", d.timedSince.toString());
        n.put("location", location);
        return n;
    }

    private Reply ok(ObjectNode body) {
        return arm(Reply.ok(body));
    }

    /** ARM's own request headers. */
    private Reply arm(Reply reply) {
        return reply.header("x-ms-request-id", ids.uuid().toString())
                .header("x-ms-correlation-request-id", ids.uuid().toString());
    }

    private ApiError error(int status, String code, String message) {
        ObjectNode e = Jsons.object().put("code", code).put("message", message);
        return new ApiError(arm(Reply.json(status, Jsons.object().set("error", e))), message);
    }
}
