package dev.finetune4j.huggingface;

import java.time.Duration;

/**
 * The job options the Hugging Face provider reads from {@code FineTuneSpec.option(name, value)}
 * (or {@link dev.finetune4j.spi.JobRequest#options()}), and their defaults. Provider-wide defaults
 * for {@link #FLAVOR}, {@link #TIMEOUT} and {@link #IMAGE} can also be given as provider settings
 * of the same names; a job's option wins over the setting, the setting over the built-in default.
 *
 * <h2>The training command</h2>
 *
 * By default a job runs {@value #DEFAULT_IMAGE} (TRL, PEFT, transformers and datasets on PyTorch
 * 2.8 / CUDA 12.8) with this library's SFT script ({@code finetune4j_sft.py}, shipped in the jar
 * and passed base64 in the job's environment): TRL's {@code SFTTrainer} with LoRA ({@code
 * --use_peft --lora_r 16 --lora_alpha 32}) on the uploaded dataset at its exact commit, pushing
 * the adapter to a private model repository {@code {namespace}/{assistant}-{job id}}. The script
 * takes every argument of {@code trl sft}; add more with {@link #EXTRA_ARGS}. {@link #COMMAND}
 * replaces the whole command (the host app then answers for pushing the adapter to {@code
 * {hub_model_id}}).
 *
 * <p>This class only holds constants.
 */
public final class HuggingFaceOptions {

    /** The hardware flavor of the job, e.g. {@code a10g-small}, {@code a100-large}, {@code h200}. */
    public static final String FLAVOR = "flavor";

    /**
     * The job's time limit: seconds ({@code 3600}), or a number with {@code s}, {@code m}, {@code h}
     * or {@code d} ({@code 90m}, {@code 2h}), or an ISO-8601 duration ({@code PT2H}).
     */
    public static final String TIMEOUT = "timeout";

    /** The container image (a Docker image, or a Space URL {@code https://huggingface.co/spaces/…}). */
    public static final String IMAGE = "image";

    /**
     * The whole command, as a JSON array of strings, replacing the default. These placeholders are
     * replaced in every element: {@code {base_model}}, {@code {dataset_repo}}, {@code
     * {dataset_revision}}, {@code {train_file}}, {@code {validation_file}} (empty without
     * validation data), {@code {hub_model_id}}, {@code {epochs}}, {@code {learning_rate}}, {@code
     * {adapter}} (empty unless continuing).
     */
    public static final String COMMAND = "command";

    /**
     * More arguments for the default command, appended after the library's (so they win): a JSON
     * array of strings, or words separated by spaces, e.g. {@code --max_length 2048 --packing}.
     */
    public static final String EXTRA_ARGS = "extra_args";

    /**
     * A LoRA adapter repository to continue training from. Without it, a base model that is an
     * adapter repository (it has an {@code adapter_config.json}, as every model version this
     * provider trained does) is continued the same way.
     */
    public static final String ADAPTER = "adapter";

    /** The revision of the adapter to continue from (default {@code main}). */
    public static final String ADAPTER_REVISION = "adapter_revision";

    /**
     * The base model under the adapter when continuing; by default the adapter's {@code
     * adapter_config.json} says ({@code base_model_name_or_path}).
     */
    public static final String BASE_MODEL = "base_model";

    /** The LoRA rank (default {@value #DEFAULT_LORA_R}). */
    public static final String LORA_R = "lora_r";

    /** The LoRA alpha (default {@value #DEFAULT_LORA_ALPHA}). */
    public static final String LORA_ALPHA = "lora_alpha";

    /**
     * Not accepted per job: the namespace is the provider's ({@code namespace} setting), so that a
     * job can always be found again by its tag after a crash. Configure one provider per namespace.
     */
    public static final String NAMESPACE = "namespace";

    /**
     * The default image: TRL 1.9.0's official image. Its tags follow TRL's PyPI releases
     * ({@code huggingface/trl:<version>}, built by TRL's {@code docker-build.yml}).
     */
    public static final String DEFAULT_IMAGE = "huggingface/trl:1.9.0";

    /** The default flavor: one NVIDIA A10G (24 GB), $1.00 an hour. */
    public static final String DEFAULT_FLAVOR = "a10g-small";

    /** The default time limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);

    /** The default peak learning rate of a new LoRA (TRL's LoRA example; full fine-tunes use 2e-5). */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;

    /** The default number of epochs of a new LoRA (TRL's default). */
    public static final int DEFAULT_EPOCHS = 3;

    /** Continuing an adapter uses the default learning rate times this, unless one is set. */
    public static final double CONTINUE_LEARNING_RATE_FACTOR = 0.1;

    /** Continuing an adapter runs this many epochs, unless set. */
    public static final int CONTINUE_EPOCHS = 1;

    /** The default LoRA rank. */
    public static final int DEFAULT_LORA_R = 16;

    /** The default LoRA alpha. */
    public static final int DEFAULT_LORA_ALPHA = 32;

    private HuggingFaceOptions() {}
}
