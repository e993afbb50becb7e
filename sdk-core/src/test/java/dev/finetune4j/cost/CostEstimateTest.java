package dev.finetune4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A cost estimate is built by name, so a field can be added without breaking callers. */
class CostEstimateTest {

    static CostEstimate sample() {
        return CostEstimate.builder().provider("openai").model("gpt-4o-mini-2024-07-18").pricedAs("gpt-4o-mini")
                .examples(10).epochs(3, true).tokensPerEpoch(1_000).billedTokens(3_000)
                .cost(Money.usd("0.009"), false).price(LocalDate.of(2026, 1, 1), "https://openai.com/api/pricing")
                .exactTokens(true).build();
    }

    @Test
    void builder_setsEveryField_readByTheSameAccessorsAsTheRecordHad() {
        CostEstimate c = sample();

        assertThat(c.provider()).isEqualTo("openai");
        assertThat(c.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(c.pricedAs()).isEqualTo("gpt-4o-mini");
        assertThat(c.examples()).isEqualTo(10);
        assertThat(c.epochs()).isEqualTo(3);
        assertThat(c.epochsAuto()).isTrue();
        assertThat(c.tokensPerEpoch()).isEqualTo(1_000);
        assertThat(c.billedTokens()).isEqualTo(3_000);
        assertThat(c.cost()).isEqualTo(Money.usd("0.009"));
        assertThat(c.minimumFeeApplied()).isFalse();
        assertThat(c.priceEffectiveDate()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(c.priceSource()).isEqualTo("https://openai.com/api/pricing");
        assertThat(c.exactTokens()).isTrue();
    }

    @Test
    void equalsByValue_andToBuilderChangesOneField() {
        assertThat(sample()).isEqualTo(sample()).hasSameHashCodeAs(sample());
        CostEstimate fee = sample().toBuilder().cost(Money.usd("1.00"), true).build();

        assertThat(fee.minimumFeeApplied()).isTrue();
        assertThat(fee.billedTokens()).isEqualTo(3_000);
        assertThat(fee).isNotEqualTo(sample());
        assertThat(fee.toString()).contains("minimumFeeApplied=true", "pricedAs=gpt-4o-mini");
    }

    @Test
    void build_namesAMissingRequiredField_andRefusesNegativeCounts() {
        assertThatThrownBy(() -> sample().toBuilder().price(null, "x").build())
                .isInstanceOf(NullPointerException.class).hasMessage("priceEffectiveDate");
        assertThatThrownBy(() -> CostEstimate.builder().provider("openai").build())
                .isInstanceOf(NullPointerException.class).hasMessage("model");
        assertThatThrownBy(() -> sample().toBuilder().billedTokens(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
