package dev.finetune4j.spi;

import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One chat completion call to a provider: the model and the full message list, already resolved
 * by the router (system prompt and few-shot examples included).
 *
 * @param model the provider model id (a base model or a fine-tuned one)
 * @param messages the messages in order
 * @param tools tool definitions offered to the model; may be empty
 * @param temperature sampling temperature, or {@code null} for the provider's default
 * @param maxTokens the most tokens to generate, or {@code null} for the provider's default
 */
public record ChatCall(String model, List<Message> messages, List<ToolDefinition> tools, Double temperature,
        Integer maxTokens) {

    /** Checks and copies. */
    public ChatCall {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat call needs at least one message");
        }
    }

    /** The temperature, when set. */
    public OptionalDouble temperatureValue() {
        return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /** The token limit, when set. */
    public OptionalInt maxTokensValue() {
        return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }
}
