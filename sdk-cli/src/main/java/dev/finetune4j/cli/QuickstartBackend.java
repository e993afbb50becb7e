package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.net.URI;
import java.util.List;

/**
 * Where the quickstart trains: the real provider when its key is set (or {@code --endpoint} names
 * a server), else the provider's emulator from the testkit, started in this process on a free
 * loopback port. Closing stops the emulator.
 */
final class QuickstartBackend implements AutoCloseable {

    /**
     * The organization the in-process OpenAI emulator writes into fine-tuned model ids
     * ({@code ft:BASE:quickstart-emulator::ID}), so that a later run can tell models that lived in
     * such an emulator (gone when its run ended) from real ones.
     */
    static final String EMULATOR_ORGANIZATION = "quickstart-emulator";

    private final String provider;
    private final OpenAiEmulator openai;
    private final MistralEmulator mistral;
    private final String baseUrl;

    private QuickstartBackend(String provider, OpenAiEmulator openai, MistralEmulator mistral, String baseUrl) {
        this.provider = provider;
        this.openai = openai;
        this.mistral = mistral;
        this.baseUrl = baseUrl;
    }

    /**
     * Chooses and, when emulated, starts the backend for {@code provider}, pointing the session's
     * provider at it.
     *
     * @throws InputException when the provider has no key and no emulator (Hugging Face)
     */
    static QuickstartBackend start(FinetuneCli cli, FinetuneCli.Session s, String provider, boolean endpointGiven) {
        s.providers().primary(provider);
        if (s.providers().hasKey(provider) || endpointGiven) {
            String url = s.providers().explicitEndpoint(provider).map(URI::toString).orElse("its public API");
            return new QuickstartBackend(provider, null, null, url);
        }
        switch (provider) {
            case "openai" -> {
                OpenAiEmulator e = OpenAiEmulator.builder().organization(EMULATOR_ORGANIZATION).recordRequests(false)
                        .start();
                s.providers().override(provider, URI.create(e.baseUrl()), ApiKey.of(EmulatorCommand.KEY));
                return new QuickstartBackend(provider, e, null, e.baseUrl());
            }
            case "mistral" -> {
                MistralEmulator e = MistralEmulator.builder().recordRequests(false).start();
                s.providers().override(provider, URI.create(e.baseUrl()), ApiKey.of(EmulatorCommand.KEY));
                return new QuickstartBackend(provider, null, e, e.baseUrl());
            }
            default -> throw new InputException("provider_config", "quickstart --provider " + provider + " needs "
                    + ProviderRegistry.keyVariable(provider) + ": there is no " + provider + " emulator to run "
                    + "without it (there are for openai and mistral)");
        }
    }

    /** Whether the provider is the in-process emulator. */
    boolean emulated() {
        return openai != null || mistral != null;
    }

    /** The base URL trained against, or "its public API". */
    String baseUrl() {
        return baseUrl;
    }

    /**
     * Whether a model trained by an earlier job can be called here: with a real provider, yes
     * (as far as we know); with this run's emulator, only if it trained it.
     */
    boolean has(String providerModelId) {
        List<String> models = openai != null ? openai.models() : mistral != null ? mistral.models() : null;
        return models == null || models.contains(providerModelId);
    }

    /**
     * Whether a model id may have come from a backend of this kind: a model of an in-process
     * emulator (recognisable for OpenAI by {@link #EMULATOR_ORGANIZATION}) is not reused against
     * the real provider, nor a real model by an emulated run. Mistral ids carry no such mark.
     */
    boolean sameKind(String providerModelId) {
        if (!"openai".equals(provider)) {
            return true;
        }
        return providerModelId.contains(":" + EMULATOR_ORGANIZATION + ":") == emulated();
    }

    /** {@code {"id", "emulated", "base_url"}}. */
    ObjectNode json() {
        ObjectNode o = JsonDocs.object();
        o.put("id", provider);
        o.put("emulated", emulated());
        o.put("base_url", baseUrl);
        return o;
    }

    @Override
    public void close() {
        if (openai != null) {
            openai.close();
        }
        if (mistral != null) {
            mistral.close();
        }
    }
}
