package dev.finetune4j.examples.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the Acme factory reads its configuration, beyond what the provider contract checks. */
class AcmeProviderFactoryTest {

    @Test
    void theFactory_isFoundByItsIdThroughServiceLoader_withItsDescriptor() {
        assertThat(Providers.factories()).containsKey("acme");
        assertThat(Providers.factories().get("acme").descriptor()).isSameAs(AcmeProviderFactory.DESCRIPTOR);
    }

    @Test
    void aBaseUrlThatIsNotHttp_isRefusedNamingTheVariableAndTheValue() {
        Map<String, String> env = Map.of("ACME_API_KEY", "sk-acme-1", "ACME_BASE_URL", "ftp://files.acme.example");
        ProviderConfig config = ProviderConfig.builder().env(env::get).build();

        assertThatThrownBy(() -> new AcmeProviderFactory().create(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ACME_BASE_URL is 'ftp://files.acme.example': not an http(s) URL with a host");
    }

    @Test
    void noKey_isRefusedNamingTheVariable() {
        ProviderConfig none = ProviderConfig.builder().env(name -> null).build();
        assertThatThrownBy(() -> new AcmeProviderFactory().create(none))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACME_API_KEY");
    }
}
