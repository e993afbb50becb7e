package dev.finetune4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PriceQuoteTest {

    private static PriceQuote.Builder quote() {
        return PriceQuote.builder().provider("together").model("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference")
                .price(Money.usd("2.50")).quotedAt(Instant.parse("2026-12-04T15:00:00Z"));
    }

    @Test
    void optionalFields_areAbsentUntilSet_andTheAccountMayPayByDefault() {
        PriceQuote q = quote().build();

        assertThat(q.trainingTokens()).isEmpty();
        assertThat(q.evaluationTokens()).isEmpty();
        assertThat(q.creditLimit()).isEmpty();
        assertThat(q.allowedToProceed()).isTrue();
        assertThat(q.toString()).isEqualTo("PriceQuote[together meta-llama/Meta-Llama-3.1-8B-Instruct-Reference, "
                + "USD 2.50]");
    }

    @Test
    void toBuilder_keepsEveryField_andEqualityCoversThem() {
        PriceQuote q = quote().trainingTokens(1_000L).evaluationTokens(10L).creditLimit(Money.usd("50"))
                .allowedToProceed(false).build();

        assertThat(q.toBuilder().build()).isEqualTo(q).hasSameHashCodeAs(q);
        assertThat(q.toBuilder().allowedToProceed(true).build()).isNotEqualTo(q);
        assertThat(q.toBuilder().evaluationTokens(null).build()).isNotEqualTo(q);
        assertThat(q.toString()).endsWith(", 1000 training tokens, 10 evaluation tokens, not allowed to proceed]");
    }

    @Test
    void requiredFieldsAndSigns_areChecked() {
        assertThatThrownBy(() -> quote().price(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessage("price");
        assertThatThrownBy(() -> quote().quotedAt(null).build()).hasMessage("quotedAt");
        assertThatThrownBy(() -> quote().price(Money.usd("-1")).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a quoted price must not be negative, was USD -1.00");
        assertThatThrownBy(() -> quote().trainingTokens(-5L).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token counts must not be negative, were -5 and null");
    }
}
