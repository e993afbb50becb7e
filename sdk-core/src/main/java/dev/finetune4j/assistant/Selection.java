package dev.finetune4j.assistant;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What is live for an assistant: the active model version (none means the base model), the active
 * prompt version, and an optional candidate version that receives a share of traffic.
 *
 * <p>Immutable and thread-safe. Every change is one compare-and-set write, so a selection is
 * always whole: never two active versions, never a model of one selection with the prompt of
 * another. A class with a {@link #builder()} rather than a public constructor, so that a field can be
 * added without breaking callers.
 */
public final class Selection {

    private final String assistant;
    private final String provider;
    private final String baseModel;
    private final Integer activeModel;
    private final Integer activePrompt;
    private final Integer candidate;
    private final int candidateShare;
    private final long revision;
    private final List<Fallback> fallbacks;

    private Selection(Builder b) {
        this.assistant = Objects.requireNonNull(b.assistant, "assistant");
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.baseModel = Objects.requireNonNull(b.baseModel, "baseModel");
        this.activeModel = b.activeModel;
        this.activePrompt = b.activePrompt;
        this.candidate = b.candidate;
        this.candidateShare = b.candidate == null ? 0 : b.candidateShare;
        this.revision = b.revision;
        this.fallbacks = List.copyOf(b.fallbacks);
        if (b.candidateShare < 0 || b.candidateShare > 100) {
            throw new IllegalArgumentException("candidate share must be 0 to 100 %, was " + b.candidateShare);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative, was " + revision);
        }
    }

    /**
     * A builder with nothing selected (the base model answers, no prompt, no candidate, the default
     * fallback chain, revision 0); {@code assistant}, {@code provider} and {@code baseModel} are
     * required. The library builds selections; tests and custom stores may too.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this selection, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The provider of the base model. */
    public String provider() {
        return provider;
    }

    /** The base model answering when no model version is active. */
    public String baseModel() {
        return baseModel;
    }

    /** The active model version's number; empty means the base model answers. */
    public OptionalInt activeModelVersion() {
        return activeModel == null ? OptionalInt.empty() : OptionalInt.of(activeModel);
    }

    /** The active prompt version's number; empty means no system prompt is added. */
    public OptionalInt activePromptVersion() {
        return activePrompt == null ? OptionalInt.empty() : OptionalInt.of(activePrompt);
    }

    /** The candidate model version's number, when one is set. */
    public OptionalInt candidateModelVersion() {
        return candidate == null ? OptionalInt.empty() : OptionalInt.of(candidate);
    }

    /** The candidate's share of traffic in percent (0 without a candidate). */
    public int candidateShare() {
        return candidateShare;
    }

    /**
     * The fallback chain: the model versions the router tries, in order, when the one it called is
     * gone or failing. Empty means the default chain, the base model alone.
     */
    public List<Fallback> fallbacks() {
        return fallbacks;
    }

    /** The store revision of this selection (0 before any change); the timeline's position. */
    public long revision() {
        return revision;
    }

    /** Whether two selections select the same things (the revision is ignored). */
    public boolean sameAs(Selection other) {
        return Objects.equals(activeModel, other.activeModel) && Objects.equals(activePrompt, other.activePrompt)
                && Objects.equals(candidate, other.candidate) && candidateShare == other.candidateShare
                && baseModel.equals(other.baseModel) && fallbacks.equals(other.fallbacks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && assistant.equals(s.assistant) && revision == s.revision && sameAs(s);
    }

    @Override
    public int hashCode() {
        return Objects.hash(assistant, revision, activeModel, activePrompt, candidate);
    }

    /** E.g. {@code model v3 + prompt v2, candidate v4 at 10 %, fallback v2 until 2027-01-14 -> base}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(activeModel == null ? "base model " + baseModel : "model v" + activeModel);
        sb.append(activePrompt == null ? ", no prompt" : " + prompt v" + activePrompt);
        if (candidate != null) {
            sb.append(", candidate v").append(candidate).append(" at ").append(candidateShare).append(" %");
        }
        if (!fallbacks.isEmpty()) {
            sb.append(", fallback ").append(String.join(" -> ", fallbacks.stream().map(Fallback::describe).toList()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Selection[" + assistant + "@" + revision + ": " + describe() + "]";
    }

    /** Builds a {@link Selection}. Not thread-safe; {@link #build()} checks the fields. */
    public static final class Builder {

        private String assistant;
        private String provider;
        private String baseModel;
        private Integer activeModel;
        private Integer activePrompt;
        private Integer candidate;
        private int candidateShare;
        private List<Fallback> fallbacks = List.of();
        private long revision;

        private Builder() {
        }

        private Builder(Selection s) {
            assistant = s.assistant;
            provider = s.provider;
            baseModel = s.baseModel;
            activeModel = s.activeModel;
            activePrompt = s.activePrompt;
            candidate = s.candidate;
            candidateShare = s.candidateShare;
            fallbacks = s.fallbacks;
            revision = s.revision;
        }

        /** The assistant (required). */
        public Builder assistant(String assistant) {
            this.assistant = assistant;
            return this;
        }

        /** The provider and base model answering when no model version is active (required). */
        public Builder baseModel(String provider, String baseModel) {
            this.provider = provider;
            this.baseModel = baseModel;
            return this;
        }

        /** The active model version's number; null means the base model answers (null). */
        public Builder activeModelVersion(Integer version) {
            this.activeModel = version;
            return this;
        }

        /** The active prompt version's number; null means no system prompt (null). */
        public Builder activePromptVersion(Integer version) {
            this.activePrompt = version;
            return this;
        }

        /**
         * The candidate model version and its share of traffic in percent; a null version means no
         * candidate, and the share is then 0 (null, 0).
         */
        public Builder candidate(Integer version, int sharePercent) {
            this.candidate = version;
            this.candidateShare = sharePercent;
            return this;
        }

        /** The fallback chain; empty means the default, the base model alone (empty). The list is copied. */
        public Builder fallbacks(List<Fallback> fallbacks) {
            this.fallbacks = List.copyOf(fallbacks);
            return this;
        }

        /** The store revision (0). */
        public Builder revision(long revision) {
            this.revision = revision;
            return this;
        }

        /**
         * The selection.
         *
         * @throws NullPointerException naming a required field that was not set
         * @throws IllegalArgumentException when the share is outside 0 to 100 or the revision negative
         */
        public Selection build() {
            return new Selection(this);
        }
    }
}
