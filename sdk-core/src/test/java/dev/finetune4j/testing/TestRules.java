package dev.finetune4j.testing;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.policy.MinimumExamples;

/**
 * Data rules like the provider modules publish, for core tests that have no provider module on
 * their class path: the mechanism is the core's, the figures are the providers' (their own tests
 * check that they publish them).
 */
public final class TestRules {

    /** OpenAI's: the shared checks, hard 10 / recommended 50, per-model token limits. */
    public static final DataRules OPENAI = DataRules.builder("OpenAI")
            .minimumExamples(new MinimumExamples(10, 50,
                    "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100"))
            .maxTokensPerExample("gpt-4o-mini", 65_536)
            .maxTokensPerExample("gpt-4o-2024-08-06", 65_536)
            .maxTokensPerExample("gpt-4.1", 65_536)
            .maxTokensPerExample("gpt-3.5-turbo", 16_385)
            .maxTokensPerExample("gpt-3.5-turbo-0613", 4_096)
            .build();

    /** Mistral's: its format's checks, hard 1 / recommended 50. */
    public static final DataRules MISTRAL = DatasetFormat.MISTRAL.rules().toBuilder()
            .minimumExamples(new MinimumExamples(1, 50,
                    "Mistral fine-tuning docs: no documented minimum (undocumented); 50 is this library's "
                            + "recommendation"))
            .build();

    /** Hugging Face's: the shared checks, hard 1 / recommended 50. */
    public static final DataRules HUGGINGFACE = DataRules.builder("Hugging Face")
            .minimumExamples(new MinimumExamples(1, 50,
                    "Hugging Face training runs have no service minimum; 50 is this library's recommendation"))
            .build();

    private TestRules() {}
}
