package example.acme;

import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;

/**
 * A provider written outside the tree, as a third party would: it uses only public packages of
 * finetune4j-core (the SPI and the provider kit) and is registered only in its own {@code
 * META-INF/services}. Acme AI is a fictional service: files and fine-tunes under its base URL, and
 * OpenAI-compatible chat.
 */
public final class AcmeProviderFactory implements ProviderFactory {

    /** Acme's data rules: an assistant message last, at least 5 examples, 4,096 tokens an example. */
    static final DataRules RULES = DataRules.builder("Acme AI")
            .enable(DataCheck.ASSISTANT_MESSAGE_LAST)
            .minimumExamples(new MinimumExamples(5, 20, "Acme AI docs: at least 5 examples, 20 recommended"))
            .maxTokensPerExample("acme-", 4_096)
            .build();

    /** What Acme declares. */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("acme")
            .displayName("Acme AI")
            .setting(ProviderSetting.apiKey("ACME_API_KEY", "the Acme API key"))
            .setting(ProviderSetting.endpoint("ACME_BASE_URL", "https://api.acme.example/v1", "the Acme API, with /v1"))
            .defaultBaseModel("acme-small")
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.CANCEL))
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AcmeProvider create(ProviderConfig config) {
        ApiKey key = config.apiKey().or(() -> config.env("ACME_API_KEY").map(ApiKey::of))
                .orElseThrow(() -> new IllegalStateException("no Acme AI key: set ACME_API_KEY"));
        URI base = config.endpoint().orElseGet(() -> URI.create(config.env("ACME_BASE_URL")
                .orElse(DESCRIPTOR.endpoint().orElseThrow().defaultValue().orElseThrow())));
        ProviderHttp.Builder http = ProviderHttp.builder("acme", base).apiKey(key).retry(config.retry())
                .timeout(config.timeout()).sleeper(config.sleeper()).clock(config.clock());
        config.httpClient().ifPresent(http::httpClient);
        return new AcmeProvider(http.build());
    }
}
