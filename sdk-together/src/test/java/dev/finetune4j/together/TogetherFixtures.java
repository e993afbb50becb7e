package dev.finetune4j.together;

import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
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

/** What the Together tests share: a clock that sleepers move, a provider for a WireMock server, job JSON. */
final class TogetherFixtures {

    static final ApiKey KEY = ApiKey.of("tgp_v1_test-key-0123456789abcdef");
    static final String BEARER = "Bearer " + KEY.value();

    private TogetherFixtures() {}

    /** A clock that only moves when something sleeps on it: nothing sleeps for real. */
    static final class ManualTime extends Clock implements Sleeper {
        volatile Instant now = Instant.parse("2026-05-04T10:00:00Z");
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

    /** A provider talking to {@code baseUrl} (with {@code /v1}), with no environment at all. */
    static TogetherProvider provider(String baseUrl) {
        ManualTime time = new ManualTime();
        return new TogetherProviderFactory().create(ProviderConfig.builder()
                .endpoint(URI.create(baseUrl))
                .apiKey(KEY)
                .retry(RetryOptions.builder().maxRetries(2).build())
                .clock(time)
                .sleeper(time)
                .env(Map.<String, String>of()::get)
                .build());
    }

    /** A Together job ({@code FinetuneResponse}); {@code extra} is appended as further fields and may be empty. */
    static String job(String id, String status, String suffix, String extra) {
        return """
                {"id": "%s", "status": "%s", "model": "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
                 "model_output_name": "acme/Meta-Llama-3.1-8B-Instruct-Reference-%s-7f3a2b1c",
                 "suffix": "%s", "training_file": "file-train", "created_at": "2026-05-04T10:00:00.123Z",
                 "updated_at": "2026-05-04T10:42:00Z", "n_epochs": 3, "n_checkpoints": 1, "batch_size": 8,
                 "learning_rate": 0.00001,
                 "training_type": {"type": "Lora", "lora_r": 64, "lora_alpha": 128, "lora_dropout": 0.0,
                                   "lora_trainable_modules": "all-linear"},
                 "training_method": {"method": "sft", "train_on_inputs": "auto"}%s}
                """.formatted(id, status, suffix, suffix, extra.isEmpty() ? "" : ", " + extra);
    }

    /** The limits Together gives for the default base model. */
    static final String LIMITS = """
            {"model_name": "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
             "full_training": {"max_batch_size": 24, "max_batch_size_dpo": 8, "min_batch_size": 8},
             "lora_training": {"max_batch_size": 32, "max_batch_size_dpo": 16, "min_batch_size": 8, "max_rank": 64,
                               "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]},
             "max_num_epochs": 20, "max_num_evals": 100, "max_learning_rate": 1.0, "min_learning_rate": 1e-8,
             "supports_vision": false, "supports_tools": true, "supports_reasoning": false,
             "merge_output_lora": false}
            """;
}
