package dev.finetune4j.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import org.junit.jupiter.api.Test;

class TokenStatsTest {

    private static TokenStats of(int... tokens) {
        TokenStats.Accumulator acc = TokenStats.accumulator("o200k_base", true);
        for (int t : tokens) {
            acc.add(t, 0, 2);
        }
        return acc.build();
    }

    @Test
    void percentiles_oneToTen_matchNumpyLinear() {
        TokenStats s = of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        // numpy.quantile(range(1, 11), [0.1, 0.9]) == [1.9, 9.1]
        assertThat(s.p10()).isEqualTo(1.9);
        assertThat(s.p90()).isEqualTo(9.1);
        assertThat(s.meanTokens()).isEqualTo(5.5);
        assertThat(s.minTokens()).isEqualTo(1);
        assertThat(s.maxTokens()).isEqualTo(10);
        assertThat(s.totalTokens()).isEqualTo(55);
        assertThat(s.billableTokens()).isEqualTo(55);
        assertThat(s.examples()).isEqualTo(10);
        assertThat(s.messages()).isEqualTo(20);
        assertThat(s.overLimit()).isZero();
    }

    @Test
    void percentiles_unorderedWithDuplicates_areBitIdenticalToNumpy() {
        // values and expectations printed by numpy 2.4 (repr of float(np.quantile(v, q)))
        assertThat(of(3, 3, 3, 100).p90()).isEqualTo(70.90000000000002);
        assertThat(of(3, 3, 3, 100).p10()).isEqualTo(3.0);
        TokenStats s = of(120, 7, 7, 4000, 65, 65, 65, 1, 999, 23, 23);
        assertThat(s.p10()).isEqualTo(7.0);
        assertThat(s.p90()).isEqualTo(999.0);
        assertThat(s.meanTokens()).isEqualTo(488.6363636363636);
        assertThat(of(10, 20).p10()).isEqualTo(11.0);
        assertThat(of(10, 20).p90()).isEqualTo(19.0);
        assertThat(of(5).p10()).isEqualTo(5.0);
        assertThat(of(5).p90()).isEqualTo(5.0);
    }

    @Test
    void percentiles_37values_matchNumpy() {
        int[] v = new int[37];
        for (int i = 1; i <= 37; i++) {
            v[i - 1] = (i * 31) % 97;
        }
        TokenStats s = of(v);
        assertThat(s.p10()).isEqualTo(16.8);
        assertThat(s.p90()).isEqualTo(88.4);
    }

    @Test
    void tenThousandExamples_withLimit_matchNumpyAndCapBillableTokens() {
        TokenStats.Accumulator acc = TokenStats.accumulator("cl100k_base", true).maxTokensPerExample(1000);
        for (int i = 0; i < 10_000; i++) {
            acc.add((i * 7919) % 1013 + (i % 7) * 50, 0, 3);
        }
        TokenStats s = acc.build();

        assertThat(s.p10()).isEqualTo(241.0);
        assertThat(s.p90()).isEqualTo(1071.0);
        assertThat(s.totalTokens()).isEqualTo(6_560_588);
        assertThat(s.billableTokens()).isEqualTo(6_380_665);
        assertThat(s.overLimit()).isEqualTo(1602);
        assertThat(s.minTokens()).isZero();
        assertThat(s.maxTokens()).isEqualTo(1312);
        assertThat(s.encoding()).isEqualTo("cl100k_base");
    }

    @Test
    void limit_canBeSetAfterAdding() {
        TokenStats.Accumulator acc = TokenStats.accumulator("o200k_base", true);
        acc.add(100, 10, 2).add(5000, 30, 2).add(70_000, 40, 3);

        TokenStats unlimited = acc.build();
        TokenStats limited = acc.maxTokensPerExample(65_536).build();

        assertThat(unlimited.billableTokens()).isEqualTo(75_100);
        assertThat(unlimited.overLimit()).isZero();
        assertThat(limited.billableTokens()).isEqualTo(100 + 5000 + 65_536);
        assertThat(limited.overLimit()).isEqualTo(1);
        assertThat(limited.totalTokens()).isEqualTo(75_100);
        assertThat(limited.assistantTokens()).isEqualTo(80);
        assertThat(limited.messages()).isEqualTo(7);
    }

    @Test
    void empty_isAllZeros() {
        TokenStats s = TokenStats.accumulator("o200k_base", false).maxTokensPerExample(10).build();

        assertThat(s).isEqualTo(new TokenStats(0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0, 0, "o200k_base", false));
    }

    @Test
    void addExample_countsWithTheCounter() {
        TokenCounter counter = TokenCounter.forModel("gpt-4o-mini-2024-07-18");
        Example e = Example.of(Message.user("Hello there"), Message.assistant("General Kenobi!"));

        TokenStats s = TokenStats.accumulator(counter).add(e).build();

        assertThat(s.totalTokens()).isEqualTo(counter.count(e));
        assertThat(s.assistantTokens()).isEqualTo(counter.countAssistant(e));
        assertThat(s.messages()).isEqualTo(2);
        assertThat(s.encoding()).isEqualTo("o200k_base");
        assertThat(s.exact()).isTrue();
    }

    @Test
    void addExample_withoutCounter_isRejected() {
        TokenStats.Accumulator acc = TokenStats.accumulator("o200k_base", true);

        assertThatThrownBy(() -> acc.add(Example.of(Message.user("x"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TokenStats.accumulator(TokenCounter)");
    }

    @Test
    void add_outOfRangeCounts_areRejected() {
        TokenStats.Accumulator acc = TokenStats.accumulator("o200k_base", true);

        assertThatThrownBy(() -> acc.add(-1, 0, 1)).hasMessage("tokens must be at least 0, was -1");
        assertThatThrownBy(() -> acc.add(10, 11, 1))
                .hasMessage("assistantTokens must be between 0 and tokens (10), was 11");
        assertThatThrownBy(() -> acc.add(10, 1, -1)).hasMessage("messages must be at least 0, was -1");
        assertThatThrownBy(() -> acc.maxTokensPerExample(0))
                .hasMessage("maxTokensPerExample must be at least 1, was 0");
        assertThat(acc.examples()).isZero();
    }
}
