package dev.finetune4j.springai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI chat options with what the finetune4j router reads beyond Spring AI's portable ones:
 * the canary subject, pins for testing a version before activating it, the sampling seed, and
 * the output schema of native structured output. {@link #getModel() The model} names the
 * assistant to call; the router, not the caller, picks the provider model from the assistant's
 * live selection. Tool callbacks, tool names, tool context and internal tool execution work as in
 * every Spring AI model.
 *
 * <p>Mutable, as Spring AI's options are (a {@code ChatClient} copies its defaults for each call
 * and sets tools on the copy); not thread-safe.
 */
public class FineTuneChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {

    private String model;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxTokens;
    private Double frequencyPenalty;
    private Double presencePenalty;
    private List<String> stopSequences;
    private Long seed;
    private String outputSchema;
    private String subject;
    private Integer pinModelVersion;
    private boolean pinBaseModel;
    private Integer pinPromptVersion;
    private List<ToolCallback> toolCallbacks = new ArrayList<>();
    private Set<String> toolNames = new HashSet<>();
    private Boolean internalToolExecutionEnabled;
    private Map<String, Object> toolContext = new HashMap<>();

    /** Options with nothing set. */
    public FineTuneChatOptions() {}

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * These options as finetune4j's: a copy of {@code options} when they are, else their portable
     * values (and tool settings, output schema, when they have them).
     */
    public static FineTuneChatOptions from(ChatOptions options) {
        if (options instanceof FineTuneChatOptions own) {
            return own.duplicate();
        }
        FineTuneChatOptions o = new FineTuneChatOptions();
        o.mergeFrom(options, true);
        return o;
    }

    /**
     * {@code runtime}'s values over {@code defaults}': a value set at run time wins, tool callbacks
     * and tool names are taken whole from the side that has any, tool contexts are joined.
     */
    public static FineTuneChatOptions merge(ChatOptions runtime, FineTuneChatOptions defaults) {
        FineTuneChatOptions o = defaults.duplicate();
        if (runtime != null) {
            o.mergeFrom(runtime, false);
        }
        return o;
    }

    private void mergeFrom(ChatOptions from, boolean whole) {
        model = pick(from.getModel(), model);
        temperature = pick(from.getTemperature(), temperature);
        topP = pick(from.getTopP(), topP);
        topK = pick(from.getTopK(), topK);
        maxTokens = pick(from.getMaxTokens(), maxTokens);
        frequencyPenalty = pick(from.getFrequencyPenalty(), frequencyPenalty);
        presencePenalty = pick(from.getPresencePenalty(), presencePenalty);
        if (from.getStopSequences() != null && !from.getStopSequences().isEmpty()) {
            stopSequences = List.copyOf(from.getStopSequences());
        }
        if (from instanceof ToolCallingChatOptions tools) {
            toolCallbacks = ToolCallingChatOptions.mergeToolCallbacks(tools.getToolCallbacks(), toolCallbacks);
            toolNames = ToolCallingChatOptions.mergeToolNames(tools.getToolNames(), toolNames);
            toolContext = ToolCallingChatOptions.mergeToolContext(tools.getToolContext(), toolContext);
            internalToolExecutionEnabled = pick(tools.getInternalToolExecutionEnabled(), internalToolExecutionEnabled);
        }
        if (from instanceof StructuredOutputChatOptions structured) {
            outputSchema = pick(structured.getOutputSchema(), outputSchema);
        }
        if (from instanceof FineTuneChatOptions own) {
            seed = pick(own.seed, seed);
            subject = pick(own.subject, subject);
            pinPromptVersion = pick(own.pinPromptVersion, pinPromptVersion);
            if (own.pinModelVersion != null || own.pinBaseModel || whole) {
                pinModelVersion = own.pinModelVersion;
                pinBaseModel = own.pinBaseModel;
            }
        }
    }

    private static <T> T pick(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    /** A copy of these options, as {@code FineTuneChatOptions}; lists and maps are copied too. */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends ChatOptions> T copy() {
        return (T) duplicate();
    }

    private FineTuneChatOptions duplicate() {
        FineTuneChatOptions o = new FineTuneChatOptions();
        o.model = model;
        o.temperature = temperature;
        o.topP = topP;
        o.topK = topK;
        o.maxTokens = maxTokens;
        o.frequencyPenalty = frequencyPenalty;
        o.presencePenalty = presencePenalty;
        o.stopSequences = stopSequences;
        o.seed = seed;
        o.outputSchema = outputSchema;
        o.subject = subject;
        o.pinModelVersion = pinModelVersion;
        o.pinBaseModel = pinBaseModel;
        o.pinPromptVersion = pinPromptVersion;
        o.toolCallbacks = new ArrayList<>(toolCallbacks);
        o.toolNames = new HashSet<>(toolNames);
        o.internalToolExecutionEnabled = internalToolExecutionEnabled;
        o.toolContext = new HashMap<>(toolContext);
        return o;
    }

    /** The assistant to call. */
    @Override
    public String getModel() {
        return model;
    }

    /** Names the assistant to call. */
    public void setModel(String model) {
        this.model = model;
    }

    @Override
    public Double getTemperature() {
        return temperature;
    }

    /** The sampling temperature, 0 to 2. */
    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    @Override
    public Double getTopP() {
        return topP;
    }

    /** Nucleus sampling, 0 to 1. */
    public void setTopP(Double topP) {
        this.topP = topP;
    }

    /** Top-k; OpenAI-style chat APIs have none, so it is ignored (with a warning), as Spring AI's OpenAI model does. */
    @Override
    public Integer getTopK() {
        return topK;
    }

    /** Top-k; ignored with a warning: OpenAI-style chat APIs have none. */
    public void setTopK(Integer topK) {
        this.topK = topK;
    }

    @Override
    public Integer getMaxTokens() {
        return maxTokens;
    }

    /** The most tokens to generate. */
    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    @Override
    public Double getFrequencyPenalty() {
        return frequencyPenalty;
    }

    /** Sent as {@code frequency_penalty}. */
    public void setFrequencyPenalty(Double frequencyPenalty) {
        this.frequencyPenalty = frequencyPenalty;
    }

    @Override
    public Double getPresencePenalty() {
        return presencePenalty;
    }

    /** Sent as {@code presence_penalty}. */
    public void setPresencePenalty(Double presencePenalty) {
        this.presencePenalty = presencePenalty;
    }

    @Override
    public List<String> getStopSequences() {
        return stopSequences;
    }

    /** Sequences at which generation stops. */
    public void setStopSequences(List<String> stopSequences) {
        this.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
    }

    /** The sampling seed, or null. */
    public Long getSeed() {
        return seed;
    }

    /** The sampling seed. */
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    /** The JSON schema the answer must follow (native structured output), or null. */
    @Override
    public String getOutputSchema() {
        return outputSchema;
    }

    /** The JSON schema the answer must follow, sent as a strict {@code json_schema} response format. */
    @Override
    public void setOutputSchema(String outputSchema) {
        this.outputSchema = outputSchema;
    }

    /** The subject (user or conversation id) that keeps canary routing sticky, or null. */
    public String getSubject() {
        return subject;
    }

    /** The subject (user or conversation id) that keeps canary routing sticky. */
    public void setSubject(String subject) {
        this.subject = subject;
    }

    /** The model version pinned for the call, or null. */
    public Integer getPinModelVersion() {
        return pinModelVersion;
    }

    /** Pins a model version for the call (it need not be active), to test it; null for none. */
    public void setPinModelVersion(Integer version) {
        this.pinModelVersion = version;
        if (version != null) {
            this.pinBaseModel = false;
        }
    }

    /** Whether the call is pinned to the assistant's base model. */
    public boolean isPinBaseModel() {
        return pinBaseModel;
    }

    /** Pins the call to the assistant's base model, or takes that pin away. */
    public void setPinBaseModel(boolean pin) {
        this.pinBaseModel = pin;
        if (pin) {
            this.pinModelVersion = null;
        }
    }

    /** The prompt version pinned for the call, or null. */
    public Integer getPinPromptVersion() {
        return pinPromptVersion;
    }

    /** Pins a prompt version for the call; null for none. */
    public void setPinPromptVersion(Integer version) {
        this.pinPromptVersion = version;
    }

    @Override
    public List<ToolCallback> getToolCallbacks() {
        return toolCallbacks;
    }

    @Override
    public void setToolCallbacks(List<ToolCallback> toolCallbacks) {
        this.toolCallbacks = new ArrayList<>(Objects.requireNonNull(toolCallbacks, "toolCallbacks"));
    }

    @Override
    public Set<String> getToolNames() {
        return toolNames;
    }

    @Override
    public void setToolNames(Set<String> toolNames) {
        this.toolNames = new HashSet<>(Objects.requireNonNull(toolNames, "toolNames"));
    }

    @Override
    public Boolean getInternalToolExecutionEnabled() {
        return internalToolExecutionEnabled;
    }

    @Override
    public void setInternalToolExecutionEnabled(Boolean enabled) {
        this.internalToolExecutionEnabled = enabled;
    }

    @Override
    public Map<String, Object> getToolContext() {
        return toolContext;
    }

    @Override
    public void setToolContext(Map<String, Object> toolContext) {
        this.toolContext = new HashMap<>(Objects.requireNonNull(toolContext, "toolContext"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FineTuneChatOptions x && Objects.equals(model, x.model)
                && Objects.equals(temperature, x.temperature) && Objects.equals(topP, x.topP)
                && Objects.equals(topK, x.topK) && Objects.equals(maxTokens, x.maxTokens)
                && Objects.equals(frequencyPenalty, x.frequencyPenalty)
                && Objects.equals(presencePenalty, x.presencePenalty) && Objects.equals(stopSequences, x.stopSequences)
                && Objects.equals(seed, x.seed) && Objects.equals(outputSchema, x.outputSchema)
                && Objects.equals(subject, x.subject) && Objects.equals(pinModelVersion, x.pinModelVersion)
                && pinBaseModel == x.pinBaseModel && Objects.equals(pinPromptVersion, x.pinPromptVersion)
                && toolCallbacks.equals(x.toolCallbacks) && toolNames.equals(x.toolNames)
                && Objects.equals(internalToolExecutionEnabled, x.internalToolExecutionEnabled)
                && toolContext.equals(x.toolContext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, temperature, topP, maxTokens, stopSequences, seed, subject, pinModelVersion,
                pinBaseModel, pinPromptVersion, toolNames);
    }

    /** The values set, without the subject's value and the tool context's values. */
    @Override
    public String toString() {
        return "FineTuneChatOptions[model=" + model + ", temperature=" + temperature + ", topP=" + topP
                + ", maxTokens=" + maxTokens + ", seed=" + seed + ", subject=" + (subject == null ? "none" : "set")
                + ", pinModelVersion=" + pinModelVersion + ", pinBaseModel=" + pinBaseModel + ", pinPromptVersion="
                + pinPromptVersion + ", tools=" + toolNames + " + " + toolCallbacks.size() + " callbacks]";
    }

    /** Builds {@link FineTuneChatOptions}. Not thread-safe. */
    public static final class Builder implements ToolCallingChatOptions.Builder {
        private final FineTuneChatOptions o = new FineTuneChatOptions();

        private Builder() {}

        /** Names the assistant to call. */
        @Override
        public Builder model(String model) {
            o.setModel(model);
            return this;
        }

        @Override
        public Builder temperature(Double temperature) {
            o.setTemperature(temperature);
            return this;
        }

        @Override
        public Builder topP(Double topP) {
            o.setTopP(topP);
            return this;
        }

        @Override
        public Builder topK(Integer topK) {
            o.setTopK(topK);
            return this;
        }

        @Override
        public Builder maxTokens(Integer maxTokens) {
            o.setMaxTokens(maxTokens);
            return this;
        }

        @Override
        public Builder frequencyPenalty(Double frequencyPenalty) {
            o.setFrequencyPenalty(frequencyPenalty);
            return this;
        }

        @Override
        public Builder presencePenalty(Double presencePenalty) {
            o.setPresencePenalty(presencePenalty);
            return this;
        }

        @Override
        public Builder stopSequences(List<String> stopSequences) {
            o.setStopSequences(stopSequences);
            return this;
        }

        /** The sampling seed. */
        public Builder seed(long seed) {
            o.setSeed(seed);
            return this;
        }

        /** The JSON schema the answer must follow. */
        public Builder outputSchema(String schema) {
            o.setOutputSchema(schema);
            return this;
        }

        /** The subject that keeps canary routing sticky. */
        public Builder subject(String subject) {
            o.setSubject(Objects.requireNonNull(subject, "subject"));
            return this;
        }

        /** Pins a model version for the call. */
        public Builder pinModelVersion(int version) {
            o.setPinModelVersion(version);
            return this;
        }

        /** Pins the call to the base model. */
        public Builder pinBaseModel() {
            o.setPinBaseModel(true);
            return this;
        }

        /** Pins a prompt version for the call. */
        public Builder pinPromptVersion(int version) {
            o.setPinPromptVersion(version);
            return this;
        }

        @Override
        public Builder toolCallbacks(List<ToolCallback> toolCallbacks) {
            o.setToolCallbacks(toolCallbacks);
            return this;
        }

        @Override
        public Builder toolCallbacks(ToolCallback... toolCallbacks) {
            return toolCallbacks(List.of(toolCallbacks));
        }

        @Override
        public Builder toolNames(Set<String> toolNames) {
            o.setToolNames(toolNames);
            return this;
        }

        @Override
        public Builder toolNames(String... toolNames) {
            return toolNames(Set.of(toolNames));
        }

        @Override
        public Builder internalToolExecutionEnabled(Boolean enabled) {
            o.setInternalToolExecutionEnabled(enabled);
            return this;
        }

        @Override
        public Builder toolContext(Map<String, Object> context) {
            o.toolContext.putAll(context);
            return this;
        }

        @Override
        public Builder toolContext(String key, Object value) {
            o.toolContext.put(key, value);
            return this;
        }

        @Override
        public FineTuneChatOptions build() {
            return o.duplicate();
        }
    }
}
