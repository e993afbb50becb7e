package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A dataset version is built by name, so a field can be added without breaking callers. */
class DatasetVersionTest {

    private static DatasetVersion.Builder first() {
        return DatasetVersion.builder().dataset("avatar-42", "main").id("dv-3f2a", 1)
                .createdAt(Instant.parse("2026-12-01T10:00:00Z")).examples(12, 12, 0);
    }

    @Test
    void builder_setsEveryField_andOptionalOnesAreAbsentUnlessSet() {
        DatasetVersion v = first().build();

        assertThat(v.datasetRef()).isEqualTo("avatar-42/main");
        assertThat(v.id()).isEqualTo("dv-3f2a");
        assertThat(v.number()).isEqualTo(1);
        assertThat(v.parentId()).isEmpty();
        assertThat(v.note()).isEmpty();
        assertThat(v.examples()).isEqualTo(12);
        assertThat(v.added()).isEqualTo(12);
        assertThat(v.removed()).isZero();

        DatasetVersion second = v.toBuilder().id("dv-77aa", 2).parentId("dv-3f2a").note("fix typos")
                .examples(11, 0, 1).build();
        assertThat(second.parentId()).contains("dv-3f2a");
        assertThat(second.note()).contains("fix typos");
        assertThat(second.removed()).isEqualTo(1);
        assertThat(second.createdAt()).isEqualTo(v.createdAt());
        assertThat(second).isNotEqualTo(v);
        assertThat(v.toBuilder().build()).isEqualTo(v);
    }

    @Test
    void build_refusesMissingFields_aNumberBelowOne_andNegativeCounts() {
        assertThatThrownBy(() -> DatasetVersion.builder().dataset("a", "d").id("dv-1", 1).build())
                .isInstanceOf(NullPointerException.class).hasMessage("createdAt");
        assertThatThrownBy(() -> first().id("dv-1", 0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("number must be at least 1, was 0");
        assertThatThrownBy(() -> first().examples(-1, 0, 0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
