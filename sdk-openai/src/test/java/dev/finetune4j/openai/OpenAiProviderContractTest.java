package dev.finetune4j.openai;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract, run by the OpenAI provider against the testkit's OpenAI emulator. */
class OpenAiProviderContractTest extends ProviderContract {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @Override
    protected RunningEmulator emulator() {
        return openai;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        openai.on("POST", "/fine_tuning/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        openai.on("POST", "/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        openai.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return openai.jobs().size();
    }
}
