package dev.finetune4j.springai;

import dev.finetune4j.chat.ServedBy;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * A {@code ChatClient} advisor that puts the canary subject and, for tests, pins into each call
 * to a {@link FineTuneChatModel}, and exposes what answered.
 *
 * <p>It reads the advisor parameters {@value #SUBJECT} (a user or conversation id; without it,
 * the chat memory's conversation id {@code chat_memory_conversation_id} when a memory advisor's
 * parameter is set and is not the shared {@code default}, so a conversation stays on one arm of a
 * canary), {@value #PIN_MODEL_VERSION}
 * (an {@code Integer}), {@value #PIN_BASE_MODEL} ({@code true}) and {@value #PIN_PROMPT_VERSION}
 * (an {@code Integer}), and writes them into the call's {@link FineTuneChatOptions}. After the
 * call, the response context holds the {@link ServedBy} under {@value #SERVED_BY} (for a stream:
 * the context of the last response, the one with the usage).
 *
 * <pre>{@code
 * ChatClient chat = ChatClient.builder(model).defaultAdvisors(new FineTuneAdvisor()).build();
 * ChatClientResponse r = chat.prompt().user("Hi!")
 *         .advisors(a -> a.param(FineTuneAdvisor.SUBJECT, userId))
 *         .call().chatClientResponse();
 * ServedBy servedBy = (ServedBy) r.context().get(FineTuneAdvisor.SERVED_BY);
 * }</pre>
 *
 * <p>Stateless and thread-safe; one instance serves every call.
 */
public final class FineTuneAdvisor implements CallAdvisor, StreamAdvisor {

    /** The advisor parameter of the canary subject. */
    public static final String SUBJECT = "finetune4j.subject";
    /** The advisor parameter of a model version to pin (an {@code Integer}). */
    public static final String PIN_MODEL_VERSION = "finetune4j.pin_model_version";
    /** The advisor parameter that pins the base model ({@code true}). */
    public static final String PIN_BASE_MODEL = "finetune4j.pin_base_model";
    /** The advisor parameter of a prompt version to pin (an {@code Integer}). */
    public static final String PIN_PROMPT_VERSION = "finetune4j.pin_prompt_version";
    /** The response context key of the {@link ServedBy} that says what answered. */
    public static final String SERVED_BY = "finetune4j.served_by";

    private final int order;

    /** An advisor ordered just before Spring AI's chat memory advisors. */
    public FineTuneAdvisor() {
        this(DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER - 1);
    }

    /** An advisor with its own place in the chain. */
    public FineTuneAdvisor(int order) {
        this.order = order;
    }

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        return exposed(chain.nextCall(advised(request)));
    }

    @Override
    public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
        return chain.nextStream(advised(request)).map(FineTuneAdvisor::exposed);
    }

    private static ChatClientRequest advised(ChatClientRequest request) {
        Map<String, Object> context = request.context();
        Object subject = context.containsKey(SUBJECT) ? context.get(SUBJECT) : context.get(ChatMemory.CONVERSATION_ID);
        if (ChatMemory.DEFAULT_CONVERSATION_ID.equals(subject)) {
            subject = null;    // one conversation shared by every caller makes no subject
        }
        Object pinVersion = context.get(PIN_MODEL_VERSION);
        Object pinBase = context.get(PIN_BASE_MODEL);
        Object pinPrompt = context.get(PIN_PROMPT_VERSION);
        if (subject == null && pinVersion == null && pinBase == null && pinPrompt == null) {
            return request;
        }
        FineTuneChatOptions options = request.prompt().getOptions() == null ? new FineTuneChatOptions()
                : FineTuneChatOptions.from(request.prompt().getOptions());
        if (subject != null && options.getSubject() == null) {
            options.setSubject(String.valueOf(subject));
        }
        if (pinVersion != null) {
            options.setPinModelVersion(number(PIN_MODEL_VERSION, pinVersion));
        }
        if (Boolean.TRUE.equals(pinBase) || "true".equals(pinBase)) {
            options.setPinBaseModel(true);
        }
        if (pinPrompt != null) {
            options.setPinPromptVersion(number(PIN_PROMPT_VERSION, pinPrompt));
        }
        return request.mutate().prompt(request.prompt().mutate().chatOptions(options).build()).build();
    }

    private static int number(String name, Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("advisor parameter " + name + " is '" + value
                    + "'; it must be a version number such as 2", e);
        }
    }

    private static ChatClientResponse exposed(ChatClientResponse response) {
        if (response.chatResponse() == null) {
            return response;
        }
        Object servedBy = response.chatResponse().getMetadata().get(FineTuneChatModel.SERVED_BY);
        return servedBy == null ? response : response.mutate().context(SERVED_BY, servedBy).build();
    }

    @Override
    public String getName() {
        return "finetune4j";
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public String toString() {
        return "FineTuneAdvisor[order=" + (order == Ordered.HIGHEST_PRECEDENCE ? "highest" : order) + "]";
    }
}
