package com.example.hostapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host app's test, as README.md's "Testing your integration" says to write one: the whole path
 * (import, train, activate, chat) on the embedded file store and finetune4j-testkit's OpenAI
 * emulator, with no network and no key. It also proves where finetune4j came from: the jars the
 * invoker installed into the test repository, not the reactor's classes.
 */
class HostAppTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    @Test
    void trainsActivatesAndAnswers_onTheEmulator() throws IOException {
        Path examples = dir.resolve("commands.jsonl");
        Files.write(examples, commands(20));
        Provider provider = Providers.create("openai", ProviderConfig.builder()
                .endpoint(URI.create(openai.baseUrl()))
                .apiKey(ApiKey.of("sk-test"))
                .build());
        try (provider;
                FineTuning ft = FineTuning.builder()
                        .store(VersionStores.file(dir.resolve("store")))
                        .provider(provider)
                        .sleeper(d -> Thread.sleep(10))
                        .build();
                VoiceParser parser = new VoiceParser(ft)) {
            FineTuneJob job = parser.train(examples, "openai", "gpt-4o-mini-2024-07-18");
            assertEquals(JobStatus.SUCCEEDED, job.status());
            assertEquals(1, job.modelVersion().orElseThrow());

            Example trained = firstTrainingExample(ft.dataset(VoiceParser.ASSISTANT + "/main"));
            String command = trained.messages().get(1).content().orElseThrow();
            // A fine-tuned emulated model answers with the training example closest to the question.
            assertEquals(trained.messages().get(2).content().orElseThrow(), parser.parse(command));
        }
        assertEquals(1, openai.jobs().size());
        assertEquals("succeeded", openai.jobs().get(0).status());
    }

    @Test
    void finetune4jComesFromTheInstalledJars_withTheirModuleNames() throws IOException {
        String version = System.getProperty("finetune4j.version");
        assertJar(FineTuning.class, "finetune4j-core-" + version + ".jar", "dev.finetune4j.core");
        assertJar(OpenAiEmulator.class, "finetune4j-testkit-" + version + ".jar", "dev.finetune4j.testkit");
    }

    private static void assertJar(Class<?> type, String fileName, String moduleName) throws IOException {
        Path jar;
        try {
            jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
        assertEquals(fileName, jar.getFileName().toString());
        assertTrue(jar.toString().contains("local-repo"), jar + " is not in the test repository");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals(moduleName, file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }

    private static Example firstTrainingExample(Dataset main) {
        try (Stream<Example> train = main.examples(main.latest().orElseThrow(), Split.TRAIN)) {
            return train.findFirst().orElseThrow();
        }
    }

    private static List<String> commands(int n) {
        String[] exercises = {"squats", "push-ups", "lunges", "burpees", "sit-ups"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String exercise = exercises[i % exercises.length];
            int reps = 5 + i;
            lines.add("{\"messages\":["
                    + "{\"role\":\"system\",\"content\":\"Turn a workout command into JSON.\"},"
                    + "{\"role\":\"user\",\"content\":\"log " + reps + " " + exercise + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"{\\\"exercise\\\":\\\"" + exercise
                    + "\\\",\\\"reps\\\":" + reps + "}\"}]}");
        }
        return lines;
    }
}
