package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.azureopenai.AzureTestSupport.KEY;
import static dev.finetune4j.azureopenai.AzureTestSupport.V1;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static dev.finetune4j.azureopenai.AzureTestSupport.env;
import static dev.finetune4j.azureopenai.AzureTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.FileEncoding;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Configuration: endpoint, the three ways to authenticate, settings, discovery and what the provider declares. */
class AzureOpenAiProviderFactoryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();

    @BeforeEach
    void stub() {
        wm.resetAll();
        wm.stubFor(get(V1 + "/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", "queued", ""))));
    }

    private static ProviderConfig.Builder bare() {
        return ProviderConfig.builder().env(name -> null);
    }

    @Test
    void apiKey_isSentAsTheApiKeyHeader_toTheV1RoutesBelowTheEndpoint_withoutApiVersion() {
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());

        azure.getJob("ftjob-1");

        wm.verify(getRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs/ftjob-1"))
                .withHeader("api-key", equalTo(KEY))
                .withHeader("Authorization", absent())
                .withQueryParam("api-version", absent()));
    }

    @Test
    void endpoint_fromTheEnvironment_acceptsATrailingOpenAiV1AndSlash() {
        Provider azure = new AzureOpenAiProviderFactory().create(bare().env(env(Map.of(
                "AZURE_OPENAI_ENDPOINT", wm.baseUrl() + "/openai/v1/", "AZURE_OPENAI_API_KEY", KEY))).build());

        ((AzureOpenAiProvider) azure).getJob("ftjob-1");

        assertThat(azure.toString()).isEqualTo("AzureOpenAiProvider[" + wm.baseUrl() + V1 + "]");
        wm.verify(getRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs/ftjob-1")).withHeader("api-key", equalTo(KEY)));
    }

    @Test
    void adTokenFromTheEnvironment_isSentAsBearer_whenThereIsNoKey() {
        AzureOpenAiProvider azure = new AzureOpenAiProviderFactory().create(bare().env(env(Map.of(
                "AZURE_OPENAI_ENDPOINT", wm.baseUrl(), "AZURE_OPENAI_AD_TOKEN", "eyJ0eXAiOiJKV1QifQ.entra.token")))
                .build());

        azure.getJob("ftjob-1");

        wm.verify(getRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo("Bearer eyJ0eXAiOiJKV1QifQ.entra.token"))
                .withHeader("api-key", absent()));
    }

    @Test
    void tokenSupplier_isAskedOncePerCall_andWinsOverTheKey() {
        AtomicInteger asked = new AtomicInteger();
        AzureOpenAiProvider azure = AzureOpenAiProviderFactory
                .withDataPlaneTokens(() -> ApiKey.of("entra-token-" + asked.incrementAndGet()))
                .create(config(wm, time).build());

        azure.getJob("ftjob-1");
        azure.getJob("ftjob-1");

        assertThat(asked).hasValue(2);
        wm.verify(getRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo("Bearer entra-token-1")).withHeader("api-key", absent()));
        wm.verify(getRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo("Bearer entra-token-2")));
    }

    @Test
    void missingEndpointOrCredential_failsNamingTheVariables() {
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(bare().apiKey(ApiKey.of(KEY)).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AZURE_OPENAI_ENDPOINT").hasMessageContaining("https://YOUR-RESOURCE.openai.azure.com");
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(bare().endpoint(URI.create(wm.baseUrl()))
                .build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no Azure OpenAI credential: set the environment variable AZURE_OPENAI_API_KEY")
                .hasMessageContaining("AZURE_OPENAI_AD_TOKEN");
    }

    @Test
    void badSettings_failAtCreate_namingWhereTheyCameFrom() {
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(config(wm, time)
                .env(env(Map.of("AZURE_OPENAI_TRAINING_TYPE", "premium"))).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("environment variable AZURE_OPENAI_TRAINING_TYPE: azure-openai training type "
                        + "'premium' is not one of standard");
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(config(wm, time)
                .setting("file_processing_timeout_seconds", "0").build()))
                .hasMessage("setting file_processing_timeout_seconds is '0'; it must be a whole number of seconds, "
                        + "at least 1");
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(config(wm, time)
                .setting("max_tokens_field", "tokens").build()))
                .hasMessage("setting max_tokens_field is 'tokens'; use max_completion_tokens or max_tokens");
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(bare().endpoint(URI.create(wm.baseUrl()))
                .env(env(Map.of("AZURE_OPENAI_API_KEY", "has space"))).build()))
                .hasMessageStartingWith("environment variable AZURE_OPENAI_API_KEY: api key contains a whitespace");
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(bare().apiKey(ApiKey.of(KEY))
                .env(env(Map.of("AZURE_OPENAI_ENDPOINT", "ftp://example.org"))).build()))
                .hasMessageContaining("not an absolute http(s) URL").hasMessageContaining("AZURE_OPENAI_ENDPOINT");
    }

    @Test
    void serviceLoader_findsItById() {
        Provider azure = Providers.create("azure-openai", config(wm, time).build());

        assertThat(azure).isInstanceOf(AzureOpenAiProvider.class);
        assertThat(azure.id()).isEqualTo("azure-openai");
        assertThat(Providers.descriptors()).containsKey("azure-openai");
    }

    @Test
    void descriptor_declaresTheBomEncoding_deploymentNeed_rulesAndCapabilities() {
        ProviderDescriptor d = new AzureOpenAiProviderFactory().descriptor();

        assertThat(d.id()).isEqualTo("azure-openai");
        assertThat(d.displayName()).isEqualTo("Azure OpenAI");
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.OPENAI);
        assertThat(d.uploadEncoding()).isEqualTo(FileEncoding.UTF_8_WITH_BOM);
        assertThat(d.trainedModelsNeedDeployment()).isTrue();
        assertThat(d.defaultBaseModel()).contains("gpt-4.1-mini-2025-04-14");
        assertThat(d.apiKey()).map(ProviderSetting::required).contains(false);
        assertThat(d.endpoint()).map(ProviderSetting::required).contains(true);
        assertThat(d.environmentVariables()).startsWith("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
                "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_TRAINING_TYPE");
        assertThat(d.setting("ad_token")).map(ProviderSetting::type).contains(ProviderSetting.Type.SECRET);
        assertThat(d.dataRules().minimumExamples("gpt-4o-mini-2024-07-18")).map(MinimumExamples::hard).contains(10);
        assertThat(d.dataRules().maxTokensPerExample("gpt-4.1-nano-2025-04-14")).hasValue(32_768);
        assertThat(d.dataRules().maxTokensPerExample("gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef"))
                .hasValue(65_536);
        assertThat(d.capabilities().has(Capability.PAUSE_RESUME)).isTrue();
        assertThat(d.capabilities().has(Capability.FIND_BY_TAG)).isTrue();
        assertThat(d.capabilities().has(Capability.DELETE_MODEL)).isFalse();
        assertThat(d.capabilities().has(Capability.COST_PREVIEW)).isFalse();
        assertThat(d).isSameAs(AzureOpenAiProviderFactory.DESCRIPTOR);
    }
}
