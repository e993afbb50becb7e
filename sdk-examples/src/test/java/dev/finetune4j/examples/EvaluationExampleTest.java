package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EvaluationExampleTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @Test
    void run_v1BeatsTheBaseModelOnHeldOutExamples_andIsPromoted() {
        try (Apps.App app = Apps.start(VersionStores.inMemory(), openai, null)) {
            Trained.v1(app.ft());

            EvaluationExample.Outcome o = EvaluationExample.run(app.ft());

            // The emulated base model answers a sentence, not JSON; v1 answers from its training data.
            assertThat(o.report().summary(EvalTarget.baseModel(), "json-fields").unparseable())
                    .isEqualTo(o.report().items().size());
            assertThat(o.comparison().candidateMean()).isGreaterThan(o.comparison().baselineMean());
            assertThat(o.comparison().difference()).isPositive();
            assertThat(o.report().toText()).contains("v1", "base", "json-fields", "exercise_name");
            assertThat(o.decision().promoted()).as(o.decision().reason()).isTrue();
            assertThat(o.decision().selection().activeModelVersion()).hasValue(1);
            List<TimelineEntry> timeline = app.ft().assistant("voice-parser").timeline().toList();
            assertThat(timeline.get(timeline.size() - 1).reason()).startsWith("nightly evaluation | promoted: eval-");
        }
    }
}
