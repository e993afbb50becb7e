package dev.finetune4j.azureopenai;

import dev.finetune4j.testkit.AzureOpenAiEmulator;
import dev.finetune4j.testkit.contract.ProviderContract;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider contract, run by the Azure OpenAI provider against the testkit's Azure OpenAI
 * emulator. The contract chats with a trained model by its id; on Azure that needs a deployment,
 * so the emulator deploys a trained model under its id on the first chat call that names it
 * ({@link AzureOpenAiEmulator.Builder#autoDeployTrainedModels}), as a host application naming its
 * deployments after its models would. Deleting a model stands for deleting it in Azure's portal.
 */
class AzureOpenAiProviderContractTest extends ProviderContract {

    @RegisterExtension
    static AzureOpenAiEmulator azure = AzureOpenAiEmulator.builder().autoDeployTrainedModels(true).build();

    @Override
    protected RunningEmulator emulator() {
        return azure;
    }

    @Override
    protected void loseNextJobCreateResponse() {
        azure.on("POST", "/fine_tuning/jobs").loseResponseNext();
    }

    @Override
    protected void cutNextChatStream(int events) {
        azure.on("POST", "/chat/completions").cutStreamAfter(events);
    }

    @Override
    protected void deleteModelAtProvider(String providerModelId) {
        azure.deleteModel(providerModelId);
    }

    @Override
    protected int remoteJobCount() {
        return azure.jobs().size();
    }
}
