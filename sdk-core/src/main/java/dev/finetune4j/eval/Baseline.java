package dev.finetune4j.eval;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A frozen record of what one model version answered on an evaluation set, kept in the store so
 * that it can be compared with after that model is gone ("v3 as answered on 2026-12-05"). Use it
 * as an evaluation target with {@link EvalTarget#baseline(Baseline)}, on its own evaluation set
 * ({@link #examples()}). Immutable.
 *
 * @param id the baseline's id, e.g. {@code bl-v3-20261205-1a2b3c}
 * @param assistant the assistant
 * @param modelVersion the model version that answered (0 = the base model)
 * @param provider the provider that answered
 * @param providerModelId the provider's model id that answered
 * @param promptVersion the prompt version in force while recording (0 = none)
 * @param evaluationSet what was asked, e.g. {@code parser/main@3 validation} or {@code 40 given prompts}
 * @param parameters the call parameters used, e.g. {@code temperature -> 0}
 * @param startedAt when recording started
 * @param finishedAt when the last answer was stored
 * @param items every conversation asked, with the expected answer and the answer given, in order
 */
public record Baseline(String id, String assistant, int modelVersion, String provider, String providerModelId,
        int promptVersion, String evaluationSet, Map<String, String> parameters, Instant startedAt,
        Instant finishedAt, List<Item> items) {

    /** Checks the parts and copies the collections. */
    public Baseline {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerModelId, "providerModelId");
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        parameters = java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
        items = List.copyOf(items);
    }

    /**
     * One recorded answer.
     *
     * @param conversation the messages sent (without the active prompt's system message)
     * @param expected the expected answer from the evaluation set; empty for a prompt without one
     * @param answer what the model answered ({@code ""} when the call failed)
     * @param failed whether the call failed
     */
    public record Item(List<Message> conversation, String expected, String answer, boolean failed) {

        /** Checks the parts and copies the conversation. */
        public Item {
            conversation = List.copyOf(conversation);
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(answer, "answer");
        }

        /** Whether the evaluation set gave an expected answer for this conversation. */
        public boolean hasExpected() {
            return !expected.isEmpty();
        }
    }

    /** How many calls failed while recording (their answers are empty). */
    public long failedCalls() {
        return items.stream().filter(Item::failed).count();
    }

    /**
     * The evaluation set as examples: each conversation followed by its expected answer, or by the
     * recorded answer where the set gave none (a prompts file of real traffic), so evaluating a
     * candidate on it measures agreement with this baseline.
     */
    public List<Example> examples() {
        List<Example> out = new ArrayList<>(items.size());
        for (Item item : items) {
            List<Message> messages = new ArrayList<>(item.conversation());
            messages.add(Message.assistant(item.hasExpected() ? item.expected() : item.answer()));
            out.add(Example.builder().messages(messages).build());
        }
        return out;
    }

    /** A target that answers with this baseline's recorded answers. */
    public EvalTarget target() {
        return EvalTarget.baseline(this);
    }

    /** E.g. {@code bl-v3-20261205-1a2b3c: v3 (openai ft:...) on parser/main@3 validation, 30 answers, 2026-12-05T...}. */
    public String describe() {
        return id + ": " + (modelVersion == 0 ? "base model" : "v" + modelVersion) + " (" + provider + " "
                + providerModelId + ") on " + evaluationSet + ", " + items.size() + " answers"
                + (failedCalls() > 0 ? " (" + failedCalls() + " failed)" : "") + ", recorded " + finishedAt;
    }
}
