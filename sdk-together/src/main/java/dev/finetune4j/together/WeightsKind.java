package dev.finetune4j.together;

/**
 * Which weights {@link TogetherProvider#downloadWeights} fetches, as Together's {@code GET
 * /finetune/download?checkpoint=} names them.
 */
public enum WeightsKind {
    /** What the job produced: the merged model of a LoRA job, the model of a full fine-tune (Together's clients' default). */
    DEFAULT,
    /** A LoRA job's adapter merged into its base model ({@code checkpoint=merged}): a whole model. */
    MERGED,
    /** A LoRA job's adapter alone ({@code checkpoint=adapter}): small, needs its base model to run. */
    ADAPTER
}
