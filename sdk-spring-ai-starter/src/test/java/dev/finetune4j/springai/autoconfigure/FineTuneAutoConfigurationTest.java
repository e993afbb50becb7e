package dev.finetune4j.springai.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.springai.FineTuneAdvisor;
import dev.finetune4j.springai.FineTuneChatModel;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter in Spring contexts started by Boot's test support, on a file store where two
 * versions of an assistant were trained on the testkit's OpenAI emulator (as an app's CLI or
 * admin job would have done), with the provider configured by the environment.
 */
class FineTuneAutoConfigurationTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.builder().resetBeforeEachTest(false).build();

    @TempDir
    static Path storeDir;

    private static String question;
    private static String answerOfV1;
    private static String answerOfV2;

    private static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FineTuneAutoConfiguration.class))
                .withPropertyValues("finetune4j.store.dir=" + storeDir, "finetune4j.assistants=coach",
                        // as the environment variables would: the library reads them through Spring's Environment
                        "OPENAI_BASE_URL=" + openai.baseUrl(), "OPENAI_API_KEY=sk-test");
    }

    @BeforeAll
    static void trainTwoVersions() {
        try (Provider provider = Providers.create("openai", ProviderConfig.builder()
                        .endpoint(URI.create(openai.baseUrl())).apiKey(ApiKey.of("sk-test")).build());
                VersionStore store = VersionStores.file(storeDir);
                FineTuning ft = FineTuning.builder().store(store).provider(provider).sleeper(d -> Thread.sleep(5))
                        .build()) {
            ft.createAssistant("coach", "openai", "gpt-4o-mini-2024-07-18");
            Dataset first = dataset(ft, "first", "[v1] Three sets.");
            Dataset second = dataset(ft, "second", "[v2] Five sets.");
            int v1 = train(ft, "first");
            int v2 = train(ft, "second");
            question = trainQuestions(second).stream().filter(trainQuestions(first)::contains).findFirst()
                    .orElseThrow();
            answerOfV1 = "[v1] Three sets. (" + question + ")";
            answerOfV2 = "[v2] Five sets. (" + question + ")";
            ft.assistant("coach").activate(v1, Change.by("test", "first"));
            ft.assistant("coach").activate(v2, Change.by("test", "second"));
        }
    }

    private static Dataset dataset(FineTuning ft, String name, String answer) {
        List<Example> examples = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String q = "How many sets of exercise " + i + " should I do?";
            examples.add(Example.of(Message.user(q), Message.assistant(answer + " (" + q + ")")));
        }
        Dataset d = ft.dataset("coach", name);
        d.append(examples, name);
        return d;
    }

    private static int train(FineTuning ft, String dataset) {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("coach", dataset).build())
                .awaitCompletion(Duration.ofMinutes(1));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        return job.modelVersion().orElseThrow();
    }

    private static List<String> trainQuestions(Dataset d) {
        try (Stream<Example> train = d.examples(d.latest().orElseThrow(), Split.TRAIN)) {
            return train.map(e -> e.messages().get(0).content().orElseThrow()).toList();
        }
    }

    @Test
    void aChatClient_isAnsweredByTheActiveVersion_andARollbackShowsOnTheNextCall() {
        runner().run(context -> {
            ChatModel model = context.getBean(ChatModel.class);
            ChatClient chat = ChatClient.builder(model).defaultAdvisors(new FineTuneAdvisor()).build();
            FineTuning ft = context.getBean(FineTuning.class);
            try {
                ChatClientResponse before = chat.prompt().user(question).call().chatClientResponse();
                ft.assistant("coach").rollback(Change.by("ops", "v2 regressed"));
                ChatClientResponse after = chat.prompt().user(question).call().chatClientResponse();

                assertThat(before.chatResponse().getResult().getOutput().getText()).isEqualTo(answerOfV2);
                assertThat(((ServedBy) before.context().get(FineTuneAdvisor.SERVED_BY)).modelVersion()).isEqualTo(2);
                assertThat(after.chatResponse().getResult().getOutput().getText()).isEqualTo(answerOfV1);
                assertThat(((ServedBy) after.context().get(FineTuneAdvisor.SERVED_BY)).modelVersion()).isEqualTo(1);
            } finally {
                ft.assistant("coach").activate(2, Change.by("test", "back to v2"));
            }
        });
    }

    @Test
    void eachConfiguredAssistant_getsARouterAndAChatModel_closedWithTheContext() {
        List<ChatRouter> routers = new ArrayList<>();
        runner().withPropertyValues("finetune4j.assistants=coach,helper").run(context -> {
            assertThat(context).hasBean("coachChatRouter").hasBean("helperChatRouter")
                    .hasBean("coachChatModel").hasBean("helperChatModel");
            routers.add(context.getBean("coachChatRouter", ChatRouter.class));
            routers.add(context.getBean("helperChatRouter", ChatRouter.class));
            assertThat(context.getBean("helperChatModel", FineTuneChatModel.class).getDefaultOptions().getModel())
                    .isEqualTo("helper");
            assertThat(routers.get(0).chat(ChatRequest.of("coach", question)).content()).isEqualTo(answerOfV2);
        });

        assertThat(routers).allSatisfy(r -> assertThatThrownBy(() -> r.chat(ChatRequest.of("coach", question)))
                .isInstanceOf(IllegalStateException.class));
    }

    @Test
    void nothingRuns_thatTheAppDidNotAskFor_andTheTrackerStopsWithTheContext() throws InterruptedException {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(JobTrackerLifecycle.class);
            assertThat(trackerThreads()).isEmpty();
        });

        List<JobTrackerLifecycle> trackers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        runner().withPropertyValues("finetune4j.jobs.tracker.enabled=true").run(context -> {
            JobTrackerLifecycle tracker = context.getBean(JobTrackerLifecycle.class);
            trackers.add(tracker);
            threads.addAll(trackerThreads());
            assertThat(tracker.isRunning()).isTrue();
        });

        assertThat(trackers.get(0).isRunning()).isFalse();
        assertThat(threads).hasSize(1);
        // close() waited for the tracker's work to end; the thread itself is gone right after
        threads.get(0).join(10_000);
        assertThat(threads.get(0).isAlive()).isFalse();
    }

    private static List<Thread> trackerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("finetune4j-job-tracker") && t.isAlive()).toList();
    }

    @Test
    void theHealthIndicator_isThereWithActuator_andSaysWhatIsMissing() {
        runner().run(context -> {
            Health health = context.getBean("finetune4jHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("tenant", "default").containsEntry("job_tracker", "off");
        });
        runner().withPropertyValues("finetune4j.assistants=coach,ghost").run(context -> {
            Health health = context.getBean("finetune4jHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("missing_assistants", List.of("ghost"));
        });
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean(FineTuneHealthIndicator.class)
                        .hasSingleBean(FineTuning.class));
    }

    @Test
    void theTenant_bindsEveryBean_andTheStoreKeepsTenantsApart() {
        runner().withPropertyValues("finetune4j.tenant=acme").run(context -> {
            FineTuning ft = context.getBean(FineTuning.class);
            assertThat(ft.tenant().id()).isEqualTo("acme");
            assertThat(ft.assistants()).doesNotContain("coach");
            assertThat(context.getBean("finetune4jHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    @Test
    void aJdbcStore_usesTheApplicationsDataSource_andWithoutOneTheContextSaysSo() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            runner().withPropertyValues("finetune4j.store.type=jdbc")
                    .withBean(DataSource.class, () -> dataSource)
                    .run(context -> {
                        FineTuning ft = context.getBean(FineTuning.class);
                        ft.createAssistant("coach", "openai", "gpt-4o-mini-2024-07-18");
                        assertThat(ft.assistants()).containsExactly("coach");
                    });
            try (var c = dataSource.getConnection(); var rs = c.createStatement()
                    .executeQuery("select count(*) from ft4j_revisions")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
            // an application schema, and tables the application's migrations tool must have created
            runner().withPropertyValues("finetune4j.store.type=jdbc", "finetune4j.store.schema=coach_app")
                    .withBean(DataSource.class, () -> dataSource)
                    .run(context -> context.getBean(FineTuning.class).createAssistant("coach", "openai",
                            "gpt-4o-mini-2024-07-18"));
            try (var c = dataSource.getConnection(); var rs = c.createStatement()
                    .executeQuery("select count(*) from coach_app.ft4j_revisions")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
            runner().withPropertyValues("finetune4j.store.type=jdbc", "finetune4j.store.schema=unmigrated",
                            "finetune4j.store.create-tables=false")
                    .withBean(DataSource.class, () -> dataSource)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("not in schema unmigrated"));
        }
        runner().withPropertyValues("finetune4j.store.type=jdbc").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("finetune4j.store.type=jdbc needs a DataSource"));
        assertThat(Files.exists(storeDir)).isTrue();
    }
}
