package dev.finetune4j.testkit.internal.azure;

import dev.finetune4j.testkit.AzureOpenAiEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;

/**
 * The testkit's {@link AzureOpenAiEmulator} for tools; the account name is the resource's. Azure's
 * model ids do not carry the account, so they cannot mark a model as the emulator's.
 */
public final class AzureOpenAiEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public AzureOpenAiEmulatorFactory() {
        super("azure-openai", "Azure OpenAI", options -> AzureOpenAiEmulator.builder().start(options));
    }
}
