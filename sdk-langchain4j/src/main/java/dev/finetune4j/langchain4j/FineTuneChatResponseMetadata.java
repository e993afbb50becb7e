package dev.finetune4j.langchain4j;

import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.cost.Money;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata of an answer from a finetune4j model: LangChain4j's (the provider model that
 * answered as {@link #modelName()}, token usage, finish reason) and what the router adds — which
 * assistant, model version, prompt version and arm answered, whether it was a fallback to the
 * base model and why ({@link #servedBy()}), and what the call cost by the price table.
 *
 * <pre>{@code
 * ChatResponse answer = model.chat(request);
 * ServedBy servedBy = ((FineTuneChatResponseMetadata) answer.metadata()).servedBy();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public class FineTuneChatResponseMetadata extends ChatResponseMetadata {

    private final ServedBy servedBy;
    private final Money cost;

    /** Creates the metadata; use {@link #builder()}. */
    protected FineTuneChatResponseMetadata(Builder builder) {
        super(builder);
        this.servedBy = Objects.requireNonNull(builder.servedBy, "servedBy");
        this.cost = builder.cost;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** What answered: assistant, model and prompt version, provider model, arm, fallback and its reason. */
    public ServedBy servedBy() {
        return servedBy;
    }

    /** What the call cost by the price table, when the model has a price. */
    public Optional<Money> cost() {
        return Optional.ofNullable(cost);
    }

    @Override
    public Builder toBuilder() {
        Builder b = builder();
        toBuilder(b);
        b.servedBy = servedBy;
        b.cost = cost;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof FineTuneChatResponseMetadata m && servedBy.equals(m.servedBy)
                && Objects.equals(cost, m.cost);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), servedBy, cost);
    }

    @Override
    public String toString() {
        return "FineTuneChatResponseMetadata{" + super.toString() + ", servedBy=" + servedBy + ", cost=" + cost + '}';
    }

    /** Builds {@link FineTuneChatResponseMetadata}. Not thread-safe. */
    public static class Builder extends ChatResponseMetadata.Builder<Builder> {
        private ServedBy servedBy;
        private Money cost;

        /** A builder with nothing set. */
        protected Builder() {}

        /** What answered (required). */
        public Builder servedBy(ServedBy servedBy) {
            this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
            return this;
        }

        /** What the call cost, or null when the model has no price. */
        public Builder cost(Money cost) {
            this.cost = cost;
            return this;
        }

        /**
         * The metadata.
         *
         * @throws NullPointerException without {@link #servedBy}
         */
        @Override
        public FineTuneChatResponseMetadata build() {
            return new FineTuneChatResponseMetadata(this);
        }
    }
}
