package dev.finetune4j.testkit.internal.mistral;

import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.testkit.internal.TrainedModel;

/** A Mistral fine-tuned model: a trained model with the name, description and archive flag its owner may change. */
final class MistralModel extends TrainedModel {

    boolean archived;
    String name;
    String description;

    MistralModel(String id, String root, String jobId, long createdAt, TrainingSet examples) {
        super(id, root, jobId, createdAt, examples);
    }
}
