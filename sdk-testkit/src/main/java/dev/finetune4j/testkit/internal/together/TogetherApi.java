package dev.finetune4j.testkit.internal.together;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedDedicatedEndpoint;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.ChatTurn;
import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A stateful emulation of the Together AI HTTP API: files ({@link TogetherFiles}), fine-tune jobs,
 * their limits, events, metrics, checkpoints and weights ({@link TogetherJobs}), price estimates
 * ({@link TogetherPrices}), the model list, and
 * chat completions ({@link TogetherChat}) where a LoRA adapter on a base Together serves
 * serverless answers from its training data. Thread-safe.
 */
public final class TogetherApi extends Emulation<TogetherJob, TogetherModel> {

    /**
     * The base models an emulator knows unless told otherwise: fine-tunable models Together lists,
     * among them the bases it serves LoRA adapters on serverless.
     */
    public static final List<String> DEFAULT_BASE_MODELS = List.of("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
            "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference", "meta-llama/Llama-3.2-1B-Instruct",
            "meta-llama/Llama-3.2-3B-Instruct", "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen3-8B", "Qwen/Qwen3-32B");

    /**
     * The bases whose LoRA adapters Together serves serverless, as docs.together.ai/docs/adapter-upload
     * lists them; adapters of other bases, and full fine-tunes, need a dedicated endpoint.
     */
    public static final Set<String> SERVERLESS_LORA_BASES = Set.of("meta-llama/Llama-4-Maverick-17B-128E-Instruct",
            "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
            "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen3-235B-A22B-Instruct-2507-tput");

    static final long BASE_MODEL_CREATED = 1_720_000_000L;

    private final String account;
    private final TogetherFiles files;
    private final TogetherJobs jobs;
    private final TogetherEndpoints endpoints;
    private final TogetherPrices prices;
    private final BigDecimal initialCreditLimit;
    private volatile Supplier<String> rootUrl = () -> "http://localhost";

    /**
     * @param account the user name that starts every fine-tuned model's name
     * @param creditLimit the account's credit limit in dollars, which the price estimate answers as
     *     {@code user_limit}
     */
    public TogetherApi(Settings settings, String account, BigDecimal creditLimit) {
        super(settings, id -> TogetherErrors.notFound("File " + id + " not found"));
        this.account = Objects.requireNonNull(account, "account");
        this.initialCreditLimit = Objects.requireNonNull(creditLimit, "creditLimit");
        this.files = new TogetherFiles(this);
        this.jobs = new TogetherJobs(this);
        this.endpoints = new TogetherEndpoints(this);
        this.prices = new TogetherPrices(this, jobs, creditLimit);
    }

    /** Where the emulator is reachable ({@code http://localhost:PORT[/mount]}), for the upload URLs it answers with. */
    public void rootUrl(Supplier<String> root) {
        this.rootUrl = Objects.requireNonNull(root, "root");
    }

    String root() {
        return rootUrl.get();
    }

    String account() {
        return account;
    }

    boolean servesLoraServerless(String base) {
        return SERVERLESS_LORA_BASES.contains(base);
    }

    /** The message scripted for the next upload to refuse, or null. */
    String nextUploadRejection() {
        return uploadRejections.poll();
    }

    @Override
    protected JobBoard<TogetherJob, ?> jobs() {
        return jobs;
    }

    @Override
    protected void clearState() {
        files.clear();
        jobs.clearState();
        endpoints.clear();
        prices.creditLimit(initialCreditLimit);
    }

    /** A fine-tuned model chat accepts: a LoRA adapter on a base Together serves serverless. */
    @Override
    protected Optional<TogetherModel> servedModel(String id) {
        return Optional.ofNullable(models.get(id)).filter(m -> m.serverless);
    }

    /**
     * What {@code model} answers: through a started dedicated endpoint of that name, its base model
     * or fine-tuned model (any, serverless or not); otherwise as {@link #answer} decides.
     */
    ChatTurn.Answer answerVia(String model, ObjectNode body) {
        Optional<String> served = endpoints.servedBy(model);
        if (served.isEmpty()) {
            return answer(model, body, () -> unknownModel(model));
        }
        String m = served.get();
        if (isBaseModel(m)) {
            return answer(m, body, () -> unknownModel(m));
        }
        TogetherModel trained = models.get(m);
        if (trained == null) {
            throw TogetherErrors.of(503, "Endpoint " + model + " cannot load its model " + m, "service_unavailable",
                    null, "model_not_loaded");
        }
        return ChatTurn.trained(trained.examples, body.path("messages"));
    }

    // ---------------------------------------------------------------- for the facade

    /** The dedicated endpoints, oldest first. */
    public synchronized List<EmulatedDedicatedEndpoint> endpointSnapshots() {
        return endpoints.snapshots();
    }

    /** Moves a dedicated endpoint one state on, as one read of it would. */
    public synchronized void advanceEndpoint(String id) {
        endpoints.advance(id);
    }

    /** The next dedicated endpoint created goes to ERROR when it would start. */
    public synchronized void failNextEndpoint(String message) {
        endpoints.failNext(message);
    }

    /** The account's credit limit in dollars ({@code user_limit} of a price estimate). */
    public synchronized BigDecimal creditLimit() {
        return prices.creditLimit();
    }

    /** Sets the account's credit limit in dollars, until the next reset. */
    public synchronized void creditLimit(BigDecimal dollars) {
        prices.creditLimit(dollars);
    }

    /** Whether the account has this fine-tuned model, served or not. */
    boolean hasModel(String id) {
        return models.containsKey(id);
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    protected void routes(Routes r) {
        r.guard("/v1", call -> {
            Key key = key(call);
            if (key == Key.MISSING) {
                throw TogetherErrors.of(401, "Unauthorized: no API key provided", "invalid_request_error", null,
                        "invalid_api_key");
            }
            if (key == Key.WRONG) {
                throw TogetherErrors.of(401, "Invalid API key provided", "invalid_request_error", null,
                        "invalid_api_key");
            }
        }).notFound(call -> TogetherErrors.notFound("Not found: " + call.method() + " " + call.path()))
                .methodNotAllowed((call, allowed) -> TogetherErrors.of(405, "Method " + call.method()
                        + " not allowed; allowed: " + allowed, "invalid_request_error", null, null));
        files.routes(r);
        prices.routes(r);
        jobs.routes(r);
        endpoints.routes(r);
        r.get("/v1/models", call -> {
            ArrayNode out = Jsons.array();
            settings.baseModels().forEach(id -> out.add(modelInfo(id, null)));
            models.values().forEach(m -> out.add(modelInfo(m.id, m)));
            return Reply.ok(out);
        }).post("/v1/chat/completions", new TogetherChat(this)::complete);
    }

    /** {@code ModelInfo}: {@code GET /models} answers a bare array of them. */
    private ObjectNode modelInfo(String id, TogetherModel ft) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("object", "model");
        n.put("created", ft == null ? BASE_MODEL_CREATED : ft.createdAt);
        n.put("type", "chat");
        n.put("display_name", id.substring(id.lastIndexOf('/') + 1));
        n.put("organization", ft == null ? id.substring(0, Math.max(0, id.indexOf('/'))) : account);
        n.put("context_length", 131_072);
        // the emulator knows no prices: zeros, never numbers that could pass for Together's
        n.putObject("pricing").put("hourly", 0).put("input", 0).put("output", 0).put("base", 0).put("finetune", 0);
        return n;
    }

    @Override
    protected Reply rateLimited(long seconds) {
        return TogetherErrors.reply(429, "You have been rate limited: too many requests. Please retry after "
                        + seconds + " seconds", "dynamic_request_limited", null, null)
                .header("Retry-After", String.valueOf(seconds))
                .header("x-ratelimit-reset", String.valueOf(seconds));
    }

    @Override
    protected Reply serverError() {
        return TogetherErrors.reply(500, "Internal server error", "server_error", null, null);
    }

    /** Together answers through Cloudflare: every answer carries a {@code cf-ray} id. */
    @Override
    protected Reply decorate(Reply reply) {
        return reply.header("cf-ray", ids.hex(16) + "-SJC");
    }

    static ObjectNode jsonBody(HttpCall call) {
        return Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> TogetherErrors.invalid("The request body must be a JSON object", null));
    }

    /** The error chat answers for a model the account cannot call serverless. */
    ApiError unknownModel(String model) {
        if (models.containsKey(model)) {
            return TogetherErrors.of(400, "Unable to access non-serverless model " + model + ". Please visit "
                    + "https://api.together.ai/models/" + model + " to create and start a new dedicated endpoint for "
                    + "the model.", "invalid_request_error", null, "model_not_available");
        }
        return TogetherErrors.of(404, "Unable to access model " + model + ". Please visit "
                + "https://api.together.ai/models to view the list of supported models.", "invalid_request_error",
                "model", "model_not_found");
    }
}
