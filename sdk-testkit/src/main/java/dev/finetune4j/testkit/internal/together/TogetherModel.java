package dev.finetune4j.testkit.internal.together;

import dev.finetune4j.testkit.internal.TrainedModel;
import dev.finetune4j.testkit.internal.TrainingSet;

/**
 * A model a Together job produced, under its {@code model_output_name}: a LoRA adapter (served
 * serverless when its base is one Together serves LoRA adapters on) or a fully fine-tuned model (only
 * on a dedicated endpoint). Guarded by {@link TogetherApi}.
 */
final class TogetherModel extends TrainedModel {

    final boolean lora;
    final boolean serverless;

    TogetherModel(String id, String base, String jobId, long createdAt, TrainingSet examples, boolean lora,
                  boolean serverless) {
        super(id, base, jobId, createdAt, examples);
        this.lora = lora;
        this.serverless = serverless;
    }
}
