package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.Money;
import dev.finetune4j.tokens.TokenStats;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job estimate is built by name, so a field can be added without breaking callers. */
class JobEstimateTest {

    private static final TokenStats TOKENS = new TokenStats(10, 30, 1_000, 1_000, 80, 120, 100, 85, 115, 400, 0,
            "o200k_base", true);

    private static JobEstimate.Builder unpriced() {
        return JobEstimate.builder().provider("openai").model("gpt-4o-mini").datasetVersion("dv-3f2a", 2)
                .examples(10, 2).tokens(TOKENS);
    }

    @Test
    void builder_withoutACost_isUnpriced_andCopiesTheWarnings() {
        List<String> warnings = new ArrayList<>(List.of("below the recommended 50 examples"));
        JobEstimate e = unpriced().warnings(warnings).build();
        warnings.clear();

        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.model()).isEqualTo("gpt-4o-mini");
        assertThat(e.datasetVersionId()).isEqualTo("dv-3f2a");
        assertThat(e.datasetVersionNumber()).isEqualTo(2);
        assertThat(e.trainingExamples()).isEqualTo(10);
        assertThat(e.validationExamples()).isEqualTo(2);
        assertThat(e.tokens()).isEqualTo(TOKENS);
        assertThat(e.cost()).isEmpty();
        assertThat(e.warnings()).containsExactly("below the recommended 50 examples");
        assertThat(e.toString()).contains("no price");
    }

    @Test
    void toBuilder_addsACost_andEqualityIsByValue() {
        CostEstimate cost = CostEstimate.builder().provider("openai").model("gpt-4o-mini").pricedAs("gpt-4o-mini")
                .examples(10).epochs(3, true).tokensPerEpoch(1_000).billedTokens(3_000)
                .cost(Money.usd("0.009"), false).price(LocalDate.of(2026, 1, 1), "table").build();

        JobEstimate priced = unpriced().build().toBuilder().cost(cost).build();

        assertThat(priced.cost()).contains(cost);
        assertThat(priced).isNotEqualTo(unpriced().build());
        assertThat(priced.toBuilder().build()).isEqualTo(priced).hasSameHashCodeAs(priced);
        assertThat(priced.toString()).contains("3000 billed tokens");
    }

    @Test
    void build_namesAMissingRequiredField() {
        assertThatThrownBy(() -> JobEstimate.builder().provider("openai").model("m").datasetVersion("dv-1", 1).build())
                .isInstanceOf(NullPointerException.class).hasMessage("tokens");
        assertThatThrownBy(() -> unpriced().examples(-1, 0).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
