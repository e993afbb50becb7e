package dev.finetune4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void toString_showsCurrencyAndAtLeastTheCurrencyDecimals() {
        assertThat(Money.usd("1.23")).hasToString("USD 1.23");
        assertThat(Money.usd("0.9")).hasToString("USD 0.90");
        assertThat(Money.usd("10")).hasToString("USD 10.00");
        assertThat(Money.of("4", "EUR")).hasToString("EUR 4.00");
        assertThat(Money.of("1500", "JPY")).hasToString("JPY 1500");
        assertThat(Money.usd("0.000125")).hasToString("USD 0.000125");
    }

    @Test
    void equality_isNumeric() {
        assertThat(Money.usd("0.900000")).isEqualTo(Money.usd("0.9"));
        assertThat(Money.usd("0.900000").amount()).isEqualByComparingTo("0.9").hasToString("0.90");
        assertThat(Money.usd("1")).isNotEqualTo(Money.of("1", "EUR"));
    }

    @Test
    void arithmetic_isExact() {
        assertThat(Money.usd("0.10").plus(Money.usd("0.20"))).isEqualTo(Money.usd("0.30"));
        assertThat(Money.usd("3.00").times(new BigDecimal("0.3"))).isEqualTo(Money.usd("0.90"));
        assertThat(Money.usd("1.20").times(3)).isEqualTo(Money.usd("3.60"));
        assertThat(Money.usd("0.30").max(Money.usd("4.00"))).isEqualTo(Money.usd("4.00"));
        assertThat(Money.zero("USD").isZero()).isTrue();
    }

    @Test
    void mixingCurrencies_isRejected() {
        assertThatThrownBy(() -> Money.usd("1").plus(Money.of("1", "EUR")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot combine USD 1.00 with EUR 1.00: the currencies differ");
    }

    @Test
    void unknownCurrency_isRejected() {
        assertThatThrownBy(() -> Money.of("1", "usd"))
                .hasMessage("currency 'usd' is not an ISO 4217 code such as USD or EUR");
        assertThatThrownBy(() -> Money.of("1", "XYZ"))
                .hasMessage("currency 'XYZ' is not an ISO 4217 code such as USD or EUR");
    }
}
