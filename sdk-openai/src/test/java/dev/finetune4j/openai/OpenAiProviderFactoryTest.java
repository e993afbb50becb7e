package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiProviderFactoryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String JOB = "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-1\",\"status\":\"running\"}";

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();

    @BeforeEach
    void setUp() {
        wm.resetAll();
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(okJson(JOB)));
    }

    private static ProviderConfig.Builder bare() {
        return ProviderConfig.builder().env(name -> null);
    }

    @Test
    void noKeyInCodeOrEnvironment_isAnIllegalStateException_namingTheVariable() {
        assertThatThrownBy(() -> new OpenAiProviderFactory().create(bare().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> new OpenAiProviderFactory().create(bare()
                .env(TestSupport.env(Map.of("OPENAI_API_KEY", "sk two words"))).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("environment variable OPENAI_API_KEY: ")
                .hasMessageNotContaining("two words");
    }

    @Test
    void keyBaseUrlOrganizationAndProject_comeFromTheEnvironment() {
        OpenAiProvider openai = new OpenAiProviderFactory().create(bare().sleeper(time).clock(time)
                .env(TestSupport.env(Map.of("OPENAI_API_KEY", "sk-from-env-0123456789", "OPENAI_BASE_URL",
                        wm.baseUrl() + "/v1/", "OPENAI_ORG_ID", "org-123", "OPENAI_PROJECT_ID", "proj_456")))
                .build());

        openai.getJob("ftjob-1");

        wm.verify(getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo("Bearer sk-from-env-0123456789"))
                .withHeader("OpenAI-Organization", equalTo("org-123"))
                .withHeader("OpenAI-Project", equalTo("proj_456")));
    }

    @Test
    void codeWinsOverTheEnvironment_andNoOrganizationMeansNoHeader() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-env-0123456789", "OPENAI_BASE_URL",
                "http://localhost:1/v1", "OPENAI_PROJECT_ID", "proj_env");
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).env(TestSupport.env(env))
                .setting(OpenAiProviderFactory.SETTING_PROJECT, "proj_code").build());

        openai.getJob("ftjob-1");

        wm.verify(getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY))
                .withHeader("OpenAI-Project", equalTo("proj_code"))
                .withHeader("OpenAI-Organization", absent()));
    }

    @Test
    void defaultBaseUrl_isOpenAisIncludingTheVersion() {
        Provider openai = new OpenAiProviderFactory().create(bare()
                .env(TestSupport.env(Map.of("OPENAI_API_KEY", "sk-0123456789abcdef"))).build());

        assertThat(openai).hasToString("OpenAiProvider[https://api.openai.com/v1]");
        assertThat(OpenAiProviderFactory.DEFAULT_BASE_URL).isEqualTo("https://api.openai.com/v1");
    }

    @Test
    void unusableSettings_areIllegalStateExceptions_namingThem() {
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_UPLOAD_PART_THRESHOLD, "lots").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("upload_part_threshold_bytes");
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_UPLOAD_PART_SIZE, String.valueOf(65L * 1024 * 1024)).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("upload_part_size_bytes");
        assertThatThrownBy(() -> TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_MAX_TOKENS_FIELD, "max_output_tokens").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("max_tokens_field");
        assertThatThrownBy(() -> new OpenAiProviderFactory().create(bare().env(TestSupport.env(Map.of(
                "OPENAI_API_KEY", "sk-0123456789abcdef", "OPENAI_BASE_URL", "api.openai.com/v1"))).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OPENAI_BASE_URL");
        assertThatThrownBy(() -> new OpenAiProviderFactory().create(bare().env(TestSupport.env(Map.of(
                "OPENAI_API_KEY", "sk-0123456789abcdef", "OPENAI_ORG_ID", "org 1\r\nX: y"))).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OPENAI_ORG_ID");
    }

    @Test
    void serviceLoader_findsTheFactoryUnderOpenai() {
        assertThat(Providers.factories()).containsKey("openai");
        assertThat(Providers.factories().get("openai")).isInstanceOf(OpenAiProviderFactory.class);

        Provider openai = Providers.create("openai", TestSupport.config(wm, time).build());

        assertThat(openai).isInstanceOf(OpenAiProvider.class);
        assertThat(openai.id()).isEqualTo("openai");
    }

    @Test
    void descriptor_declaresSettingsRulesCapabilities_withoutAKey() {
        ProviderDescriptor d = Providers.descriptor("openai");

        assertThat(d).isSameAs(new OpenAiProviderFactory().descriptor());
        assertThat(d.displayName()).isEqualTo("OpenAI");
        assertThat(d.apiKey().orElseThrow().environmentVariable()).contains("OPENAI_API_KEY");
        assertThat(d.apiKey().orElseThrow().type()).isEqualTo(ProviderSetting.Type.SECRET);
        assertThat(d.endpoint().orElseThrow().environmentVariable()).contains("OPENAI_BASE_URL");
        assertThat(d.endpoint().orElseThrow().defaultValue()).contains("https://api.openai.com/v1");
        assertThat(d.setting("organization").orElseThrow().environmentVariable()).contains("OPENAI_ORG_ID");
        assertThat(d.setting("upload_part_size_bytes").orElseThrow().defaultValue()).contains("67108864");
        assertThat(d.environmentVariables())
                .containsExactly("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID");
        assertThat(d.defaultBaseModel()).contains("gpt-4o-mini-2024-07-18");
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.OPENAI);
        assertThat(d.capabilities()).isEqualTo(Capabilities.of(Capability.TRAINING, Capability.CHAT,
                Capability.VALIDATION_FILE, Capability.CANCEL, Capability.PAUSE_RESUME,
                Capability.CONTINUE_FROM_FINE_TUNED, Capability.DELETE_MODEL, Capability.WEIGHTS, Capability.TOOLS,
                Capability.FIND_BY_TAG));
        assertThat(d.trainedModelsNeedDeployment()).isFalse();
        assertThat(d.dataRules().checks()).as("OpenAI adds no optional check to the shared ones").isEmpty();
    }

    @Test
    void provider_trainsAndChats_withTheFactorysDescriptor() {
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());

        assertThat(openai.descriptor()).isSameAs(OpenAiProviderFactory.DESCRIPTOR);
        assertThat(openai.training()).containsSame(openai);
        assertThat(openai.chat()).isPresent();
    }

    @Test
    void publishedRules_areTheTrainingPolicysDefaults() {
        TrainingPolicy policy = TrainingPolicy.defaults();

        assertThat(policy.minimumExamples("openai", "gpt-4o-mini")).isEqualTo(new MinimumExamples(10, 50,
                "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100"));
        assertThat(policy.maxTokensPerExample("openai", "gpt-4o-mini-2024-07-18")).hasValue(65_536);
        assertThat(policy.maxTokensPerExample("openai", "gpt-4o-2024-08-06")).hasValue(65_536);
        assertThat(policy.maxTokensPerExample("openai", "gpt-4.1-nano-2025-04-14")).hasValue(65_536);
        assertThat(policy.maxTokensPerExample("openai", "gpt-3.5-turbo-0125")).hasValue(16_385);
        assertThat(policy.maxTokensPerExample("openai", "gpt-3.5-turbo-0613")).hasValue(4_096);
        assertThat(policy.maxTokensPerExample("openai", "ft:gpt-3.5-turbo-0613:acme::x")).hasValue(4_096);
        assertThat(policy.maxTokensPerExample("openai", "davinci-002")).isEmpty();
        assertThatThrownBy(() -> policy.checkMinimum("avatar-42/main", 7, "openai", "gpt-4o-mini-2024-07-18"))
                .hasMessage("dataset 'avatar-42/main' has 7 training examples; openai requires at least 10 (OpenAI "
                        + "fine-tuning guide: minimum 10 examples, improvements usually from 50-100)");
    }
}
