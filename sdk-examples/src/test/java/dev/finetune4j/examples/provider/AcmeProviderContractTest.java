package dev.finetune4j.examples.provider;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract, run by the Acme AI provider on its emulator. */
class AcmeProviderContractTest extends ProviderContract {

    @RegisterExtension
    static OpenAiEmulator api = AcmeEmulator.builder().build();

    @Override
    protected RunningEmulator emulator() {
        return api;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        api.on("POST", "/fine_tuning/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        api.on("POST", "/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        api.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return api.jobs().size();
    }
}
