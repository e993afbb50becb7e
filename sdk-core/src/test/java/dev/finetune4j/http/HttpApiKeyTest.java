package dev.finetune4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpApiKeyTest {

    private static final String LONG_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789wxyz";

    @Test
    void toString_showsOnlyTheLastFourCharactersOfALongKey() {
        ApiKey key = ApiKey.of(LONG_KEY);

        assertThat(key).hasToString("ApiKey[****wxyz]");
        assertThat(key.toString()).doesNotContain("sk-proj").doesNotContain("abcdef");
    }

    @Test
    void toString_showsNothingOfAShortKey() {
        assertThat(ApiKey.of("hf_short123")).hasToString("ApiKey[****]");
        assertThat(ApiKey.of("1234567890123456789")).hasToString("ApiKey[****]");
        assertThat(ApiKey.of("12345678901234567890")).hasToString("ApiKey[****7890]");
    }

    @Test
    void value_isTheOnlyWayToTheSecret_andSurroundingWhitespaceIsDropped() {
        assertThat(ApiKey.of("  " + LONG_KEY + "\n").value()).isEqualTo(LONG_KEY);
    }

    @Test
    void equality_followsTheValue() {
        assertThat(ApiKey.of(LONG_KEY)).isEqualTo(ApiKey.of(LONG_KEY + " ")).hasSameHashCodeAs(ApiKey.of(LONG_KEY));
        assertThat(ApiKey.of(LONG_KEY)).isNotEqualTo(ApiKey.of(LONG_KEY + "x"));
    }

    @Test
    void keysAHeaderCannotCarry_areRejectedWithoutRepeatingThem() {
        assertThatThrownBy(() -> ApiKey.of("   ")).isInstanceOf(IllegalArgumentException.class).hasMessage("api key is blank");
        assertThatThrownBy(() -> ApiKey.of("sk-secret\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("api key contains a whitespace or control character at index 9; an HTTP header cannot carry it")
                .hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> ApiKey.of("sk-secret\u2603"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> ApiKey.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void fromEnv_isEmptyForAnUnsetVariable_andWrapsASetOne() {
        assertThat(ApiKey.fromEnv("FINETUNE4J_TEST_SURELY_UNSET_VARIABLE")).isEmpty();

        String path = System.getenv("PATH");
        if (path != null && !path.isBlank() && path.strip().chars().noneMatch(Character::isWhitespace)) {
            assertThat(ApiKey.fromEnv("PATH")).contains(ApiKey.of(path));
        }
    }
}
