package dev.finetune4j.together;

import dev.finetune4j.testkit.TogetherEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract, run by the Together provider against the testkit's Together emulator. */
class TogetherProviderContractTest extends ProviderContract {

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    @Override
    protected RunningEmulator emulator() {
        return together;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        together.on("POST", "/fine-tunes").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        together.on("POST", "/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        together.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return together.jobs().size();
    }
}
