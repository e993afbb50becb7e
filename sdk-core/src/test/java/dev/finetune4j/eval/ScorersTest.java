package dev.finetune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorersTest {

    @Test
    void exactAndNormalized() {
        assertThat(Scorers.exactMatch().score("Hello", "Hello").right()).isTrue();
        assertThat(Scorers.exactMatch().score("Hello", "hello").right()).isFalse();
        assertThat(Scorers.normalizedText().score("Hello,  World!", "hello world").right()).isTrue();
        assertThat(Scorers.normalizedText().score("ｈｅｌｌｏ", "hello").right()).as("NFKC").isTrue();
    }

    @Test
    void jsonFields_perFieldWithNumericToleranceMissingAndExtraFields() {
        Scorer s = Scorers.jsonFields(0.01);
        String expected = "{\"exercise\":\"Bench Press\",\"weight\":225,\"reps\":8,\"rpe\":8}";

        Score exact = s.score(expected, "{\"reps\":8,\"rpe\":8,\"weight\":225.0,\"exercise\":\"Bench Press\"}");
        Score close = s.score(expected, "{\"exercise\":\"Bench Press\",\"weight\":226,\"reps\":8,\"rpe\":8}");
        Score partial = s.score(expected, "{\"exercise\":\"Bench\",\"weight\":225,\"reps\":8,\"unit\":\"lbs\"}");
        Score invalid = s.score(expected, "bench 225 x 8");

        assertThat(exact.value()).isEqualTo(1.0);
        assertThat(close.value()).as("226 is within 1 % of 225").isEqualTo(1.0);
        assertThat(partial.fields()).isEqualTo(Map.of("exercise", false, "weight", true, "reps", true,
                "rpe", false, "extra:unit", false));
        assertThat(partial.value()).isEqualTo(2.0 / 5);
        assertThat(invalid.parseable()).isFalse();
        assertThat(invalid.value()).isZero();
        assertThat(invalid.fields()).containsOnlyKeys("exercise", "weight", "reps", "rpe");
        assertThatThrownBy(() -> s.score("not json", "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected answer is not a JSON object");
    }
}
