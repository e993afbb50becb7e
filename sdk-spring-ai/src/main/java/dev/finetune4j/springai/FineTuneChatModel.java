package dev.finetune4j.springai;

import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ChatStreamHandler;
import dev.finetune4j.springai.internal.PromptMapper;
import dev.finetune4j.springai.internal.ResponseMapper;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.support.UsageCalculator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * An assistant's {@link ChatRouter} as Spring AI's {@link ChatModel}, for {@code call} and {@code
 * stream}, and so for {@code ChatClient} with its advisors, memory, tools, structured output and
 * RAG: the active model version (or the canary candidate, a pinned version, the base model on
 * fallback) answers with the active prompt version.
 *
 * <pre>{@code
 * ChatModel model = FineTuneChatModel.builder().router(router).assistant("avatar-42").build();
 * ChatClient chat = ChatClient.builder(model).defaultAdvisors(new FineTuneAdvisor()).build();
 * String answer = chat.prompt().user("Hi!").advisors(a -> a.param(FineTuneAdvisor.SUBJECT, userId))
 *         .call().content();
 * }</pre>
 *
 * <p>Prompts map as follows: system, user (text), assistant (text and tool calls) and tool
 * response messages; the tool definitions Spring AI resolves from the options' callbacks and
 * names; temperature, top-p, max tokens, stop sequences, frequency and presence penalties (top-k
 * is ignored with a warning, as Spring AI's OpenAI model does); the output schema of native
 * structured output as a strict JSON-schema response format; and from {@link
 * FineTuneChatOptions} the subject, pins and seed. The options' model names the assistant.
 * Answers carry one generation with the text, tool calls and finish reason; the metadata's model
 * is the provider model that answered, its usage the tokens (summed over a tool loop), and its
 * {@value #SERVED_BY} entry the {@link dev.finetune4j.chat.ServedBy} (version, prompt, arm,
 * fallback), its {@value #COST} entry the {@link dev.finetune4j.cost.Money} the call cost when the
 * model has a price. Tools are executed by the model, as in Spring AI's own models, unless the
 * options turn internal tool execution off. Each call is observed as Spring AI's chat model
 * operation on the given {@link ObservationRegistry}.
 *
 * <p>A stream sends each text piece as it arrives, then one last response with the assembled
 * tool calls, finish reason, usage and metadata. It reads the router's stream on Reactor's
 * bounded-elastic scheduler; cancelling the subscription stops the pieces (the provider's stream
 * is read to its end). Errors are the router's: {@link dev.finetune4j.FineTuneException}s whose
 * {@code isRetryable()} says whether trying again may help (Spring AI's model API has no
 * exception types of its own).
 *
 * <p>Thread-safe; it does not own the router.
 */
public final class FineTuneChatModel implements ChatModel {

    /** The response metadata key of the {@link dev.finetune4j.chat.ServedBy} that says what answered. */
    public static final String SERVED_BY = "served_by";
    /** The response metadata key of the call's {@link dev.finetune4j.cost.Money} cost, when the model has a price. */
    public static final String COST = "cost";

    private static final String PROVIDER = "finetune4j";
    private static final ChatModelObservationConvention DEFAULT_CONVENTION =
            new DefaultChatModelObservationConvention();

    private final ChatRouter router;
    private final FineTuneChatOptions defaults;
    private final ToolCallingManager tools;
    private final ToolExecutionEligibilityPredicate toolExecution;
    private final ObservationRegistry observations;

    private FineTuneChatModel(Builder b) {
        this.router = b.router;
        this.defaults = b.defaults;
        this.tools = b.tools;
        this.toolExecution = b.toolExecution;
        this.observations = b.observations;
    }

    /** A builder; {@link Builder#router} and {@link Builder#assistant} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        return call(requestPrompt(prompt), null);
    }

    private ChatResponse call(Prompt prompt, ChatResponse previous) {
        FineTuneChatOptions options = (FineTuneChatOptions) prompt.getOptions();
        ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt).provider(PROVIDER)
                .build();
        ChatResponse response = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
                .observation(null, DEFAULT_CONVENTION, () -> context, observations)
                .observe(() -> {
                    dev.finetune4j.chat.ChatResponse answer = router.chat(request(prompt, options));
                    ChatResponse r = ResponseMapper.answer(answer, answer.content(),
                            UsageCalculator.getCumulativeUsage(ResponseMapper.usage(answer), previous));
                    context.setResponse(r);
                    return r;
                });
        if (!toolExecution.isToolExecutionRequired(options, response)) {
            return response;
        }
        ToolExecutionResult result = tools.executeToolCalls(prompt, response);
        if (result.returnDirect()) {
            return ChatResponse.builder().from(response).generations(ToolExecutionResult.buildGenerations(result))
                    .build();
        }
        return call(new Prompt(result.conversationHistory(), options), response);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return stream(requestPrompt(prompt), null);
    }

    private Flux<ChatResponse> stream(Prompt prompt, ChatResponse previous) {
        FineTuneChatOptions options = (FineTuneChatOptions) prompt.getOptions();
        Flux<ChatResponse> pieces = Flux.<ChatResponse>create(sink -> streamInto(sink, prompt, options, previous))
                .subscribeOn(Schedulers.boundedElastic());
        return pieces.concatMap(response -> {
            if (!toolExecution.isToolExecutionRequired(options, response)) {
                return Flux.just(response);
            }
            return Flux.defer(() -> {
                ToolExecutionResult result = tools.executeToolCalls(prompt, response);
                if (result.returnDirect()) {
                    return Flux.just(ChatResponse.builder().from(response)
                            .generations(ToolExecutionResult.buildGenerations(result)).build());
                }
                return stream(new Prompt(result.conversationHistory(), options), response);
            }).subscribeOn(Schedulers.boundedElastic());
        });
    }

    private void streamInto(FluxSink<ChatResponse> sink, Prompt prompt, FineTuneChatOptions options,
            ChatResponse previous) {
        ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt).provider(PROVIDER)
                .build();
        Observation observation = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
                .observation(null, DEFAULT_CONVENTION, () -> context, observations).start();
        try {
            dev.finetune4j.chat.ChatResponse answer = router.chatStream(request(prompt, options),
                    new ChatStreamHandler() {
                        @Override
                        public void onText(String text) {
                            if (!sink.isCancelled()) {
                                sink.next(ResponseMapper.piece(text));
                            }
                        }
                    });
            Usage usage = UsageCalculator.getCumulativeUsage(ResponseMapper.usage(answer), previous);
            context.setResponse(ResponseMapper.answer(answer, answer.content(), usage));
            sink.next(ResponseMapper.answer(answer, "", usage));
            sink.complete();
        } catch (RuntimeException e) {
            observation.error(e);
            sink.error(e);
        } finally {
            observation.stop();
        }
    }

    private ChatRequest request(Prompt prompt, FineTuneChatOptions options) {
        return PromptMapper.toRouter(prompt, options, tools.resolveToolDefinitions(options));
    }

    /** The prompt with the call's options merged over the model's defaults. */
    private Prompt requestPrompt(Prompt prompt) {
        return new Prompt(prompt.getInstructions(), FineTuneChatOptions.merge(prompt.getOptions(), defaults));
    }

    /** A copy of the model's default options; their model is the assistant. */
    @Override
    public ChatOptions getDefaultOptions() {
        return defaults.copy();
    }

    @Override
    public String toString() {
        return "FineTuneChatModel[" + defaults.getModel() + "]";
    }

    /** Builds a {@link FineTuneChatModel}. Not thread-safe. */
    public static final class Builder {
        private ChatRouter router;
        private String assistant;
        private FineTuneChatOptions defaults = new FineTuneChatOptions();
        private ToolCallingManager tools;
        private ToolExecutionEligibilityPredicate toolExecution = new DefaultToolExecutionEligibilityPredicate();
        private ObservationRegistry observations = ObservationRegistry.NOOP;

        private Builder() {}

        /**
         * The router that sends the calls (required). The model does not own it: create one router
         * when the application starts, share it, and close it when the application stops.
         */
        public Builder router(ChatRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /** The assistant called unless a call's options name another as their model (required). */
        public Builder assistant(String assistant) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
            return this;
        }

        /** Options every call starts from (a call's own values win); their model is replaced by the assistant. */
        public Builder defaultOptions(FineTuneChatOptions options) {
            this.defaults = Objects.requireNonNull(options, "options").copy();
            return this;
        }

        /** Resolves and executes tools; default Spring AI's {@code ToolCallingManager.builder().build()}. */
        public Builder toolCallingManager(ToolCallingManager manager) {
            this.tools = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /** Decides when the model executes tools itself; default Spring AI's. */
        public Builder toolExecutionEligibilityPredicate(ToolExecutionEligibilityPredicate predicate) {
            this.toolExecution = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** Where calls are observed; default none. */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The model.
         *
         * @throws IllegalStateException without a router or an assistant
         */
        public FineTuneChatModel build() {
            if (router == null) {
                throw new IllegalStateException("a router is required: builder().router(ft.chatRouter(options))");
            }
            if (assistant == null) {
                throw new IllegalStateException("an assistant is required: builder().assistant(\"avatar-42\")");
            }
            defaults.setModel(assistant);
            if (tools == null) {
                tools = ToolCallingManager.builder().observationRegistry(observations).build();
            }
            return new FineTuneChatModel(this);
        }
    }
}
