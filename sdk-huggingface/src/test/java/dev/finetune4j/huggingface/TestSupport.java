package dev.finetune4j.huggingface;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared pieces of the Hugging Face provider tests: the token, a fake clock that sleepers move, configs. */
final class TestSupport {

    static final String TOKEN = "hf_test_token_0123456789abcdefghijklmn";
    static final String NS = "acme";

    private TestSupport() {}

    /** A clock that only moves when something sleeps on it, remembering every sleep. */
    static final class FakeTime extends Clock implements Sleeper {
        private volatile Instant now = Instant.parse("2026-11-21T10:00:00Z");
        private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        List<Duration> sleeps() {
            return List.copyOf(sleeps);
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

    /** A configuration pointing the Hub at WireMock, namespace {@value #NS}, no environment, fake time. */
    static ProviderConfig.Builder config(WireMockExtension wm, FakeTime time) {
        return ProviderConfig.builder()
                .endpoint(URI.create(wm.baseUrl()))
                .apiKey(ApiKey.of(TOKEN))
                .setting("namespace", NS)
                .setting("logs_idle_seconds", "2")
                .setting("logs_max_seconds", "10")
                .sleeper(time)
                .clock(time)
                .env(name -> null);
    }

    /** The provider for a configuration. */
    static HuggingFaceProvider provider(ProviderConfig config) {
        return new HuggingFaceProviderFactory().create(config);
    }

    /** A job object as the Jobs API returns it, for the default command of our job {@code tag}. */
    static String job(String id, String stage, String message, String tag) {
        return """
                {"id":"%s","createdAt":"2026-11-21T10:00:05.123Z",%s
                 "dockerImage":"huggingface/trl:1.9.0",
                 "owner":{"id":"u1","name":"acme","type":"user"},
                 "command":["bash","-c","...","finetune4j-sft","--model_name_or_path","Qwen/Qwen2.5-0.5B-Instruct",
                   "--dataset_name","acme/huggingface-data","--use_peft","--lora_r","16","--lora_alpha","32",
                   "--num_train_epochs","3","--learning_rate","0.0002","--push_to_hub",
                   "--hub_model_id","acme/huggingface-%s"],
                 "arguments":[],"environment":{"PYTHONUNBUFFERED":"1"},"secrets":["HF_TOKEN"],
                 "flavor":"a10g-small","timeoutSeconds":7200,
                 "labels":{"finetune4j_job":"%s","finetune4j_assistant":"huggingface"},
                 "status":{"stage":"%s","message":%s}}
                """.formatted(id, "COMPLETED".equals(stage) || "ERROR".equals(stage)
                        ? "\"finishedAt\":\"2026-11-21T10:40:00Z\"," : "", tag, tag, stage,
                message == null ? "null" : "\"" + message + "\"");
    }
}
