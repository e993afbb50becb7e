package dev.finetune4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.NotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void factories_findsEveryLoadableModule_andSkipsABrokenOne() {
        // META-INF/services also lists a class that does not exist and a factory whose descriptor fails
        assertThat(Providers.factories()).containsOnlyKeys("working", "needs-key");
    }

    @Test
    void create_unknownId_namesWhatWasFound() {
        assertThatThrownBy(() -> Providers.create("openai", ProviderConfig.defaults()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no provider 'openai' on the class path; found: working, needs-key");
    }

    @Test
    void createAll_leavesOutProvidersThatCannotBeConfigured_withoutHidingTheOthers() {
        ProviderConfig noKey = ProviderConfig.builder().env(Map.<String, String>of()::get).build();
        ProviderConfig withKey = ProviderConfig.builder().env(Map.of("NEEDS_KEY_API_KEY", "k-123")::get).build();

        assertThat(Providers.createAll(noKey)).extracting(Provider::id).containsExactly("working");
        assertThat(Providers.createAll(withKey)).extracting(Provider::id).containsExactly("working", "needs-key");
        assertThatThrownBy(() -> Providers.create("needs-key", noKey)).isInstanceOf(IllegalStateException.class)
                .hasMessage("needs-key: NEEDS_KEY_API_KEY is not set");
    }

    @Test
    void config_toString_neverShowsTheKey() {
        ProviderConfig config = ProviderConfig.builder()
                .apiKey(dev.finetune4j.http.ApiKey.of("sk-proj-supersecretvalue-1234567890")).build();

        assertThat(config.toString()).doesNotContain("supersecretvalue").doesNotContain("sk-proj");
    }
}
