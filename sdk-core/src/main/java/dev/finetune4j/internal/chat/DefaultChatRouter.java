package dev.finetune4j.internal.chat;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ProviderException;
import dev.finetune4j.TransportException;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ChatStreamHandler;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.chat.ToolCallDelta;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.Price;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.deploy.DeploymentBook;
import dev.finetune4j.internal.WeakRegistry;
import dev.finetune4j.internal.capture.CallIds;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.tokens.TokenCounter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChatRouter}: resolves an assistant's selection from a short-lived cache, picks the
 * arm, builds the messages, calls the provider through a per-model circuit breaker (resilience4j),
 * and walks the selection's fallback chain (the base model by default) when a version is gone or
 * failing.
 *
 * <p>Lifecycle: the constructor subscribes to the context's selection bus and registers with the
 * context (so closing the {@code FineTuning} closes it); both hold the router weakly. {@link #close()}
 * undoes both and shuts the shadow pool down. The shadow pool has {@value #SHADOW_THREADS} threads
 * (started on the first shadow copy, ended after {@value #SHADOW_IDLE_SECONDS} s idle) and a queue of
 * {@value #SHADOW_QUEUE}; a copy that finds both full is dropped and counted, never waited for.
 */
public final class DefaultChatRouter implements ChatRouter {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.CHAT);
    /** Shadow calls sent at once per router. */
    static final int SHADOW_THREADS = 2;
    /** Shadow copies waiting for a thread per router; beyond this they are dropped. */
    static final int SHADOW_QUEUE = 64;
    /** How long an idle shadow thread waits for work before it ends (so an unclosed router keeps none). */
    static final int SHADOW_IDLE_SECONDS = 30;
    private static final AtomicLong ROUTERS = new AtomicLong();

    /** The context this router serves: assistants, providers, prices and the clock. */
    private final FineTuningContext ft;
    private final Options options;
    private final String name = "finetune4j-router-" + ROUTERS.incrementAndGet();
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final CircuitBreakerConfig breakerConfig;
    private final ThreadPoolExecutor shadows;
    private final AtomicLong droppedShadows = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held here because the bus holds it weakly: it lives exactly as long as this router. */
    private final Consumer<String> onSelectionChange = this::invalidate;
    private final WeakRegistry.Entry<Consumer<String>> subscription;
    private final WeakRegistry.Entry<AutoCloseable> registration;

    /**
     * One callable model: which version it is (0 = base model), where it lives, its price per
     * million tokens in and out (null when the price table has none) and its circuit breaker, looked
     * up once per resolve rather than on every call. {@code address} is where a deployment (or a
     * standing serving URL) serves it, null for the provider's usual endpoint; {@code deployed}
     * whether that is a deployment of ours (which may need waking); {@code gone} why it cannot be
     * called at all (its provider needs a deployment and none serves it), else null.
     */
    record Target(int version, String provider, String modelId, String baseModel, Money inputPerMillion,
            Money outputPerMillion, CircuitBreaker breaker, ServingAddress address, boolean deployed, String gone) {}

    /** One entry of the fallback chain: a callable model and the last day (UTC) it is tried. */
    record Link(Target target, LocalDate until) {}

    /** One whole selection, with everything a call needs; immutable. */
    record Resolved(Selection selection, Target active, Target candidate, Target base, List<Link> chain,
            PromptVersion prompt, Instant loadedAt) {}

    /**
     * A router over the context's assistants, providers and prices, subscribed to its selection bus
     * and registered for closing with it.
     *
     * @throws IllegalStateException when the context is closed
     */
    public DefaultChatRouter(FineTuningContext context, Options options) {
        this.ft = Objects.requireNonNull(context, "context");
        this.options = Objects.requireNonNull(options, "options");
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(options.failuresToOpen())
                .minimumNumberOfCalls(options.failuresToOpen())
                .failureRateThreshold(100)
                .waitDurationInOpenState(options.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .currentTimestampFunction(clock -> ft.clock().millis(), TimeUnit.MILLISECONDS)
                .build();
        this.shadows = options.shadow() ? shadowPool(name, droppedShadows) : null;
        // subscribed before registering, so that a close() racing with this constructor (the
        // context closing) finds the subscription to remove
        this.subscription = context.selectionBus().subscribe(onSelectionChange);
        WeakRegistry.Entry<AutoCloseable> entry;
        try {
            entry = context.register(this);
        } catch (IllegalStateException e) {
            subscription.remove();
            throw e;
        }
        this.registration = entry;
    }

    /**
     * A bounded pool that never makes the caller wait: the task (and with it this router) is not
     * captured by the factory or the rejection handler, so an idle pool of a router dropped without
     * close holds nothing but its threads, which end after the idle time.
     */
    private static ThreadPoolExecutor shadowPool(String routerName, AtomicLong dropped) {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(SHADOW_THREADS, SHADOW_THREADS, SHADOW_IDLE_SECONDS,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(SHADOW_QUEUE), r -> {
                    Thread t = new Thread(r, routerName + "-shadow-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> {
                    if (dropped.incrementAndGet() == 1 && !executor.isShutdown()) {
                        LOG.warn("{}: the candidate is slower than the traffic; shadow copies are being dropped "
                                + "(ChatRouter.droppedShadowCalls() counts them)", routerName);
                    }
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public long droppedShadowCalls() {
        return droppedShadows.get();
    }

    /**
     * Unsubscribes, leaves the context, interrupts the shadow calls in flight and drops (and counts)
     * the copies still queued; idempotent. Calls in flight on callers' threads finish normally.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscription.remove();
        if (registration != null) {   // null only while the constructor is still running
            registration.remove();
        }
        if (shadows != null) {
            droppedShadows.addAndGet(shadows.shutdownNow().size());
        }
        cache.clear();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("chat router " + name + " is closed; create one router, reuse it for "
                    + "every call and close it only when the application is done with it");
        }
    }

    @Override
    public String toString() {
        return "ChatRouter[" + name + ", tenant=" + ft.tenant().id() + (options.shadow() ? ", shadow" : "")
                + (closed.get() ? ", closed" : "") + "]";
    }

    @Override
    public void invalidate() {
        generations.values().forEach(AtomicLong::incrementAndGet);
        cache.clear();
    }

    /** Forgets one assistant's cached selection (called when it changes in this JVM). */
    public void invalidate(String assistant) {
        generation(assistant).incrementAndGet();
        cache.remove(assistant);
    }

    private AtomicLong generation(String assistant) {
        return generations.computeIfAbsent(assistant, k -> new AtomicLong());
    }

    // ---- resolution ---------------------------------------------------------------------------

    Resolved resolve(String assistantName) {
        ensureOpen();
        Instant now = ft.clock().instant();
        Resolved r = cache.get(assistantName);
        if (r != null && r.loadedAt().plus(options.refreshInterval()).isAfter(now)) {
            return r;
        }
        // a load that overlaps a change must not cache what it read: the change's invalidation
        // would otherwise be undone by this put, and calls after the change would see the old selection
        long generation = generation(assistantName).get();
        Assistant assistant = ft.assistant(assistantName);
        Selection s = assistant.selection();
        Target base = target(0, s.provider(), s.baseModel(), s.baseModel());
        Target active = s.activeModelVersion().isPresent()
                ? target(assistant, s.activeModelVersion().getAsInt()) : base;
        Target candidate = s.candidateModelVersion().isPresent()
                ? target(assistant, s.candidateModelVersion().getAsInt()) : null;
        PromptVersion prompt = s.activePromptVersion().isPresent()
                ? assistant.promptVersion(s.activePromptVersion().getAsInt()).orElse(null) : null;
        Resolved fresh = new Resolved(s, active, candidate, base, chain(assistant, s, base), prompt, now);
        if (generation(assistantName).get() == generation) {
            cache.put(assistantName, fresh);
            if (generation(assistantName).get() != generation) {
                cache.remove(assistantName, fresh);
            }
        }
        return fresh;
    }

    /** The selection's fallback chain (the base model alone by default); a version deleted since is left out. */
    private List<Link> chain(Assistant assistant, Selection s, Target base) {
        if (s.fallbacks().isEmpty()) {
            return List.of(new Link(base, LocalDate.MAX));
        }
        List<Link> chain = new ArrayList<>();
        for (Fallback f : s.fallbacks()) {
            if (f.modelVersion() == 0) {
                chain.add(new Link(base, f.until()));
                continue;
            }
            try {
                chain.add(new Link(target(assistant, f.modelVersion()), f.until()));
            } catch (NotFoundException gone) {
                LOG.debug("fallback v{} of {} skipped: {}", f.modelVersion(), assistant.name(), gone.getMessage());
            }
        }
        return List.copyOf(chain);
    }

    private Target target(Assistant assistant, int version) {
        ModelVersion v = assistant.modelVersion(version).orElseThrow(() -> new NotFoundException(
                "assistant '" + assistant.name() + "' has no model version " + version));
        if (v.state() == ModelState.DELETED) {
            throw new NotFoundException("model version " + version + " of '" + assistant.name() + "' was deleted");
        }
        DeploymentBook deployments = ft.deployments();
        Optional<Deployment> serving = deployments.serving(assistant.name(), version);
        if (serving.isPresent() && serving.get().address().isPresent()) {
            return target(version, v.provider(), v.providerModelId(), v.baseModel(), serving.get().address().get(),
                    true, null);
        }
        Optional<Provider> provider = ft.findProvider(v.provider());
        if (provider.isPresent() && provider.get().descriptor().trainedModelsNeedDeployment()) {
            Optional<ServingAddress> standing = DeploymentBook.standingAddress(provider.get(), v.providerModelId());
            if (standing.isPresent()) {
                return target(version, v.provider(), v.providerModelId(), v.baseModel(), standing.get(), false, null);
            }
            String gone = deployments.latest(assistant.name(), version)
                    .map(d -> "its deployment " + d.id() + " is " + d.state())
                    .orElse("it has no deployment");
            return target(version, v.provider(), v.providerModelId(), v.baseModel(), null, false,
                    "model version " + version + " of '" + assistant.name() + "' is not served: " + v.provider()
                            + " serves trained models only once deployed, and " + gone);
        }
        return target(version, v.provider(), v.providerModelId(), v.baseModel(), null, false, null);
    }

    /** A target on the provider's usual endpoint, priced as a fine-tuned model (version > 0) or as the base model. */
    private Target target(int version, String provider, String modelId, String baseModel) {
        return target(version, provider, modelId, baseModel, null, false, null);
    }

    /** A target priced as a fine-tuned model (version > 0) or as the base model. */
    private Target target(int version, String provider, String modelId, String baseModel, ServingAddress address,
            boolean deployed, String gone) {
        // the state machine takes our clock, so an open circuit's wait follows the injected time; a model
        // served at another address has a circuit of its own there
        String where = address == null ? "" : "@" + address;
        CircuitBreaker breaker = breakers.computeIfAbsent(provider + ":" + modelId + where,
                k -> new CircuitBreakerStateMachine(k, breakerConfig, ft.clock()));
        Optional<Price> price = ft.priceTable().find(provider, TokenCounter.baseModel(baseModel));
        if (price.isEmpty()) {
            return new Target(version, provider, modelId, baseModel, null, null, breaker, address, deployed, gone);
        }
        Price p = price.get();
        return version == 0
                ? new Target(version, provider, modelId, baseModel, p.baseInputPerMillion(), p.baseOutputPerMillion(),
                        breaker, address, deployed, gone)
                : new Target(version, provider, modelId, baseModel, p.inputPerMillion(), p.outputPerMillion(), breaker,
                        address, deployed, gone);
    }

    /** The arm and target of one call. */
    private record Choice(Arm arm, Target target, PromptVersion prompt) {}

    private Choice choose(ChatRequest request, Resolved r) {
        PromptVersion prompt = r.prompt();
        if (request.pinPromptVersion().isPresent()) {
            int p = request.pinPromptVersion().getAsInt();
            prompt = ft.assistant(request.assistant()).promptVersion(p).orElseThrow(() -> new NotFoundException(
                    "assistant '" + request.assistant() + "' has no prompt version " + p));
        }
        if (request.pinBaseModel()) {
            return new Choice(Arm.PINNED, r.base(), prompt);
        }
        if (request.pinModelVersion().isPresent()) {
            return new Choice(Arm.PINNED, target(ft.assistant(request.assistant()),
                    request.pinModelVersion().getAsInt()), prompt);
        }
        if (r.candidate() != null && !options.shadow()
                && inCandidateShare(request, r.selection().candidateShare())) {
            return new Choice(Arm.CANDIDATE, r.candidate(), prompt);
        }
        return new Choice(Arm.ACTIVE, r.active(), prompt);
    }

    /**
     * Sticky: a subject's bucket (0–9999) is a hash of assistant and subject, so a subject stays on
     * one arm for a given share, and raising the share only moves subjects towards the candidate.
     */
    static boolean inCandidateShare(ChatRequest request, int sharePercent) {
        int bucket;
        if (request.subject().isPresent()) {
            byte[] h = ExampleCodec.sha256((request.assistant() + "\n" + request.subject().get())
                    .getBytes(StandardCharsets.UTF_8));
            bucket = (int) ((((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL))
                    % 10_000);
        } else {
            bucket = ThreadLocalRandom.current().nextInt(10_000);
        }
        return bucket < sharePercent * 100;
    }

    static List<Message> messages(PromptVersion prompt, List<Message> conversation) {
        List<Message> out = new ArrayList<>();
        if (prompt != null) {
            out.add(Message.system(prompt.systemPrompt()));
            for (Example shot : prompt.fewShot()) {
                for (Message m : shot.messages()) {
                    if (m.role() != Role.SYSTEM) {
                        out.add(m);
                    }
                }
            }
        }
        out.addAll(conversation);
        return out;
    }

    // ---- calls --------------------------------------------------------------------------------

    /** Whether a failure says something about the model (worth a fallback), not about the request. */
    private static boolean countsAgainstModel(RuntimeException e) {
        if (e instanceof InvalidRequestException invalid) {
            // some providers answer a deleted or unknown model with 400 "Invalid model" rather than 404
            return namesTheModel(invalid);
        }
        if (e instanceof AuthenticationException) {
            return false;
        }
        return e instanceof ProviderException || e instanceof TransportException
                || e instanceof NotFoundException n && n.providerError().isPresent();
    }

    private static final java.util.regex.Pattern MODEL_GONE = java.util.regex.Pattern.compile(
            "(?i)(invalid|unknown|no such|not found|does not exist|deleted)[^.]{0,30}model"
                    + "|model[^.]{0,60}(not found|does not exist|invalid|unknown|deleted)");

    private static boolean namesTheModel(ProviderException e) {
        String code = e.errorCode().orElse("");
        return code.contains("model") || MODEL_GONE.matcher(String.valueOf(e.getMessage())).find();
    }

    private static String reason(RuntimeException e) {
        if (e instanceof NotFoundException r && GONE.equals(r.errorCode().orElse(""))) {
            return "not served (" + r.getMessage() + ")";
        }
        if (e instanceof NotFoundException) {
            return "model not found (404)";
        }
        if (e instanceof InvalidRequestException p && namesTheModel(p)) {
            return "model refused as invalid (" + p.statusCode() + ")";
        }
        if (e instanceof ProviderException p) {
            return "failed with " + p.statusCode() + p.errorCode().map(c -> " " + c).orElse("");
        }
        return "transport failure: " + e.getMessage();
    }

    /**
     * The chat service of a configured provider.
     *
     * @throws UnsupportedCapabilityException naming the provider when it does not chat
     */
    private ChatService chatAt(String providerId) {
        Provider provider = ft.provider(providerId);
        return provider.chat().orElseThrow(() -> new UnsupportedCapabilityException(provider.id(), Capability.CHAT,
                "chat"));
    }

    /** The error code of a call to a target that is not served (see {@link Target#gone()}). */
    private static final String GONE = "deployment_gone";

    /**
     * The chat service for a target; a target that is not served fails as a model that is gone
     * (404), without a call, so that it falls back and counts against its circuit like one.
     */
    private ChatService chatFor(Target t) {
        if (t.gone() != null) {
            throw new NotFoundException(t.gone(), ProviderError.builder(t.provider(), 404).errorCode(GONE).build());
        }
        return chatAt(t.provider());
    }

    /**
     * The provider call: the target's model (or the name its deployment serves it under), the
     * resolved messages, the tools and the request's options; for a deployment, its address and
     * how long it may take to wake.
     */
    private ChatCall call(Target t, ChatRequest request, PromptVersion prompt) {
        ServingAddress at = t.address();
        ChatCall.Builder b = ChatCall.builder(at == null ? t.modelId() : at.model().orElse(t.modelId()))
                .messages(messages(prompt, request.messages())).tools(request.tools()).options(request.options());
        if (at != null) {
            at.baseUrl().ifPresent(b::servingUrl);
        }
        if (t.deployed() && !options.wakeUpWait().isZero()) {
            b.wakeUpTimeout(options.wakeUpWait());
        }
        return b.build();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        long began = System.nanoTime();
        Resolved r = resolve(request.assistant());
        Choice choice = choose(request, r);
        ChatResponse response = attempt(request, r, choice, (target, call) -> {
            ChatResult result = chatFor(target).chat(call);
            return new Outcome(result.content(), result.toolCalls(), result.finishReason(), result.usage());
        });
        if (shadows != null && r.candidate() != null && choice.arm() == Arm.ACTIVE) {
            shadow(request, r, choice, response);
        }
        completed(request, response, began);
        return response;
    }

    @Override
    public ChatResponse chatStream(ChatRequest request, ChatStreamHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        long began = System.nanoTime();
        Resolved r = resolve(request.assistant());
        Choice choice = choose(request, r);
        ChatResponse response = attempt(request, r, choice, (target, call) -> {
            Relay relay = new Relay(handler);
            try {
                chatFor(target).chatStream(call, relay);
            } catch (RuntimeException e) {
                if (relay.started) {
                    throw new StreamBroken(e);
                }
                throw e;
            }
            if (relay.result == null) {
                throw new IllegalStateException(target.provider() + " ended the stream for " + call.model()
                        + " without onComplete");
            }
            ChatResult done = relay.result;
            return new Outcome(done.content(), done.toolCalls(), done.finishReason(), done.usage());
        });
        completed(request, response, began);
        return response;
    }

    /**
     * The capture hook: hands an answered call's facts to the capture sink, which returns at once
     * (it queues or drops, never blocks or throws; nothing at all when capture is off for the assistant).
     */
    private void completed(ChatRequest request, ChatResponse response, long beganNanos) {
        ft.captureHub().completed(ft.tenant(), request, response, System.nanoTime() - beganNanos);
    }

    /** Passes a stream's pieces to the caller's handler, noting whether any arrived, and keeps the whole answer. */
    private static final class Relay implements ChatStreamListener {
        private final ChatStreamHandler handler;
        boolean started;
        ChatResult result;

        Relay(ChatStreamHandler handler) {
            this.handler = handler;
        }

        @Override
        public void onText(String text) {
            started = true;
            handler.onText(text);
        }

        @Override
        public void onToolCallDelta(ToolCallDelta delta) {
            started = true;
            handler.onToolCallDelta(delta);
        }

        @Override
        public void onComplete(ChatResult result) {
            this.result = result;
        }
    }

    /** A stream failed after text reached the caller: no fallback is possible any more. */
    private static final class StreamBroken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamBroken(RuntimeException cause) {
            super(cause);
        }
    }

    private record Outcome(String content, List<dev.finetune4j.dataset.ToolCall> toolCalls, String finishReason,
            Usage usage) {}

    @FunctionalInterface
    private interface Caller {
        Outcome call(Target target, ChatCall call);
    }

    private ChatResponse attempt(ChatRequest request, Resolved r, Choice choice, Caller caller) {
        Target target = choice.target();
        List<Target> usable = options.fallback() && target.version() != 0 ? usableFallbacks(r, target) : List.of();
        boolean canFallBack = !usable.isEmpty();
        CircuitBreaker breaker = target.breaker();
        if (canFallBack && !breaker.tryAcquirePermission()) {
            return fallback(request, choice, caller, usable, "circuit open for " + target.modelId());
        }
        // the only target is always tried, even with its circuit open: refusing would turn a
        // recovered model into a permanent outage
        long start = System.nanoTime();
        try {
            Outcome o = caller.call(target, call(target, request, choice.prompt()));
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return respond(request, target, choice, false, "", o);
        } catch (StreamBroken e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e.getCause());
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            if (!countsAgainstModel(e)) {
                breaker.releasePermission();
                throw e;
            }
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            if (!canFallBack) {
                throw e;
            }
            return fallback(request, choice, caller, usable, target.modelId() + " " + reason(e));
        }
    }

    /**
     * Walks the usable fallback entries in order (see {@link #usableFallbacks}): one whose circuit is
     * open is skipped unless it is the last; a model that is gone or failing moves on to the next
     * entry. Only when every entry failed does the caller see an error: the last one.
     */
    private ChatResponse fallback(ChatRequest request, Choice choice, Caller caller, List<Target> usable, String why) {
        String reasons = why;
        for (int i = 0; i < usable.size(); i++) {
            Target next = usable.get(i);
            CircuitBreaker breaker = next.breaker();
            boolean lastEntry = i == usable.size() - 1;
            if (!breaker.tryAcquirePermission() && !lastEntry) {
                reasons += "; circuit open for " + next.modelId();
                continue;
            }
            LOG.warn("{}: {}; answering with {} ({})", request.assistant(), reasons,
                    next.version() == 0 ? "the base model" : "v" + next.version(), next.modelId());
            long start = System.nanoTime();
            try {
                Outcome o = caller.call(next, call(next, request, choice.prompt()));
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return respond(request, next, choice, true, reasons, o);
            } catch (StreamBroken e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e.getCause());
                throw (RuntimeException) e.getCause();
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                if (!countsAgainstModel(e) || lastEntry) {
                    throw e;
                }
                reasons += "; " + next.modelId() + " " + reason(e);
            }
        }
        throw new IllegalStateException("unreachable: the last fallback entry either answers or throws");
    }

    /** The chain's entries usable today, in order, without the model that failed and without repeats. */
    private List<Target> usableFallbacks(Resolved r, Target failed) {
        LocalDate today = LocalDate.ofInstant(ft.clock().instant(), ZoneOffset.UTC);
        List<Target> usable = new ArrayList<>();
        for (Link link : r.chain()) {
            Target t = link.target();
            boolean same = t.provider().equals(failed.provider()) && t.modelId().equals(failed.modelId());
            if (!same && !today.isAfter(link.until()) && !usable.contains(t)) {
                usable.add(t);
            }
        }
        return usable;
    }

    private ChatResponse respond(ChatRequest request, Target t, Choice choice, boolean fallback, String why,
            Outcome o) {
        ServedBy servedBy = new ServedBy(request.assistant(), t.version(),
                choice.prompt() == null ? 0 : choice.prompt().number(), t.provider(), t.modelId(), choice.arm(),
                fallback, why);
        ChatResponse response = new ChatResponse(CallIds.next(ft.clock()), o.content(), o.toolCalls(), o.finishReason(),
                servedBy, o.usage(), cost(t, o.usage()).orElse(null));
        ft.lifecycle().served(request.assistant(), t.version(), t.provider(), t.modelId(), t.baseModel());
        try {
            options.usageListener().onUsage(servedBy, o.usage(), response);
        } catch (RuntimeException e) {
            LOG.warn("a usage listener threw; ignored", e);
        }
        return response;
    }

    /** Input and output tokens at the target's prices (exact: a million is a shift of the decimal point). */
    private static Optional<Money> cost(Target t, Usage usage) {
        if (t.inputPerMillion() == null) {
            return Optional.empty();
        }
        BigDecimal in = t.inputPerMillion().amount().multiply(BigDecimal.valueOf(usage.inputTokens()));
        BigDecimal out = t.outputPerMillion().amount().multiply(BigDecimal.valueOf(usage.outputTokens()));
        return Optional.of(new Money(in.add(out).movePointLeft(6), t.inputPerMillion().currency()));
    }

    private void shadow(ChatRequest request, Resolved r, Choice choice, ChatResponse primary) {
        Target candidate = r.candidate();
        // a full pool or a closed router drops the copy (counted by the rejection handler): the
        // caller's call never waits for, nor fails because of, its shadow
        shadows.execute(() -> {
            try {
                ChatResult result = chatFor(candidate).chat(call(candidate, request, choice.prompt()));
                ServedBy servedBy = new ServedBy(request.assistant(), candidate.version(),
                        choice.prompt() == null ? 0 : choice.prompt().number(), candidate.provider(),
                        candidate.modelId(), Arm.CANDIDATE, false, "");
                ChatResponse shadow = new ChatResponse(result.content(), result.toolCalls(), result.finishReason(),
                        servedBy, result.usage(), cost(candidate, result.usage()).orElse(null));
                options.shadowListener().onShadow(request, primary, shadow, null);
            } catch (FineTuneException e) {
                options.shadowListener().onShadow(request, primary, null, e);
            } catch (RuntimeException e) {
                LOG.warn("shadow call failed", e);
                options.shadowListener().onShadow(request, primary, null, e);
            }
        });
    }
}
