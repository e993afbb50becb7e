package dev.finetune4j.openai;

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

/** Shared pieces of the OpenAI provider tests: the key, a fake clock that sleepers move, configs. */
final class TestSupport {

    static final String KEY = "sk-test-openai-0123456789abcdefghij";

    private TestSupport() {}

    /** A clock that only moves when something sleeps on it, remembering every sleep. */
    static final class FakeTime extends Clock implements Sleeper {
        private volatile Instant now;
        private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        FakeTime(Instant start) {
            this.now = start;
        }

        FakeTime() {
            this(Instant.parse("2026-11-21T10:00:00Z"));
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

    /** A configuration pointing at WireMock's {@code /v1}, with no environment and a fake time. */
    static ProviderConfig.Builder config(WireMockExtension wm, FakeTime time) {
        return ProviderConfig.builder()
                .endpoint(URI.create(wm.baseUrl() + "/v1"))
                .apiKey(ApiKey.of(KEY))
                .sleeper(time)
                .clock(time)
                .env(name -> null);
    }

    /** The provider for a configuration. */
    static OpenAiProvider provider(ProviderConfig config) {
        return new OpenAiProviderFactory().create(config);
    }

    /** An environment made of a map. */
    static Function<String, String> env(Map<String, String> vars) {
        return vars::get;
    }
}
