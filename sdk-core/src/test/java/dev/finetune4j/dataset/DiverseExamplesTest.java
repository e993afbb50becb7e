package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiverseExamplesTest {

    private static final String SYSTEM = "You are a voice command parser for workout logging. Reply with JSON only.";
    private final TokenCounter counter = TokenCounter.forModel("gpt-4o-mini-2024-07-18");

    /** Three topics, twenty near-identical examples each: a diverse pick takes one of each first. */
    private static List<Example> clustered() {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(Example.of(Message.system(SYSTEM), Message.user("bench press " + (100 + i) + " for 8"),
                    Message.assistant("{\"exercise\":\"bench press\",\"weight\":" + (100 + i) + ",\"reps\":8}")));
            out.add(Example.of(Message.system(SYSTEM), Message.user("ran " + (3 + i) + " km in the park this morning"),
                    Message.assistant("{\"activity\":\"running\",\"distance_km\":" + (3 + i) + "}")));
            out.add(Example.of(Message.system(SYSTEM), Message.user("plank hold " + (30 + i) + " seconds, twice"),
                    Message.assistant("{\"exercise\":\"plank\",\"seconds\":" + (30 + i) + ",\"sets\":2}")));
        }
        return out;
    }

    private static String topic(Example e) {
        String user = e.messages().get(1).content().orElseThrow();
        return user.startsWith("bench") ? "bench" : user.startsWith("ran") ? "run" : "plank";
    }

    @Test
    void diverseExamples_coverEveryTopicBeforeRepeatingOne_andAreTheSameEveryTime() {
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).build()) {
            ft.createAssistant("ava", "openai", "gpt-4o-mini-2024-07-18");
            Dataset ds = ft.dataset("ava", "main");
            DatasetVersion v = ds.append(clustered(), null).version().orElseThrow();

            List<Example> three = ds.diverseExamples(v, 3, 10_000, counter);

            assertThat(three).extracting(DiverseExamplesTest::topic).containsExactlyInAnyOrder("bench", "run", "plank");
            assertThat(ds.diverseExamples(v, 3, 10_000, counter)).isEqualTo(three);
            // a larger k starts with the same picks (greedy), then repeats topics
            assertThat(ds.diverseExamples(v, 5, 10_000, counter).subList(0, 3)).isEqualTo(three);
        }
    }

    @Test
    void diverseExamples_stayWithinTheTokenBudget() {
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).build()) {
            ft.createAssistant("ava", "openai", "gpt-4o-mini-2024-07-18");
            Dataset ds = ft.dataset("ava", "main");
            DatasetVersion v = ds.append(clustered(), null).version().orElseThrow();
            int one = counter.count(ds.diverseExamples(v, 1, 10_000, counter).get(0));

            List<Example> fitted = ds.diverseExamples(v, 10, 2 * one + one / 2, counter);

            assertThat(fitted.stream().mapToInt(counter::count).sum()).isLessThanOrEqualTo(2 * one + one / 2);
            assertThat(fitted).hasSizeBetween(1, 3);
            assertThat(ds.diverseExamples(v, 3, 1, counter)).isEmpty();
            assertThatThrownBy(() -> ds.diverseExamples(v, 0, 100, counter))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("were 0 and 100");
        }
    }
}
