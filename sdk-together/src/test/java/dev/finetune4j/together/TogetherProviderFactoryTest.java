package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import java.net.URI;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TogetherProviderFactoryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void reset() {
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-1")).willReturn(okJson(TogetherFixtures.job("ft-1", "running",
                "ftj-0123456789ab", ""))));
    }

    @Test
    void descriptor_saysWhatTogetherIs_withoutAKey() {
        ProviderDescriptor d = new TogetherProviderFactory().descriptor();

        assertThat(d.id()).isEqualTo("together");
        assertThat(d.displayName()).isEqualTo("Together AI");
        assertThat(d.environmentVariables()).containsExactly("TOGETHER_API_KEY", "TOGETHER_BASE_URL");
        assertThat(d.endpoint()).hasValueSatisfying(s -> {
            assertThat(s.defaultValue()).hasValue("https://api.together.ai/v1");
            assertThat(s.type()).isEqualTo(ProviderSetting.Type.URL);
        });
        assertThat(d.defaultBaseModel()).hasValue("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.OPENAI);
        assertThat(d.dataRules().applies(DataCheck.NO_REPEATED_ROLE)).isTrue();
        assertThat(d.dataRules().minimumExamples("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"))
                .hasValueSatisfying(m -> assertThat(m.hard()).isEqualTo(1));
        assertThat(d.dataRules().maxTokensPerExample("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"))
                .isEqualTo(OptionalInt.of(131_072));
        assertThat(d.capabilities().values()).containsExactlyInAnyOrder(Capability.TRAINING, Capability.CHAT,
                Capability.VALIDATION_FILE, Capability.CANCEL, Capability.CONTINUE_FROM_FINE_TUNED,
                Capability.DELETE_MODEL, Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG,
                Capability.DEPLOY, Capability.PAUSE_DEPLOYMENT, Capability.PRICE_QUOTE);
        assertThat(d.trainedModelsNeedDeployment()).as("unless served serverless (standingAddress)").isTrue();
        assertThat(d.pricingNote()).hasValueSatisfying(n -> assertThat(n).contains("together.ai/pricing"));
    }

    @Test
    void serviceLoader_findsTheFactory_andProvidersKnowItsDescriptor() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(TogetherProviderFactory.class);
        assertThat(Providers.descriptors()).containsKey("together");
    }

    @Test
    void withoutAKey_creationFails_namingTheVariable() {
        assertThatThrownBy(() -> new TogetherProviderFactory().create(ProviderConfig.builder()
                .env(Map.<String, String>of()::get).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOGETHER_API_KEY");
    }

    @Test
    void theKeyAndBaseUrl_comeFromTheEnvironment_whenTheCodeSetsNone() {
        Map<String, String> env = Map.of("TOGETHER_API_KEY", "tgp_v1_env-key-0123456789",
                "TOGETHER_BASE_URL", wm.baseUrl() + "/v1");

        TogetherProvider p = new TogetherProviderFactory().create(ProviderConfig.builder().env(env::get).build());
        p.getJob("ft-1");

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/ft-1"))
                .withHeader("Authorization", equalTo("Bearer tgp_v1_env-key-0123456789")));
        assertThat(p.toString()).doesNotContain("tgp_v1_env-key");
    }

    @Test
    void codeWins_overTheEnvironment() {
        Map<String, String> env = Map.of("TOGETHER_API_KEY", "tgp_v1_env-key-0123456789",
                "TOGETHER_BASE_URL", "http://127.0.0.1:9/v1");

        new TogetherProviderFactory().create(ProviderConfig.builder().env(env::get)
                .endpoint(URI.create(wm.baseUrl() + "/v1")).apiKey(ApiKey.of("tgp_v1_code-key-0123456789"))
                .build()).getJob("ft-1");

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/ft-1"))
                .withHeader("Authorization", equalTo("Bearer tgp_v1_code-key-0123456789")));
    }

    @Test
    void aBaseUrlThatIsNotAUrl_isRefused_namingWhereItCameFrom() {
        Map<String, String> env = Map.of("TOGETHER_API_KEY", "k-0123456789", "TOGETHER_BASE_URL", "api together ai");

        assertThatThrownBy(() -> new TogetherProviderFactory().create(ProviderConfig.builder().env(env::get).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOGETHER_BASE_URL");
    }
}
