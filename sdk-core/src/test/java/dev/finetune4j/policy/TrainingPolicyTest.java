package dev.finetune4j.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.offset;

import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.policy.RetrainAdvice.Recommendation;
import dev.finetune4j.spi.TestFactories;
import dev.finetune4j.testing.TestRules;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrainingPolicyTest {

    /** The policy a host app gets with the three providers' modules on its class path. */
    private static final TrainingPolicy DEFAULTS = TrainingPolicy.builder()
            .providerRules("openai", TestRules.OPENAI)
            .providerRules("mistral", TestRules.MISTRAL)
            .providerRules("huggingface", TestRules.HUGGINGFACE)
            .build();
    private static final String OPENAI_SOURCE =
            "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100";

    // ---- minimum examples -------------------------------------------------------------------

    @Test
    void checkMinimum_belowOpenAiHardMinimum_throwsWithThePreciseMessage() {
        InsufficientExamplesException e = catchThrowableOfType(InsufficientExamplesException.class,
                () -> DEFAULTS.checkMinimum("avatar-42/main", 7, "openai", "gpt-4o-mini-2024-07-18"));

        assertThat(e).hasMessage("dataset 'avatar-42/main' has 7 training examples; openai requires at least 10 ("
                + OPENAI_SOURCE + ")");
        assertThat(e.actual()).isEqualTo(7);
        assertThat(e.required()).isEqualTo(10);
        assertThat(e.ruleSource()).isEqualTo(OPENAI_SOURCE);
    }

    @Test
    void checkMinimum_oneExample_isSingular() {
        assertThatThrownBy(() -> DEFAULTS.checkMinimum("d", 1, "OpenAI", "gpt-4.1-nano-2025-04-14"))
                .hasMessageStartingWith("dataset 'd' has 1 training example; openai requires at least 10");
    }

    @Test
    void checkMinimum_betweenHardAndRecommended_warns() {
        assertThat(DEFAULTS.checkMinimum("avatar-42/main", 30, "openai", "gpt-4o-mini"))
                .contains("dataset 'avatar-42/main' has 30 training examples; openai recommends at least 50 ("
                        + OPENAI_SOURCE + ")");
        assertThat(DEFAULTS.checkMinimum("avatar-42/main", 10, "openai", "gpt-4o-mini")).isPresent();
    }

    @Test
    void checkMinimum_atRecommended_isQuiet() {
        assertThat(DEFAULTS.checkMinimum("avatar-42/main", 50, "openai", "gpt-4o-mini")).isEmpty();
        assertThat(DEFAULTS.checkMinimum("avatar-42/main", 3890, "mistral", "open-mistral-7b")).isEmpty();
    }

    @Test
    void checkMinimum_fineTunedParent_usesTheBaseModelsRule() {
        TrainingPolicy p = DEFAULTS.toBuilder()
                .minimumExamples("openai", "gpt-4.1", new MinimumExamples(20, 100, "house rule"))
                .build();

        assertThatThrownBy(() -> p.checkMinimum("x", 15, "openai", "ft:gpt-4.1-mini-2025-04-14:acme::abc"))
                .isInstanceOf(InsufficientExamplesException.class)
                .hasMessage("dataset 'x' has 15 training examples; openai requires at least 20 (house rule)");
        assertThat(p.checkMinimum("x", 15, "openai", "gpt-4o-mini")).isPresent();
    }

    @Test
    void minimumExamples_defaults() {
        assertThat(DEFAULTS.minimumExamples("openai", "gpt-4o-mini"))
                .isEqualTo(new MinimumExamples(10, 50, OPENAI_SOURCE));
        MinimumExamples mistral = DEFAULTS.minimumExamples("mistral", "mistral-small-latest");
        assertThat(mistral.hard()).isEqualTo(1);
        assertThat(mistral.recommended()).isEqualTo(50);
        assertThat(mistral.source()).contains("no documented minimum");
        assertThat(DEFAULTS.minimumExamples("huggingface", "meta-llama/Llama-3.1-8B").hard()).isEqualTo(1);
        assertThat(DEFAULTS.minimumExamples("huggingface", "meta-llama/Llama-3.1-8B").recommended()).isEqualTo(50);
        assertThat(DEFAULTS.minimumExamples("vertex", "gemini-2.0-flash").hard()).isEqualTo(1);
    }

    @Test
    void mistral_noExamples_isRefused() {
        assertThatThrownBy(() -> DEFAULTS.checkMinimum("d", 0, "mistral", "open-mistral-7b"))
                .isInstanceOf(InsufficientExamplesException.class)
                .hasMessageStartingWith("dataset 'd' has 0 training examples; mistral requires at least 1 (Mistral");
    }

    @Test
    void minimumExamples_overrides() {
        TrainingPolicy p = DEFAULTS.toBuilder()
                .minimumExamples("openai", "", new MinimumExamples(25, 100, "our QA rule"))
                .minimumExamples("mistral", "codestral", new MinimumExamples(5, 10, "code rule"))
                .defaultMinimumExamples(new MinimumExamples(3, 30, "house default"))
                .build();

        assertThat(p.minimumExamples("openai", "gpt-4o-mini")).isEqualTo(new MinimumExamples(25, 100, "our QA rule"));
        assertThat(p.minimumExamples("mistral", "codestral-latest").hard()).isEqualTo(5);
        assertThat(p.minimumExamples("mistral", "open-mistral-7b").hard()).isEqualTo(1);
        assertThat(p.minimumExamples("acme", "m").source()).isEqualTo("house default");
        assertThat(DEFAULTS.minimumExamples("openai", "gpt-4o-mini").hard()).isEqualTo(10);
        assertThat(TrainingPolicy.builder().build().minimumExamples("openai", "gpt-4o-mini").hard()).isEqualTo(1);
    }

    @Test
    void minimumExamples_invalid_isRejected() {
        assertThatThrownBy(() -> new MinimumExamples(0, 10, "s"))
                .hasMessage("hard minimum must be at least 1, was 0");
        assertThatThrownBy(() -> new MinimumExamples(10, 5, "s"))
                .hasMessage("recommended minimum (5) must be at least the hard minimum (10)");
        assertThatThrownBy(() -> DEFAULTS.checkMinimum("d", -1, "openai", "gpt-4o-mini"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainingExamples must be at least 0, was -1");
    }

    @Test
    void defaults_holdTheRulesOfTheProviderModulesOnTheClassPath() {
        TrainingPolicy defaults = TrainingPolicy.defaults();

        assertThat(defaults.providerRules("working")).contains(TestFactories.WORKING_RULES);
        assertThat(defaults.providerRules("needs-key")).hasValueSatisfying(r -> assertThat(r.minimumExamples("m"))
                .isEmpty());
        assertThat(defaults.minimumExamples("working", "any-model"))
                .isEqualTo(new MinimumExamples(7, 70, "working's published minimum"));
        assertThat(defaults.minimumExamples("needs-key", "m").hard()).as("no published minimum: the default")
                .isEqualTo(1);
        assertThat(defaults.maxTokensPerExample("working", "any-model")).hasValue(900);
        assertThat(TrainingPolicy.builder().build().providerRules("working")).isEmpty();
        assertThatThrownBy(() -> defaults.checkMinimum("d", 6, "working", "m"))
                .hasMessage("dataset 'd' has 6 training examples; working requires at least 7 (working's published "
                        + "minimum)");
    }

    @Test
    void hostRules_winOverThePublishedOnes_whateverThePrefixLength() {
        TrainingPolicy p = DEFAULTS.toBuilder()
                .minimumExamples("openai", "gpt", new MinimumExamples(30, 60, "house rule"))
                .maxTokensPerExample("openai", "gpt", 1_000)
                .build();

        assertThat(p.minimumExamples("openai", "gpt-4o-mini-2024-07-18").source()).isEqualTo("house rule");
        assertThat(p.maxTokensPerExample("openai", "gpt-4o-mini-2024-07-18")).hasValue(1_000);
        assertThat(p.maxTokensPerExample("openai", "davinci-002")).as("no host rule: the published one (none)")
                .isEmpty();
        assertThat(p.minimumExamples("openai", "davinci-002").hard()).isEqualTo(10);
    }

    @Test
    void providerRules_replaceEarlierOnes_andSurviveToBuilder() {
        DataRules mine = DataRules.builder("Mine").minimumExamples(new MinimumExamples(3, 5, "mine")).build();
        TrainingPolicy p = DEFAULTS.toBuilder().providerRules("OpenAI", mine).build();

        assertThat(p.providerRules("openai")).contains(mine);
        assertThat(p.minimumExamples("openai", "gpt-4o-mini").hard()).isEqualTo(3);
        assertThat(p.maxTokensPerExample("openai", "gpt-4o-mini")).isEmpty();
        assertThat(p.toBuilder().build().providerRules("openai")).contains(mine);
        assertThat(DEFAULTS.minimumExamples("openai", "gpt-4o-mini").hard()).isEqualTo(10);
    }

    // ---- max tokens per example ----------------------------------------------------------------

    @Test
    void maxTokensPerExample_defaults() {
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-4o-mini-2024-07-18")).hasValue(65_536);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-4o-mini")).hasValue(65_536);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-4o-2024-08-06")).hasValue(65_536);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-4.1-2025-04-14")).hasValue(65_536);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-4.1-nano-2025-04-14")).hasValue(65_536);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-3.5-turbo-0125")).hasValue(16_385);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-3.5-turbo-1106")).hasValue(16_385);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "gpt-3.5-turbo-0613")).hasValue(4_096);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "ft:gpt-3.5-turbo-0613:acme::x")).hasValue(4_096);
        assertThat(DEFAULTS.maxTokensPerExample("openai", "davinci-002")).isEmpty();
        assertThat(DEFAULTS.maxTokensPerExample("mistral", "open-mistral-7b")).isEmpty();
        assertThat(DEFAULTS.maxTokensPerExample("huggingface", "meta-llama/Llama-3.1-8B")).isEmpty();
    }

    @Test
    void maxTokensPerExample_overrides() {
        TrainingPolicy p = DEFAULTS.toBuilder()
                .maxTokensPerExample("mistral", "", 32_768)
                .maxTokensPerExample("openai", "gpt-4.1-mini", 131_072)
                .unknownMaxTokensPerExample("openai", "gpt-4.1-nano")
                .build();

        assertThat(p.maxTokensPerExample("mistral", "mistral-large-latest")).hasValue(32_768);
        assertThat(p.maxTokensPerExample("openai", "gpt-4.1-mini-2025-04-14")).hasValue(131_072);
        assertThat(p.maxTokensPerExample("openai", "gpt-4.1-nano-2025-04-14")).isEqualTo(OptionalInt.empty());
        assertThat(p.maxTokensPerExample("openai", "gpt-4.1-2025-04-14")).hasValue(65_536);
        assertThatThrownBy(() -> TrainingPolicy.builder().maxTokensPerExample("openai", "", 0))
                .hasMessage("maxTokens must be at least 1, was 0");
    }

    // ---- retrain advice ------------------------------------------------------------------------

    @Test
    void retrainAdvice_50newOn44_retrainsFromBase() {
        RetrainAdvice a = DEFAULTS.retrainAdvice(44, 94, 50, 0, true);

        assertThat(a.retrainRecommended()).isTrue();
        assertThat(a.recommendation()).isEqualTo(Recommendation.RETRAIN_FROM_BASE);
        assertThat(a.percentNew()).isCloseTo(113.636, offset(0.001));
        assertThat(a.reason()).isEqualTo("50 new examples since the trained version (44 examples, +114 %): "
                + "retrain recommended; retrain from the base model on all 94 examples "
                + "(+114 % is more than the 50 % increment a continued run is advised for)");
        assertThat(a.examplesInTrainedVersion()).isEqualTo(44);
        assertThat(a.examplesNow()).isEqualTo(94);
        assertThat(a.newExamples()).isEqualTo(50);
        assertThat(a.removedExamples()).isZero();
    }

    @Test
    void retrainAdvice_providerWithoutContinue_retrainsFromBase() {
        RetrainAdvice a = DEFAULTS.retrainAdvice(44, 94, 50, 0, false);

        assertThat(a.reason()).isEqualTo("50 new examples since the trained version (44 examples, +114 %): "
                + "retrain recommended; retrain from the base model on all 94 examples "
                + "(the provider cannot continue from a fine-tuned model)");
    }

    @Test
    void retrainAdvice_fewNew_isNotYet() {
        RetrainAdvice a = DEFAULTS.retrainAdvice(100, 105, 5, 0, true);

        assertThat(a.retrainRecommended()).isFalse();
        assertThat(a.recommendation()).isEqualTo(Recommendation.NOT_YET);
        assertThat(a.percentNew()).isEqualTo(5.0);
        assertThat(a.reason()).isEqualTo("5 new examples since the trained version (100 examples, +5 %): "
                + "not yet, a retrain is recommended from 20 new examples");
    }

    @Test
    void retrainAdvice_twentyPercentOfASmallVersion_isEnough() {
        // 20 % of 44 = 8.8, so 9 new examples suffice although fewer than 20
        assertThat(DEFAULTS.retrainAdvice(44, 52, 8, 0, true).recommendation()).isEqualTo(Recommendation.NOT_YET);
        assertThat(DEFAULTS.retrainAdvice(44, 52, 8, 0, true).reason()).endsWith("recommended from 9 new examples");
        RetrainAdvice a = DEFAULTS.retrainAdvice(44, 53, 9, 0, true);
        assertThat(a.recommendation()).isEqualTo(Recommendation.CONTINUE_FROM_PARENT);
        assertThat(a.reason()).isEqualTo("9 new examples since the trained version (44 examples, +20 %): "
                + "retrain recommended; continue from the parent model on the 9 new examples "
                + "with a 10x lower learning rate and fewer epochs");
    }

    @Test
    void retrainAdvice_twentyNewOfALargeVersion_isEnough() {
        // 20 new examples on 3,890 is 0.5 %, but 20 is the absolute threshold
        assertThat(DEFAULTS.retrainAdvice(3890, 3909, 19, 0, false).recommendation())
                .isEqualTo(Recommendation.NOT_YET);
        RetrainAdvice a = DEFAULTS.retrainAdvice(3890, 3910, 20, 0, true);
        assertThat(a.recommendation()).isEqualTo(Recommendation.CONTINUE_FROM_PARENT);
        assertThat(a.reason()).startsWith("20 new examples since the trained version (3890 examples, +1 %)");
    }

    @Test
    void retrainAdvice_exactlyTwentyPercent_andExactlyHalf() {
        assertThat(DEFAULTS.retrainAdvice(100, 120, 20, 0, true).retrainRecommended()).isTrue();
        assertThat(DEFAULTS.retrainAdvice(10, 12, 2, 0, true).retrainRecommended()).isTrue();
        assertThat(DEFAULTS.retrainAdvice(10, 11, 1, 0, true).retrainRecommended()).isFalse();
        assertThat(DEFAULTS.retrainAdvice(100, 150, 50, 0, true).recommendation())
                .isEqualTo(Recommendation.CONTINUE_FROM_PARENT);
        assertThat(DEFAULTS.retrainAdvice(100, 151, 51, 0, true).recommendation())
                .isEqualTo(Recommendation.RETRAIN_FROM_BASE);
    }

    @Test
    void retrainAdvice_removedExamples_forceRetrainFromBase() {
        RetrainAdvice a = DEFAULTS.retrainAdvice(100, 127, 30, 3, true);

        assertThat(a.recommendation()).isEqualTo(Recommendation.RETRAIN_FROM_BASE);
        assertThat(a.reason()).isEqualTo("30 new examples since the trained version (100 examples, +30 %, 3 removed): "
                + "retrain recommended; retrain from the base model on all 127 examples "
                + "(examples were removed, which continuing from the parent cannot unlearn)");
    }

    @Test
    void retrainAdvice_removalsAlone_doNotTriggerARetrain() {
        RetrainAdvice a = DEFAULTS.retrainAdvice(100, 60, 0, 40, true);

        assertThat(a.recommendation()).isEqualTo(Recommendation.NOT_YET);
        assertThat(a.reason()).isEqualTo("0 new examples since the trained version (100 examples, +0 %, 40 removed): "
                + "not yet, a retrain is recommended from 20 new examples");
    }

    @Test
    void retrainAdvice_thresholdsAreConfigurable() {
        TrainingPolicy p = DEFAULTS.toBuilder()
                .retrainWhenNewFraction(0.5)
                .retrainWhenNewExamples(Long.MAX_VALUE)
                .continueFromParentUpToFraction(0)
                .build();

        assertThat(p.retrainAdvice(100, 149, 49, 0, true).reason()).endsWith("recommended from 50 new examples");
        RetrainAdvice a = p.retrainAdvice(100, 150, 50, 0, true);
        assertThat(a.recommendation()).isEqualTo(Recommendation.RETRAIN_FROM_BASE);
        assertThat(a.reason()).endsWith("(+50 % is more than the 0 % increment a continued run is advised for)");
        assertThat(p.retrainWhenNewFraction()).isEqualTo(0.5);
        assertThat(p.retrainWhenNewExamples()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.continueFromParentUpToFraction()).isZero();
        assertThat(DEFAULTS.retrainWhenNewFraction()).isEqualTo(0.2);
        assertThat(DEFAULTS.retrainWhenNewExamples()).isEqualTo(20);
        assertThat(DEFAULTS.continueFromParentUpToFraction()).isEqualTo(0.5);
    }

    @Test
    void retrainAdvice_badCounts_areRejected() {
        assertThatThrownBy(() -> DEFAULTS.retrainAdvice(0, 10, 10, 0, true))
                .hasMessage("trainedExamples must be at least 1, was 0");
        assertThatThrownBy(() -> DEFAULTS.retrainAdvice(10, -1, 0, 0, true))
                .hasMessage("currentExamples must be at least 0, was -1");
        assertThatThrownBy(() -> DEFAULTS.retrainAdvice(10, 10, -1, 0, true))
                .hasMessage("newSinceTrained must be at least 0, was -1");
        assertThatThrownBy(() -> DEFAULTS.retrainAdvice(10, 10, 0, 11, true))
                .hasMessage("removedSinceTrained must be between 0 and trainedExamples (10), was 11");
        assertThatThrownBy(() -> TrainingPolicy.builder().retrainWhenNewFraction(0))
                .hasMessage("retrainWhenNewFraction must be more than 0 and finite, was 0.0");
        assertThatThrownBy(() -> TrainingPolicy.builder().continueFromParentUpToFraction(Double.NaN))
                .hasMessage("continueFromParentUpToFraction must be 0 or more and finite, was NaN");
        assertThatThrownBy(() -> TrainingPolicy.builder().retrainWhenNewExamples(0))
                .hasMessage("retrainWhenNewExamples must be at least 1, was 0");
    }

    @Test
    void retrainAdvice_contradictoryRecord_isRejected() {
        assertThatThrownBy(() -> new RetrainAdvice(1, 1, 0, 0, 0, true, Recommendation.NOT_YET, "r"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
