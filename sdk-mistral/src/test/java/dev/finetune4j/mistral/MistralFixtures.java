package dev.finetune4j.mistral;

import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.spi.ProviderConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the Mistral tests share: a fake clock that sleepers move, a provider for a WireMock server, job JSON. */
final class MistralFixtures {

    static final ApiKey KEY = ApiKey.of("mistral-test-key-0123456789abcdef");
    static final String BEARER = "Bearer " + KEY.value();
    static final long CREATED = 1_763_719_200L;

    private MistralFixtures() {}

    /** A clock that only moves when something sleeps on it, and remembers every sleep: nothing sleeps for real. */
    static final class ManualTime extends Clock implements Sleeper {
        volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A provider talking to {@code baseUrl}, with no environment at all. */
    static MistralProvider provider(String baseUrl, ManualTime time) {
        return MistralProvider.create(ProviderConfig.builder()
                .endpoint(URI.create(baseUrl))
                .apiKey(KEY)
                .clock(time)
                .sleeper(time)
                .env(Map.<String, String>of()::get)
                .build());
    }

    /**
     * A Mistral job object ({@code CompletionDetailedJobOut}) with the given status and suffix; {@code
     * extra} is appended as further fields (e.g. {@code "metadata": {...}}) and may be empty.
     */
    static String job(String id, String status, String suffix, String extra) {
        return """
                {"id": "%s", "object": "job", "auto_start": false, "model": "open-mistral-7b", "status": "%s",
                 "job_type": "completion", "created_at": %d, "modified_at": %d,
                 "training_files": ["file-train"], "validation_files": ["file-val"], "fine_tuned_model": null,
                 "suffix": %s, "integrations": [], "trained_tokens": null,
                 "hyperparameters": {"training_steps": 10, "learning_rate": 0.0001, "weight_decay": 0.1,
                                     "warmup_fraction": 0.05, "epochs": null, "seq_len": null, "fim_ratio": 0.9}%s}
                """.formatted(id, status, CREATED, CREATED + 60, suffix == null ? "null" : "\"" + suffix + "\"",
                extra.isEmpty() ? "" : ", " + extra);
    }

    /** The {@code metadata} of a validated job, as Mistral prices it. */
    static final String METADATA = """
            "metadata": {"expected_duration_seconds": 220, "cost": 10.5, "cost_currency": "EUR",
                         "train_tokens_per_step": 131072, "train_tokens": 1310720, "data_tokens": 305375,
                         "estimated_start_time": null}""";
}
