package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.testkit.Emulators;
import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.net.URI;
import dev.finetune4j.spi.ProviderDescriptor;
import java.util.List;
import java.util.Optional;

/**
 * Where the quickstart trains: the real provider when its key is set (or {@code --endpoint} names
 * a server), else the provider's emulator (found through the testkit's emulator SPI), started in
 * this process on a free loopback port. Closing stops the emulator.
 */
final class QuickstartBackend implements AutoCloseable {

    /**
     * The account name the in-process emulator writes where the provider's model ids carry one
     * (OpenAI: {@code ft:BASE:quickstart-emulator::ID}), so that a later run can tell models that
     * lived in such an emulator (gone when its run ended) from real ones.
     */
    static final String EMULATOR_ORGANIZATION = "quickstart-emulator";

    private final String provider;
    private final RunningEmulator emulator;
    private final String baseUrl;
    /** What every model id of this provider's quickstart emulator contains; null when its ids cannot show it. */
    private final String emulatorMark;

    QuickstartBackend(String provider, RunningEmulator emulator, String baseUrl, String emulatorMark) {
        this.provider = provider;
        this.emulator = emulator;
        this.baseUrl = baseUrl;
        this.emulatorMark = emulatorMark;
    }

    /**
     * Chooses and, when emulated, starts the backend for {@code provider}, pointing the session's
     * provider at it.
     *
     * @param baseModel what the quickstart trains; an emulator that cannot train it is not used
     * @throws InputException when the provider has no key and no emulator that trains {@code baseModel}
     */
    static QuickstartBackend start(FinetuneCli.Session s, String provider, boolean endpointGiven, String baseModel) {
        s.providers().primary(provider);
        Optional<EmulatorFactory> factory = Optional.ofNullable(Emulators.factories().get(provider));
        String mark = factory.flatMap(f -> f.modelIdMark(EMULATOR_ORGANIZATION)).orElse(null);
        if (s.providers().hasKey(provider) || endpointGiven) {
            String url = s.providers().explicitEndpoint(provider).map(URI::toString).orElse("its public API");
            return new QuickstartBackend(provider, null, url, mark);
        }
        String needsKey = "quickstart --provider " + provider + " needs " + ProviderRegistry.keyVariable(provider) + ": ";
        RunningEmulator e = factory.orElseThrow(() -> new InputException("provider_config", needsKey + "there is no "
                + provider + " emulator to run without it")).start(EmulatorOptions.builder()
                .accountName(EMULATOR_ORGANIZATION).recordRequests(false).build());
        if (!e.models().contains(baseModel)) {
            e.close();
            throw new InputException("provider_config", needsKey + "its emulator cannot train " + baseModel
                    + ", the model the quickstart uses; train on `finetune4j emulator` with `finetune4j train "
                    + "--provider " + provider + " --model ...` instead");
        }
        s.providers().override(provider, URI.create(e.baseUrl()), ApiKey.of(e.clientKey()), e.environment());
        return new QuickstartBackend(provider, e, e.baseUrl(), mark);
    }

    /** The first of {@code providers} the testkit has an emulator of. */
    static Optional<String> firstEmulated(List<ProviderDescriptor> providers) {
        return providers.stream().map(ProviderDescriptor::id).filter(Emulators.factories()::containsKey).findFirst();
    }

    /**
     * Starts the emulator of {@code provider}, the provider a migration moves to, and points the
     * session's provider at it, without making it the primary one; empty when the testkit has no
     * emulator of it.
     */
    static Optional<QuickstartBackend> emulate(FinetuneCli.Session s, String provider) {
        Optional<EmulatorFactory> factory = Optional.ofNullable(Emulators.factories().get(provider));
        if (factory.isEmpty()) {
            return Optional.empty();
        }
        RunningEmulator e = factory.get().start(EmulatorOptions.builder().accountName(EMULATOR_ORGANIZATION)
                .recordRequests(false).build());
        s.providers().override(provider, URI.create(e.baseUrl()), ApiKey.of(e.clientKey()), e.environment());
        return Optional.of(new QuickstartBackend(provider, e, e.baseUrl(),
                factory.get().modelIdMark(EMULATOR_ORGANIZATION).orElse(null)));
    }

    /**
     * The base model to train here: the provider's default when this backend can train it, else the
     * first base model its emulator serves; empty for a real provider that names no default.
     */
    Optional<String> baseModel() {
        Optional<String> preferred = Providers.baseModel(provider);
        if (emulator == null) {
            return preferred;
        }
        return preferred.filter(emulator.models()::contains).or(() -> emulator.models().stream().findFirst());
    }

    /** The id of the provider trained on. */
    String provider() {
        return provider;
    }

    /** Whether the provider is the in-process emulator. */
    boolean emulated() {
        return emulator != null;
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
        return emulator == null || emulator.models().contains(providerModelId);
    }

    /**
     * Whether a model id may have come from a backend of this kind: a model of an in-process
     * emulator (recognisable where the provider's ids carry {@link #EMULATOR_ORGANIZATION}) is not
     * reused against the real provider, nor a real model by an emulated run. Ids that cannot carry
     * the mark (Mistral's) always may.
     */
    boolean sameKind(String providerModelId) {
        return emulatorMark == null || providerModelId.contains(emulatorMark) == emulated();
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
        if (emulator != null) {
            emulator.close();
        }
    }
}
