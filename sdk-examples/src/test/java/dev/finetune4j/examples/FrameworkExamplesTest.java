package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.assistant.Change;
import dev.finetune4j.examples.frameworks.LangChain4jExample;
import dev.finetune4j.examples.frameworks.SpringAiExample;
import dev.finetune4j.springai.autoconfigure.FineTuneAutoConfiguration;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The LangChain4j and Spring AI examples, on versions trained on the testkit's OpenAI emulator. */
class FrameworkExamplesTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    private static final String BENCH = "bench press 225 for 8 at RPE 8";
    private static final String SQUAT = "squat 315 for 5";

    @Test
    void langChain4j_anAiServiceConversation_isAnsweredByTheVersionActiveAtEachTurn() {
        try (Apps.App app = Apps.start(VersionStores.inMemory(), openai, null)) {
            Trained.v1(app.ft());
            Trained.v2(app.ft());

            LangChain4jExample.Turns turns = LangChain4jExample.run(app.ft(), BENCH, SQUAT);

            assertThat(turns.firstBy().modelVersion()).isEqualTo(1);
            assertThat(turns.secondBy().modelVersion()).isEqualTo(2);
            assertThat(turns.first()).contains("\"exercise_name\":\"Barbell Bench Press\"");
            assertThat(turns.second()).contains("\"exercise_name\":\"Barbell Back Squat\"");
        }
    }

    @Test
    void springAi_theStartersChatModel_answersWithTheActiveVersion(@TempDir Path store) {
        try (Apps.App app = Apps.start(VersionStores.file(store), openai, null)) {
            Trained.v1(app.ft());
            Trained.v2(app.ft());
            app.ft().assistant("voice-parser").activate(2, Change.by("alice", "v2 live"));
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FineTuneAutoConfiguration.class))
                .withPropertyValues("finetune4j.store.dir=" + store, "finetune4j.assistants=voice-parser",
                        "OPENAI_BASE_URL=" + openai.baseUrl(), "OPENAI_API_KEY=sk-test")
                .withBean(SpringAiExample.class)   // its constructor takes the starter's ChatModel
                .run(context -> {
                    SpringAiExample.Parsed parsed = context.getBean(SpringAiExample.class).parse("user-7", SQUAT);

                    assertThat(parsed.servedBy().modelVersion()).isEqualTo(2);
                    assertThat(parsed.json()).contains("\"exercise_name\":\"Barbell Back Squat\"");
                });
    }
}
