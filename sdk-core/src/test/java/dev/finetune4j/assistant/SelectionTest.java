package dev.finetune4j.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A selection is built by name, so a field can be added without breaking callers. */
class SelectionTest {

    private static Selection.Builder base() {
        return Selection.builder().assistant("avatar-42").baseModel("openai", "gpt-4o-mini");
    }

    @Test
    void builder_withNothingSelected_isTheBaseModel() {
        Selection s = base().build();

        assertThat(s.activeModelVersion()).isEmpty();
        assertThat(s.activePromptVersion()).isEmpty();
        assertThat(s.candidateModelVersion()).isEmpty();
        assertThat(s.candidateShare()).isZero();
        assertThat(s.fallbacks()).isEmpty();
        assertThat(s.revision()).isZero();
        assertThat(s.describe()).isEqualTo("base model gpt-4o-mini, no prompt");
    }

    @Test
    void builder_setsEveryPart_andCopiesTheFallbackList() {
        List<Fallback> chain = new ArrayList<>(List.of(new Fallback(2, LocalDate.of(2027, 1, 14))));
        Selection s = base().activeModelVersion(3).activePromptVersion(2).candidate(4, 10).fallbacks(chain)
                .revision(7).build();
        chain.clear();

        assertThat(s.activeModelVersion()).hasValue(3);
        assertThat(s.activePromptVersion()).hasValue(2);
        assertThat(s.candidateModelVersion()).hasValue(4);
        assertThat(s.candidateShare()).isEqualTo(10);
        assertThat(s.fallbacks()).hasSize(1);
        assertThat(s.revision()).isEqualTo(7);
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.toBuilder().revision(8).build().sameAs(s)).isTrue();
    }

    @Test
    void noCandidate_meansNoShare_andShareOutOfRangeIsRefused() {
        assertThat(base().candidate(null, 30).build().candidateShare()).isZero();
        assertThatThrownBy(() -> base().candidate(4, 101).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidate share must be 0 to 100 %, was 101");
        assertThatThrownBy(() -> Selection.builder().assistant("a").build()).isInstanceOf(NullPointerException.class)
                .hasMessage("provider");
    }
}
