package dev.finetune4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochsTest {

    @ParameterizedTest(name = "{0} examples -> {1} epochs")
    @CsvSource({
        "1, 25", "3, 25", "4, 25", "5, 20", "10, 10", "33, 3", "34, 3", "50, 3",
        "8333, 3", "8334, 2", "12500, 2", "12501, 1", "100000, 1", "9223372036854775807, 1"
    })
    void resolveAuto_followsTheCookbookHeuristic(long examples, int epochs) {
        assertThat(Epochs.resolveAuto(examples)).isEqualTo(epochs);
    }

    @Test
    void resolveAuto_withoutExamples_isRejected() {
        assertThatThrownBy(() -> Epochs.resolveAuto(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("examples must be at least 1, was 0");
        assertThatThrownBy(() -> Epochs.resolveAuto(-5)).isInstanceOf(IllegalArgumentException.class);
    }
}
