package dev.finetune4j.examples.provider;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract, run by the Acme AI provider on its emulator. */
class AcmeProviderContractTest extends ProviderContract {

    @RegisterExtension
    static OpenAiEmulator acme = AcmeEmulator.builder().build();

    @Override
    protected RunningEmulator emulator() {
        return acme;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        acme.on("POST", "/fine_tuning/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        acme.on("POST", "/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        acme.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return acme.jobs().size();
    }
}
