package dev.finetune4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import org.junit.jupiter.api.Test;

/** What a provider declares: its descriptor, its settings and its open set of capabilities. */
class ProviderDescriptorTest {

    @Test
    void descriptors_areFoundWithoutCreatingAProvider_andAnUnknownIdNamesThoseFound() {
        assertThat(Providers.descriptors()).containsOnlyKeys("working", "needs-key");
        assertThat(Providers.descriptor("working").displayName()).isEqualTo("Working Provider");
        assertThat(Providers.descriptor("working").dataRules()).isEqualTo(TestFactories.WORKING_RULES);
        assertThat(Providers.descriptor("needs-key").displayName()).as("no display name: the id").isEqualTo("needs-key");
        assertThat(Providers.descriptor("needs-key").apiKey().orElseThrow().environmentVariable())
                .contains("NEEDS_KEY_API_KEY");
        assertThat(new TestFactories.NeedsKey().id()).isEqualTo("needs-key");
        assertThatThrownBy(() -> Providers.descriptor("acme"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no provider 'acme' on the class path; found: working, needs-key");
    }

    @Test
    void defaults_areTheSharedRules_noCapability_openAiUploads_andNoDeployment() {
        ProviderDescriptor d = ProviderDescriptor.builder("acme").build();

        assertThat(d.id()).isEqualTo("acme");
        assertThat(d.displayName()).isEqualTo("acme");
        assertThat(d.settings()).isEmpty();
        assertThat(d.apiKey()).isEmpty();
        assertThat(d.endpoint()).isEmpty();
        assertThat(d.defaultBaseModel()).isEmpty();
        assertThat(d.uploadFormat()).isEqualTo(DatasetFormat.OPENAI);
        assertThat(d.dataRules()).isEqualTo(DataRules.standard());
        assertThat(d.capabilities()).isEqualTo(Capabilities.none());
        assertThat(d.trainedModelsNeedDeployment()).isFalse();
        assertThat(d.pricingNote()).isEmpty();
    }

    @Test
    void settings_keepTheirOrder_andNameTheirVariables() {
        ProviderDescriptor d = ProviderDescriptor.builder("acme")
                .setting(ProviderSetting.apiKey("ACME_API_KEY", "the key"))
                .setting(ProviderSetting.endpoint("ACME_BASE_URL", "https://api.acme.example/v1", "the base URL"))
                .setting(ProviderSetting.builder("region", ProviderSetting.Type.TEXT).defaultValue("eu")
                        .description("where jobs run").build())
                .setting(ProviderSetting.builder("parts", ProviderSetting.Type.NUMBER).environmentVariable("ACME_PARTS")
                        .defaultValue("4").build())
                .trainedModelsNeedDeployment(true)
                .build();

        assertThat(d.settings()).extracting(ProviderSetting::name).containsExactly("api_key", "endpoint", "region",
                "parts");
        assertThat(d.environmentVariables()).containsExactly("ACME_API_KEY", "ACME_BASE_URL", "ACME_PARTS");
        assertThat(d.apiKey().orElseThrow().required()).isTrue();
        assertThat(d.setting("region").orElseThrow().defaultValue()).contains("eu");
        assertThat(d.trainedModelsNeedDeployment()).isTrue();
        assertThat(d.toBuilder().build().settings()).isEqualTo(d.settings());
        assertThat(d.apiKey().orElseThrow().toString()).isEqualTo("api_key (secret, required, env ACME_API_KEY)");
    }

    @Test
    void badDescriptorsAndSettings_areRefused_namingWhatIsWrong() {
        assertThatThrownBy(() -> ProviderDescriptor.builder("Acme AI"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider id 'Acme AI'");
        assertThatThrownBy(() -> ProviderDescriptor.builder("acme")
                .setting(ProviderSetting.builder(ProviderSetting.API_KEY, ProviderSetting.Type.TEXT).build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("provider acme: setting api_key must be a "
                        + "secret, was TEXT");
        assertThatThrownBy(() -> ProviderDescriptor.builder("acme")
                .setting(ProviderSetting.builder(ProviderSetting.ENDPOINT, ProviderSetting.Type.TEXT).build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setting endpoint must be a URL");
        assertThatThrownBy(() -> ProviderSetting.builder("token", ProviderSetting.Type.SECRET).defaultValue("s3cr3t")
                .build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("setting token is a secret; a secret has no default");
        assertThatThrownBy(() -> ProviderSetting.endpoint("ACME_BASE_URL", "api.acme.example", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'api.acme.example' is not a url");
        assertThatThrownBy(() -> ProviderSetting.builder("n", ProviderSetting.Type.NUMBER).defaultValue("many").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'many' is not a number");
        assertThatThrownBy(() -> ProviderSetting.builder("Region", ProviderSetting.Type.TEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Region'");
        assertThatThrownBy(() -> ProviderSetting.builder("r", ProviderSetting.Type.TEXT).environmentVariable("A-B"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'A-B'");
    }

    @Test
    void capabilities_areAnOpenSet_askedOneByOne() {
        Capabilities c = Capabilities.of(Capability.CHAT, Capability.TRAINING, Capability.CHAT);

        assertThat(c.has(Capability.TRAINING)).isTrue();
        assertThat(c.has(Capability.COST_PREVIEW)).isFalse();
        assertThat(c.values()).containsExactly(Capability.TRAINING, Capability.CHAT);
        assertThat(c.with(Capability.COST_PREVIEW).has(Capability.COST_PREVIEW)).isTrue();
        assertThat(c.without(Capability.CHAT)).isEqualTo(Capabilities.of(Capability.TRAINING));
        assertThat(c).hasToString("[TRAINING, CHAT]");
        assertThat(Capabilities.none().values()).isEmpty();
        assertThatThrownBy(() -> c.values().add(Capability.CANCEL)).isInstanceOf(UnsupportedOperationException.class);
    }
}
