package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.cost.Money;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.Tenant;
import dev.finetune4j.spi.ProviderCache;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceFactoryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    @Test
    void serviceLoader_findsTheFactory_andTheEnvironmentConfiguresIt() {
        assertThat(Providers.factories()).containsKey("huggingface");
        Map<String, String> env = Map.of("HF_TOKEN", TestSupport.TOKEN, "HF_ENDPOINT", wm.baseUrl(),
                "HF_SERVING_URL", wm.baseUrl() + "/v1");
        wm.stubFor(get("/api/whoami-v2").willReturn(okJson("{\"name\":\"envuser\"}")));

        HuggingFaceProvider hf = (HuggingFaceProvider) Providers.create("huggingface",
                ProviderConfig.builder().env(env::get).sleeper(time).clock(time).build());

        assertThat(hf.id()).isEqualTo("huggingface");
        assertThat(hf.namespace()).isEqualTo("envuser");
        wm.verify(getRequestedFor(urlPathEqualTo("/api/whoami-v2"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN)));
        assertThat(hf.toString()).contains(wm.baseUrl() + "/v1").doesNotContain(TestSupport.TOKEN);
    }

    @TempDir
    Path home;

    @Test
    void withoutAToken_creationFails_namingHfTokenAndTheTokenFile() {
        Map<String, String> env = Map.of("HOME", home.toString());
        assertThatThrownBy(() -> new HuggingFaceProviderFactory().create(ProviderConfig.builder().env(env::get).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HF_TOKEN")
                .hasMessageContaining("hf auth login")
                .hasMessageContaining(home.resolve(".cache/huggingface/token").toString());
    }

    /** The token found where huggingface_hub's get_token() looks, in its order, and sent to whoami. */
    @Test
    void theToken_isReadFromTheEnvironmentThenTheLoginFile_asTheOfficialClientReadsIt() throws Exception {
        wm.stubFor(get("/api/whoami-v2").willReturn(okJson("{\"name\":\"someone\"}")));
        Path hfHome = Files.createDirectories(home.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "  hf_from_file_0123456789\r\n");
        Path xdg = Files.createDirectories(home.resolve("xdg/huggingface"));
        Files.writeString(xdg.resolve("token"), "hf_from_xdg_0123456789\n");
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_home_0123456789");
        Path explicit = home.resolve("elsewhere-token");
        Files.writeString(explicit, "hf_from_token_path_0123456789");
        String hub = wm.baseUrl();

        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "HF_TOKEN", "hf_env_0123456789",
                "HUGGING_FACE_HUB_TOKEN", "hf_legacy_0123456789", "HF_HOME", hfHome.toString())))
                .isEqualTo("hf_env_0123456789");
        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "HUGGING_FACE_HUB_TOKEN", "hf_legacy_0123456789",
                "HF_HOME", hfHome.toString()))).isEqualTo("hf_legacy_0123456789");
        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "HF_TOKEN", " ", "HF_HOME", hfHome.toString(),
                "HOME", home.toString()))).isEqualTo("hf_from_file_0123456789");
        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "HF_TOKEN_PATH", explicit.toString(),
                "HF_HOME", hfHome.toString()))).isEqualTo("hf_from_token_path_0123456789");
        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "XDG_CACHE_HOME", home.resolve("xdg").toString(),
                "HOME", home.toString()))).isEqualTo("hf_from_xdg_0123456789");
        assertThat(tokenSent(Map.of("HF_ENDPOINT", hub, "HOME", home.toString()))).isEqualTo("hf_from_home_0123456789");
    }

    private String tokenSent(Map<String, String> env) {
        wm.resetRequests();
        HuggingFaceProvider hf = (HuggingFaceProvider) Providers.create("huggingface",
                ProviderConfig.builder().env(env::get).sleeper(time).clock(time).build());
        hf.namespace();
        String auth = wm.findAll(getRequestedFor(urlPathEqualTo("/api/whoami-v2"))).get(0).getHeader("Authorization");
        assertThat(hf.toString()).doesNotContain(auth.substring("Bearer ".length()));
        return auth.substring("Bearer ".length());
    }

    @Test
    void theTokensOwner_isAskedOncePerToken_andRememberedInTheStoreForAWeek_underAHashOfTheToken() {
        wm.stubFor(get("/api/whoami-v2").willReturn(okJson("{\"name\":\"envuser\"}")));
        VersionStore store = VersionStores.inMemory();
        ProviderCache cache = ProviderCache.inStore(store, Tenant.of("t"), time);
        Map<String, String> env = Map.of("HF_TOKEN", TestSupport.TOKEN, "HF_ENDPOINT", wm.baseUrl());
        Map<String, String> otherEnv = Map.of("HF_TOKEN", "hf_another_token_0123456789", "HF_ENDPOINT", wm.baseUrl());

        for (int process = 0; process < 3; process++) {
            assertThat(((HuggingFaceProvider) Providers.create("huggingface", ProviderConfig.builder().env(env::get)
                    .cache(cache).sleeper(time).clock(time).build())).namespace()).isEqualTo("envuser");
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/whoami-v2")));
        ((HuggingFaceProvider) Providers.create("huggingface", ProviderConfig.builder().env(otherEnv::get)
                .cache(cache).sleeper(time).clock(time).build())).namespace();
        wm.verify(2, getRequestedFor(urlPathEqualTo("/api/whoami-v2")));
        time.advance(Duration.ofDays(8));
        ((HuggingFaceProvider) Providers.create("huggingface", ProviderConfig.builder().env(env::get)
                .cache(cache).sleeper(time).clock(time).build())).namespace();
        wm.verify(3, getRequestedFor(urlPathEqualTo("/api/whoami-v2")));

        List<StoreKey> keys = store.list(Tenant.of("t"), "provider-cache", null, 10).keys();
        assertThat(keys).hasSize(2).allSatisfy(k -> assertThat(k.id()).matches("huggingface/whoami/[0-9a-f]{32}"));
        for (StoreKey k : keys) {
            assertThat(store.latest(k).orElseThrow().value()).contains("envuser")
                    .doesNotContain(TestSupport.TOKEN).doesNotContain("hf_another_token");
        }
    }

    @Test
    void badSettings_failCreation_namingTheSetting() {
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time).setting("namespace", "a/b").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setting namespace");
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time).setting("timeout", "forever").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setting timeout");
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time)
                .setting("serving_url", "ftp://x").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setting serving_url");
    }

    @Test
    void descriptor_declaresSettingsRulesCapabilities_withoutAKey() {
        ProviderDescriptor d = Providers.descriptor("huggingface");

        assertThat(d).isSameAs(new HuggingFaceProviderFactory().descriptor());
        assertThat(d.displayName()).isEqualTo("Hugging Face");
        assertThat(d.environmentVariables()).containsExactly("HF_TOKEN", "HF_ENDPOINT", "HF_SERVING_URL",
                "HF_ENDPOINTS_URL");
        assertThat(d.setting("serving_url").orElseThrow().type()).isEqualTo(ProviderSetting.Type.URL);
        assertThat(d.setting("serving_api_key").orElseThrow().type()).isEqualTo(ProviderSetting.Type.SECRET);
        assertThat(d.setting("check_served_models").orElseThrow().defaultValue()).contains("true");
        assertThat(d.setting("flavor").orElseThrow().defaultValue()).contains("a10g-small");
        assertThat(d.defaultBaseModel()).as("any Hub model: the user names one").isEmpty();
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.HF_MESSAGES);
        assertThat(d.capabilities()).isEqualTo(Capabilities.of(Capability.TRAINING, Capability.CHAT,
                Capability.VALIDATION_FILE, Capability.CANCEL, Capability.CONTINUE_FROM_FINE_TUNED,
                Capability.DELETE_MODEL, Capability.TOOLS, Capability.FIND_BY_TAG, Capability.DEPLOY,
                Capability.PAUSE_DEPLOYMENT));
        assertThat(d.trainedModelsNeedDeployment()).as("an adapter serves once an endpoint loads it").isTrue();
        assertThat(d.setting("endpoints_url").orElseThrow().defaultValue())
                .contains("https://api.endpoints.huggingface.cloud/v2");
        assertThat(d.pricingNote()).contains("Hugging Face bills hardware time, not tokens");
        assertThat(d.dataRules().checks()).isEmpty();
        assertThat(TrainingPolicy.defaults().minimumExamples("huggingface", "meta-llama/Llama-3.1-8B"))
                .isEqualTo(new MinimumExamples(1, 50,
                        "Hugging Face training runs have no service minimum; 50 is this library's recommendation"));
    }

    @Test
    void provider_trainsAndChats_withTheDescriptor() {
        HuggingFaceProvider hf = TestSupport.provider(TestSupport.config(wm, time).build());

        assertThat(hf.descriptor()).isSameAs(HuggingFaceProviderFactory.DESCRIPTOR);
        assertThat(hf.training()).containsSame(hf);
        assertThat(hf.chat()).isPresent();
    }

    @Test
    void estimateHours_usesTheLiveHourlyPrice_whenTheHubGivesIt() {
        wm.stubFor(get("/api/jobs/hardware").willReturn(okJson("""
                [{"name":"cpu-basic","prettyName":"CPU Basic","cpu":"2 vCPU","ram":"16 GB","accelerator":null,
                  "unitCostMicroUSD":167,"unitCostUSD":0.000167,"unitLabel":"minute"},
                 {"name":"a10g-small","prettyName":"Nvidia A10G - small","cpu":"4 vCPU","ram":"15 GB",
                  "accelerator":{"type":"gpu","model":"a10g","quantity":"1","vram":"24 GB","manufacturer":"Nvidia"},
                  "unitCostMicroUSD":20000,"unitCostUSD":0.02,"unitLabel":"minute"}]
                """)));
        HuggingFaceProvider hf = TestSupport.provider(TestSupport.config(wm, time).build());

        TrainingEstimate e = hf.estimateHours(1_000_000, 3, "a10g-small");

        // 1,000,000 x 3 / 5,000 tokens/s = 600 s, plus 600 s overhead = 20 min at $1.20/h
        assertThat(e.duration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(e.hourlyPrice()).isEqualTo(Money.usd("1.20"));
        assertThat(e.cost()).isEqualTo(Money.usd("0.40"));
        assertThat(e.livePrice()).isTrue();
        assertThat(e.hours()).isEqualTo(1.0 / 3);
        hf.estimateHours(10, 1, "a10g-small");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/jobs/hardware")));
    }

    @Test
    void estimateHours_fallsBackToTheDocumentedTable_andTakesAMeasuredThroughput() {
        wm.stubFor(get("/api/jobs/hardware").willReturn(aResponse().withStatus(404)));
        HuggingFaceProvider hf = TestSupport.provider(TestSupport.config(wm, time).build());

        TrainingEstimate table = hf.estimateHours(1_000_000, 3, "a10g-small");
        assertThat(table.livePrice()).isFalse();
        assertThat(table.hourlyPrice()).isEqualTo(Money.usd("1.00"));
        assertThat(table.cost()).isEqualTo(Money.of("0.333333", "USD"));

        TrainingEstimate h200 = hf.estimateHours(90_000_000, 2, "h200", 30_000);
        assertThat(h200.duration()).isEqualTo(Duration.ofSeconds(600 + 6_000));
        assertThat(h200.cost()).isEqualTo(Money.of("9.166667", "USD"));

        assertThatThrownBy(() -> hf.estimateHours(1, 1, "quantum-xl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quantum-xl").hasMessageContaining("a10g-small");
        assertThatThrownBy(() -> hf.estimateHours(1, 1, "l4x1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hf.estimateHours(1, 1, "l4x1")).as("no price in the table for l4x1")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no price");
    }
}
