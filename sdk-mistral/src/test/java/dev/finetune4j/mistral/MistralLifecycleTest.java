package dev.finetune4j.mistral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.ModelLifecycle;
import dev.finetune4j.lifecycle.SourceQuality;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Mistral ships "fine-tuning deprecated, no date": affected, but no days to count and no job refusal. */
class MistralLifecycleTest {

    @Test
    void fineTuning_isDeprecatedWithoutADate() {
        var events = LifecycleTable.defaults().find("mistral", "ft:open-mistral-7b:abc:20260101:x1", "open-mistral-7b");
        ModelLifecycle l = new ModelLifecycle("mistral", "ft:open-mistral-7b:abc:20260101:x1", "open-mistral-7b",
                LocalDate.parse("2027-02-01"), events);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LifecycleKind.DEPRECATED);
            assertThat(e.date()).isEmpty();
            assertThat(e.sourceQuality()).isEqualTo(SourceQuality.OFFICIAL);
            assertThat(e.source().toString()).startsWith("https://github.com/mistralai/platform-docs-public/");
            assertThat(e.checkedOn()).isEqualTo(LocalDate.parse("2026-12-03"));
        });
        assertThat(l.affected()).isTrue();
        assertThat(l.daysLeft()).isEmpty();
        assertThat(l.jobsClosedBy()).isEmpty();
        assertThat(l.summary()).isEqualTo("deprecated, no date");
    }
}
