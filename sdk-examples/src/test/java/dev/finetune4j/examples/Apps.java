package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the example tests build the host application's {@link FineTuning}: providers found by id
 * with ServiceLoader and pointed at the testkit's emulators, and job polls a few milliseconds
 * apart (the emulators move a job one status per poll; waiting seconds between polls would only
 * slow the tests down).
 */
final class Apps {

    /** The shipped sample: 57 good workout voice commands (JSON answers) and 3 broken lines. */
    static final Path SAMPLE = Path.of("..", "samples", "workout-voice-commands.jsonl");
    /** 13 new examples (some in Malay and Chinese) and 2 repeats of the sample. */
    static final Path BATCH2 = Path.of("..", "samples", "workout-voice-commands-batch2.jsonl");

    private Apps() {}

    /** A provider by id, configured as a host app would, with the emulator's URL and a test key. */
    static Provider provider(String id, String baseUrl) {
        return Providers.create(id, ProviderConfig.builder()
                .endpoint(URI.create(baseUrl))
                .apiKey(ApiKey.of("sk-test"))
                .env(name -> null)      // not the developer's real keys or URLs
                .build());
    }

    /** An application on {@code store} talking to the emulators it is given (either may be null). */
    static App start(VersionStore store, OpenAiEmulator openai, MistralEmulator mistral) {
        List<Provider> providers = new ArrayList<>();
        FineTuning.Builder b = FineTuning.builder().store(store).sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5)));
        if (openai != null) {
            providers.add(provider("openai", openai.baseUrl()));
        }
        if (mistral != null) {
            providers.add(provider("mistral", mistral.baseUrl()));
        }
        providers.forEach(b::provider);
        return new App(b.build(), providers);
    }

    /** The library and the providers the app owns; closing closes both. */
    record App(FineTuning ft, List<Provider> providers) implements AutoCloseable {
        @Override
        public void close() {
            ft.close();
            providers.forEach(Provider::close);
        }
    }

    /** How long something took, for the test reports. */
    static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.2f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
