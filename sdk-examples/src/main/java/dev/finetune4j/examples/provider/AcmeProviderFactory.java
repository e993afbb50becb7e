package dev.finetune4j.examples.provider;

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
import java.net.URISyntaxException;

/**
 * A provider written as a third party would write one: it uses only public packages of sdk-core
 * (the SPI and the provider kit) and is registered only in this module's {@code
 * META-INF/services/dev.finetune4j.spi.ProviderFactory}. Acme AI is a fictional service that speaks
 * the OpenAI protocol for files, fine-tuning jobs, models and chat, under its own base URL and key.
 * Cheap to instantiate; thread-safe.
 */
public final class AcmeProviderFactory implements ProviderFactory {

    private static final String KEY_VARIABLE = "ACME_API_KEY";
    private static final String URL_VARIABLE = "ACME_BASE_URL";
    private static final String DEFAULT_URL = "https://api.acme.example/v1";

    /** What Acme declares: its settings, default model, data rules and capabilities. */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("acme")
            .displayName("Acme AI")
            .setting(ProviderSetting.apiKey(KEY_VARIABLE, "the Acme API key"))
            .setting(ProviderSetting.endpoint(URL_VARIABLE, DEFAULT_URL, "the Acme API, with /v1"))
            .defaultBaseModel("acme-small")
            .dataRules(DataRules.builder("Acme AI")
                    .enable(DataCheck.ASSISTANT_MESSAGE_LAST)
                    .minimumExamples(new MinimumExamples(5, 20, "Acme AI docs: at least 5 examples, 20 recommended"))
                    .maxTokensPerExample("acme-", 4_096)
                    .build())
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.CANCEL,
                    Capability.DELETE_MODEL, Capability.TOOLS, Capability.FIND_BY_TAG))
            .build();

    /** Created by {@link java.util.ServiceLoader}. */
    public AcmeProviderFactory() {
        // all work happens in create()
    }

    /** {@link #DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Creates the provider: the key from the configuration or {@code ACME_API_KEY}, the base URL
     * from the configuration, {@code ACME_BASE_URL} or the default; retries, timeouts, clock and
     * HTTP client as the configuration says.
     *
     * @throws IllegalStateException when there is no key, or {@code ACME_BASE_URL} is not an
     *     http(s) URL, naming the variable
     */
    @Override
    public AcmeProvider create(ProviderConfig config) {
        ApiKey key = config.apiKey().or(() -> config.env(KEY_VARIABLE).map(ApiKey::of)).orElseThrow(
                () -> new IllegalStateException("no Acme AI key: set " + KEY_VARIABLE + " or ProviderConfig.apiKey"));
        ProviderHttp.Builder http = ProviderHttp.builder(DESCRIPTOR.id(), baseUrl(config)).apiKey(key)
                .retry(config.retry()).timeout(config.timeout()).sleeper(config.sleeper()).clock(config.clock());
        config.httpClient().ifPresent(http::httpClient);
        return new AcmeProvider(http.build());
    }

    private static URI baseUrl(ProviderConfig config) {
        if (config.endpoint().isPresent()) {
            return config.endpoint().get();
        }
        String url = config.env(URL_VARIABLE).orElse(DEFAULT_URL);
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(URL_VARIABLE + " is '" + url + "': " + e.getReason(), e);
        }
    }
}
