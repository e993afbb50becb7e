package dev.finetune4j.together;

import java.util.List;

/**
 * The provider options a Together job takes ({@code FineTuneSpec.builder(...).option(name, value)},
 * {@code finetune4j train --option name=value}), each sent as the {@code POST /fine-tunes} field of
 * the same name. Anything else is refused before any upload, naming these.
 *
 * <p>The neutral hyper-parameters map as: epochs to {@code n_epochs}, batch size to {@code
 * batch_size} (Together's {@code "max"} when unset), learning rate to {@code learning_rate}
 * (absolute; Together has no multiplier, so a multiplier is refused), seed to {@code random_seed}.
 */
public final class TogetherOptions {

    /** {@code lora} (the default) or {@code full}: sent as {@code training_type}. */
    public static final String TRAINING_TYPE = "training_type";

    /** The LoRA rank, at least 1 (default: the base model's largest, from its limits, as Together's clients do). */
    public static final String LORA_R = "lora_r";

    /** The LoRA alpha, at least 1 (default: twice the rank, as Together's clients do). */
    public static final String LORA_ALPHA = "lora_alpha";

    /** The LoRA dropout, from 0 (the default) up to but not including 1. */
    public static final String LORA_DROPOUT = "lora_dropout";

    /** The modules LoRA trains: {@code all-linear} (the default) or a comma-separated list of module names. */
    public static final String LORA_TRAINABLE_MODULES = "lora_trainable_modules";

    /** Checkpoints saved during training, at least 1 (Together's default 1: the final one). */
    public static final String N_CHECKPOINTS = "n_checkpoints";

    /**
     * Evaluations on the validation file, at least 0; default 1 when a validation file is sent (so
     * the version gets a validation loss), else Together's 0. Evaluations are billed.
     */
    public static final String N_EVALS = "n_evals";

    /** The share of steps that warm the learning rate up, 0 to 1. */
    public static final String WARMUP_RATIO = "warmup_ratio";

    /** Gradient clipping, at least 0 (0 disables it). */
    public static final String MAX_GRAD_NORM = "max_grad_norm";

    /** Weight decay, at least 0. */
    public static final String WEIGHT_DECAY = "weight_decay";

    /** {@code true}, {@code false} or {@code auto} (the default): whether prompts are trained too (SFT's {@code train_on_inputs}). */
    public static final String TRAIN_ON_INPUTS = "train_on_inputs";

    /** {@code linear} or {@code cosine}: sent as {@code lr_scheduler.lr_scheduler_type} (unset: Together's default). */
    public static final String LR_SCHEDULER = "lr_scheduler";

    /** The final learning rate as a share of the peak, 0 to 1 (with {@link #LR_SCHEDULER}; default 0). */
    public static final String MIN_LR_RATIO = "min_lr_ratio";

    /** The cosine scheduler's cycles, above 0 (with {@link #LR_SCHEDULER} {@code cosine}; default 0.5). */
    public static final String NUM_CYCLES = "num_cycles";

    /** {@code true} or {@code false}: sequence packing (Together's default true). */
    public static final String PACKING = "packing";

    /** The maximum sequence length, at least 1. */
    public static final String MAX_SEQ_LENGTH = "max_seq_length";

    /**
     * What to continue training from, in Together's {@code from_checkpoint} form: {@code JOB_ID},
     * {@code OUTPUT_MODEL_NAME}, or either with {@code :STEP} for an intermediate checkpoint. Without
     * it a job continues when its base model is a job id ({@code ft-...[:STEP]}) or the output of one
     * of the account's jobs (what {@code FineTuneSpec.continueFrom} gives it).
     */
    public static final String FROM_CHECKPOINT = "from_checkpoint";

    /** Every option name, in the order above. */
    public static final List<String> ALL = List.of(TRAINING_TYPE, LORA_R, LORA_ALPHA, LORA_DROPOUT,
            LORA_TRAINABLE_MODULES, N_CHECKPOINTS, N_EVALS, WARMUP_RATIO, MAX_GRAD_NORM, WEIGHT_DECAY, TRAIN_ON_INPUTS,
            LR_SCHEDULER, MIN_LR_RATIO, NUM_CYCLES, PACKING, MAX_SEQ_LENGTH, FROM_CHECKPOINT);

    private TogetherOptions() {}
}
