package dev.finetune4j.azureopenai;

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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Shared pieces of the Azure OpenAI provider tests: the key, a fake clock that sleepers move, configs. */
final class AzureTestSupport {

    /** An Azure key is 32 hex characters (84 in newer resources); this one is recognisable in any output. */
    static final String KEY = "0123456789abcdef0123456789abcdef";

    /** The v1 API below WireMock's root, which stands for https://NAME.openai.azure.com. */
    static final String V1 = "/openai/v1";

    private AzureTestSupport() {}

    /** A clock that only moves when something sleeps on it, remembering every sleep. */
    static final class FakeTime extends Clock implements Sleeper {
        private volatile Instant now;
        private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        FakeTime() {
            this.now = Instant.parse("2026-11-21T10:00:00Z");
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
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

    /** A configuration whose endpoint is WireMock's root, with the key, no environment and a fake time. */
    static ProviderConfig.Builder config(WireMockExtension wm, FakeTime time) {
        return ProviderConfig.builder()
                .endpoint(URI.create(wm.baseUrl()))
                .apiKey(ApiKey.of(KEY))
                .sleeper(time)
                .clock(time)
                .env(name -> null);
    }

    /** The provider for a configuration. */
    static AzureOpenAiProvider provider(ProviderConfig config) {
        return new AzureOpenAiProviderFactory().create(config);
    }

    /** An environment made of a map. */
    static Function<String, String> env(Map<String, String> vars) {
        return vars::get;
    }

    /** A {@code fine_tuning.job} in Azure's shape. */
    static String job(String id, String status, String extra) {
        return """
                {"object":"fine_tuning.job","id":"%s","model":"gpt-4.1-mini-2025-04-14","created_at":1763719200,
                 "status":"%s","training_file":"file-train","validation_file":"file-val","organization_id":"",
                 "error":null,"fine_tuned_model":null,"finished_at":null,"hyperparameters":null,"result_files":[],
                 "trained_tokens":null,"seed":105,"metadata":null,"user_provided_suffix":null,
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"n_epochs":"auto","batch_size":"auto","learning_rate_multiplier":"auto"}}}%s}
                """.formatted(id, status, extra);
    }
}
