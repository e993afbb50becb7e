package dev.finetune4j.mistral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MistralProviderFactoryTest {

    private static ProviderConfig.Builder withEnv(Map<String, String> env) {
        return ProviderConfig.builder().env(env::get);
    }

    @Test
    void serviceLoader_findsTheFactoryUnderTheIdMistral() {
        assertThat(Providers.factories()).containsKey("mistral");
        assertThat(Providers.factories().get("mistral")).isInstanceOf(MistralProviderFactory.class);
    }

    @Test
    void create_keyAndBaseUrlFromTheEnvironment() {
        Provider p = new MistralProviderFactory().create(withEnv(Map.of(
                "MISTRAL_API_KEY", "env-key-0123456789abcdef", "MISTRAL_BASE_URL", "http://localhost:9999/")).build());

        assertThat(p.id()).isEqualTo("mistral");
        assertThat(((MistralProvider) p).baseUrl()).isEqualTo(URI.create("http://localhost:9999"));
    }

    @Test
    void create_withoutBaseUrl_usesApiMistralAi() {
        MistralProvider p = MistralProvider.create(withEnv(Map.of("MISTRAL_API_KEY", "k")).build());

        assertThat(p.baseUrl()).isEqualTo(URI.create("https://api.mistral.ai"));
    }

    @Test
    void create_configWinsOverTheEnvironment() {
        MistralProvider p = MistralProvider.create(withEnv(Map.of("MISTRAL_BASE_URL", "http://env:1"))
                .apiKey(ApiKey.of("config-key")).endpoint(URI.create("http://config:2")).build());

        assertThat(p.baseUrl()).isEqualTo(URI.create("http://config:2"));
    }

    @Test
    void create_withoutKey_failsNamingTheVariable() {
        assertThatThrownBy(() -> new MistralProviderFactory().create(withEnv(Map.of()).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MISTRAL_API_KEY");
    }

    @Test
    void create_badBaseUrl_failsNamingTheVariable() {
        assertThatThrownBy(() -> MistralProvider.create(withEnv(Map.of("MISTRAL_API_KEY", "k",
                "MISTRAL_BASE_URL", "api.mistral.ai")).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MISTRAL_BASE_URL");
    }

    @Test
    void capabilities_rulesAndFormat() {
        MistralProvider p = MistralProvider.create(withEnv(Map.of("MISTRAL_API_KEY", "secret-key-0123456789")).build());

        assertThat(p.capabilities()).isEqualTo(new Capabilities(true, true, false, false, true, true, true, true, true));
        assertThat(p.rules()).isEqualTo(RuleSet.MISTRAL);
        assertThat(p.uploadFormat()).isEqualTo(DatasetFormat.MISTRAL);
        assertThat(p.toString()).doesNotContain("secret");
    }
}
