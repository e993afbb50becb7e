package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.store.VersionStores;
import org.junit.jupiter.api.Test;

class VersionsExampleTest {

    @Test
    void run_walksTheLearningPath() {
        assertThat(VersionsExample.run(VersionStores.inMemory())).containsExactly(
                "CONFIGURE by system: base model gpt-4o-mini-2024-07-18, no prompt",
                "ACTIVATE_PROMPT by alice: base model gpt-4o-mini-2024-07-18 + prompt v1",
                "ACTIVATE by alice: model v1 + prompt v1",
                "ACTIVATE by bob: model v2 + prompt v1",
                "ROLLBACK by alice: model v1 + prompt v1",
                "SET_CANDIDATE by alice: model v1 + prompt v1, candidate v2 at 10 %",
                "DELETE by alice: model v1 + prompt v1");
    }
}
