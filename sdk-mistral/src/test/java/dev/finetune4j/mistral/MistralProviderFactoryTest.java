package dev.finetune4j.mistral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
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
    void descriptor_declaresSettingsRulesCapabilities_withoutAKey() {
        ProviderDescriptor d = Providers.descriptor("mistral");

        assertThat(d).isSameAs(new MistralProviderFactory().descriptor());
        assertThat(d.displayName()).isEqualTo("Mistral");
        assertThat(d.environmentVariables()).containsExactly("MISTRAL_API_KEY", "MISTRAL_BASE_URL");
        assertThat(d.endpoint().orElseThrow().defaultValue()).contains("https://api.mistral.ai");
        assertThat(d.defaultBaseModel()).contains("open-mistral-7b");
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.MISTRAL);
        assertThat(d.capabilities()).isEqualTo(Capabilities.of(Capability.TRAINING, Capability.CHAT,
                Capability.VALIDATION_FILE, Capability.CANCEL, Capability.COST_PREVIEW, Capability.DELETE_MODEL,
                Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG));
        assertThat(d.trainedModelsNeedDeployment()).isFalse();
        assertThat(d.dataRules().checks()).containsExactly(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE,
                DataCheck.ASSISTANT_MESSAGE_LAST, DataCheck.TOOL_MESSAGE_HAS_CALL_ID, DataCheck.CALLED_TOOLS_DEFINED,
                DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS);
        assertThat(d.dataRules().acceptsToolCallId("Ab3De6Gh9")).isTrue();
        assertThat(d.dataRules().acceptsToolCallId("call_abcd")).as("9 characters, one not a letter or digit")
                .isFalse();
        assertThat(d.dataRules().acceptsToolCallId("call_1")).isFalse();
    }

    @Test
    void provider_trainsAndChats_withTheDescriptor() {
        MistralProvider p = MistralProvider.create(withEnv(Map.of("MISTRAL_API_KEY", "secret-key-0123456789")).build());

        assertThat(p.descriptor()).isSameAs(MistralProvider.DESCRIPTOR);
        assertThat(p.training()).containsSame(p);
        assertThat(p.chat()).isPresent();
        assertThat(p.toString()).doesNotContain("secret");
    }

    @Test
    void publishedRules_areTheTrainingPolicysDefaults() {
        TrainingPolicy policy = TrainingPolicy.defaults();

        assertThat(policy.minimumExamples("mistral", "mistral-small-latest").hard()).isEqualTo(1);
        assertThat(policy.minimumExamples("mistral", "mistral-small-latest").recommended()).isEqualTo(50);
        assertThat(policy.minimumExamples("mistral", "open-mistral-7b").source()).contains("no documented minimum");
        assertThat(policy.maxTokensPerExample("mistral", "open-mistral-7b")).isEmpty();
        assertThatThrownBy(() -> policy.checkMinimum("d", 0, "mistral", "open-mistral-7b"))
                .hasMessageStartingWith("dataset 'd' has 0 training examples; mistral requires at least 1 (Mistral");
    }
}
