package dev.finetune4j.huggingface;

import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider contract, run by the Hugging Face provider against the testkit's Hugging Face
 * emulator: jobs on its Hub, chat on its serving endpoint ({@code HF_SERVING_URL}).
 */
class HuggingFaceProviderContractTest extends ProviderContract {

    @RegisterExtension
    static HuggingFaceEmulator huggingface = HuggingFaceEmulator.create();

    @Override
    protected RunningEmulator emulator() {
        return huggingface;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        huggingface.on("POST", "/api/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        huggingface.on("POST", "/v1/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        huggingface.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return huggingface.jobs().size();
    }
}
