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
 * another.
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

    /** Creates a selection without a fallback chain of its own; the library creates these. Nulls mean none. */
    public Selection(String assistant, String provider, String baseModel, Integer activeModel, Integer activePrompt,
            Integer candidate, int candidateShare, long revision) {
        this(assistant, provider, baseModel, activeModel, activePrompt, candidate, candidateShare, List.of(), revision);
    }

    /** Creates a selection; the library creates these. Nulls mean none; the list is copied. */
    public Selection(String assistant, String provider, String baseModel, Integer activeModel, Integer activePrompt,
            Integer candidate, int candidateShare, List<Fallback> fallbacks, long revision) {
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
        this.activeModel = activeModel;
        this.activePrompt = activePrompt;
        this.candidate = candidate;
        this.candidateShare = candidate == null ? 0 : candidateShare;
        this.revision = revision;
        this.fallbacks = List.copyOf(fallbacks);
        if (candidateShare < 0 || candidateShare > 100) {
            throw new IllegalArgumentException("candidate share must be 0 to 100 %, was " + candidateShare);
        }
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
}
