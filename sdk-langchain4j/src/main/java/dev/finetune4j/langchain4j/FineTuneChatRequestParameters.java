package dev.finetune4j.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * LangChain4j request parameters with what the finetune4j router reads beyond LangChain4j's own:
 * the canary subject, pins for testing a version before activating it, and the sampling seed.
 * Pass them as a request's parameters, or as a model's default parameters:
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .messages(UserMessage.from("Hi!"))
 *         .parameters(FineTuneChatRequestParameters.builder().subject("user-7").build())
 *         .build();
 * }</pre>
 *
 * <p>The {@link #modelName() model name} names the assistant to call (the model's default
 * parameters name the assistant it was built for); the router, not the caller, picks the
 * provider model from the assistant's live selection. Parameters merge as LangChain4j's do: a
 * value set on the request wins over the model's default, a value left unset keeps it.
 *
 * <p>Immutable and thread-safe.
 */
public class FineTuneChatRequestParameters extends DefaultChatRequestParameters {

    /**
     * The memory id LangChain4j's AI Services use when a method has no {@code @MemoryId}
     * parameter ({@code ChatMemoryService.DEFAULT}): one conversation shared by every caller, so
     * it makes no subject.
     */
    static final String DEFAULT_MEMORY_ID = "default";

    private final String subject;
    private final Integer pinModelVersion;
    private final boolean pinBaseModel;
    private final Integer pinPromptVersion;
    private final Long seed;

    /** Creates the parameters; use {@link #builder()}. */
    protected FineTuneChatRequestParameters(Builder builder) {
        super(builder);
        this.subject = builder.subject;
        this.pinModelVersion = builder.pinModelVersion;
        this.pinBaseModel = builder.pinBaseModel;
        this.pinPromptVersion = builder.pinPromptVersion;
        this.seed = builder.seed;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An AI Services request transformer that makes each call's chat memory id its canary
     * subject, so that a conversation stays on one arm of a canary:
     * {@code AiServices.builder(Chat.class).chatRequestTransformer(subjectFromMemoryId())}. A
     * subject the request already has wins; the shared default memory id (a method without
     * {@code @MemoryId}) is not a subject.
     */
    public static BiFunction<ChatRequest, Object, ChatRequest> subjectFromMemoryId() {
        return (request, memoryId) -> {
            if (memoryId == null || DEFAULT_MEMORY_ID.equals(memoryId)) {
                return request;
            }
            ChatRequestParameters current = request.parameters();
            if (current instanceof FineTuneChatRequestParameters own && own.subject() != null) {
                return request;
            }
            FineTuneChatRequestParameters withSubject = builder().overrideWith(current)
                    .subject(String.valueOf(memoryId)).build();
            return request.toBuilder().parameters(withSubject).build();
        };
    }

    /** The subject (user or conversation id) that keeps canary routing sticky, or null. */
    public String subject() {
        return subject;
    }

    /** The model version pinned for the call, or null. */
    public Integer pinModelVersion() {
        return pinModelVersion;
    }

    /** Whether the call is pinned to the assistant's base model. */
    public boolean pinBaseModel() {
        return pinBaseModel;
    }

    /** The prompt version pinned for the call, or null. */
    public Integer pinPromptVersion() {
        return pinPromptVersion;
    }

    /** The sampling seed, or null. */
    public Long seed() {
        return seed;
    }

    @Override
    public ChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public ChatRequestParameters defaultedBy(ChatRequestParameters that) {
        return builder().overrideWith(that).overrideWith(this).build();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof FineTuneChatRequestParameters p && Objects.equals(subject, p.subject)
                && Objects.equals(pinModelVersion, p.pinModelVersion) && pinBaseModel == p.pinBaseModel
                && Objects.equals(pinPromptVersion, p.pinPromptVersion) && Objects.equals(seed, p.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), subject, pinModelVersion, pinBaseModel, pinPromptVersion, seed);
    }

    @Override
    public String toString() {
        return "FineTuneChatRequestParameters{" + super.toString() + ", subject=" + (subject == null ? "null" : "set")
                + ", pinModelVersion=" + pinModelVersion + ", pinBaseModel=" + pinBaseModel + ", pinPromptVersion="
                + pinPromptVersion + ", seed=" + seed + '}';
    }

    /** Builds {@link FineTuneChatRequestParameters}. Not thread-safe. */
    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
        private String subject;
        private Integer pinModelVersion;
        private boolean pinBaseModel;
        private Integer pinPromptVersion;
        private Long seed;

        /** A builder with nothing set. */
        protected Builder() {}

        /**
         * Takes every value {@code parameters} sets, LangChain4j's and (when they are
         * finetune4j's) the router's, over those set before.
         */
        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof FineTuneChatRequestParameters own) {
                if (own.subject != null) {
                    subject = own.subject;
                }
                if (own.pinModelVersion != null) {
                    pinModelVersion(own.pinModelVersion);
                }
                if (own.pinBaseModel) {
                    pinBaseModel(true);
                }
                if (own.pinPromptVersion != null) {
                    pinPromptVersion = own.pinPromptVersion;
                }
                if (own.seed != null) {
                    seed = own.seed;
                }
            }
            return this;
        }

        /** The subject (a user or conversation id) that keeps canary routing sticky. */
        public Builder subject(String subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        /**
         * Pins a model version for the call (it need not be active), to test it.
         *
         * @throws IllegalArgumentException below 1
         */
        public Builder pinModelVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("pinModelVersion must be >= 1, was " + version);
            }
            this.pinModelVersion = version;
            this.pinBaseModel = false;
            return this;
        }

        /** Pins the call to the assistant's base model ({@code true}), or takes that pin away. */
        public Builder pinBaseModel(boolean pin) {
            this.pinBaseModel = pin;
            if (pin) {
                this.pinModelVersion = null;
            }
            return this;
        }

        /**
         * Pins a prompt version for the call.
         *
         * @throws IllegalArgumentException below 1
         */
        public Builder pinPromptVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("pinPromptVersion must be >= 1, was " + version);
            }
            this.pinPromptVersion = version;
            return this;
        }

        /** The sampling seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public FineTuneChatRequestParameters build() {
            return new FineTuneChatRequestParameters(this);
        }
    }
}
