package dev.finetune4j.mistral;

import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract, run by the Mistral provider against the testkit's Mistral emulator. */
class MistralProviderContractTest extends ProviderContract {

    @RegisterExtension
    static MistralEmulator mistral = MistralEmulator.create();

    @Override
    protected RunningEmulator emulator() {
        return mistral;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        mistral.on("POST", "/v1/fine_tuning/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        mistral.on("POST", "/v1/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        mistral.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return mistral.jobs().size();
    }
}
