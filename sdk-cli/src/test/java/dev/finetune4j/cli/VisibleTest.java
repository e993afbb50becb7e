package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTest {

    @Test
    void controlCharacters_areShownAsEscapes_andOtherTextIsUnchanged() {
        assertThat(Visible.of("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(Visible.of("\u001b[31mred\u007f\u0085\u009b")).isEqualTo("\\u001b[31mred\\u007f\\u0085\\u009b");
        assertThat(Visible.of("\u202ecba\u202c \u2066x\u2069 \u200f\u200e\u061c \u2028\u2029"))
                .isEqualTo("\\u202ecba\\u202c \\u2066x\\u2069 \\u200f\\u200e\\u061c \\u2028\\u2029");
        String ordinary = "v2 mixes languages: 中文, Ünïcödé, emoji 😀, Arabic مرحبا";
        assertThat(Visible.of(ordinary)).isSameAs(ordinary);
    }
}
