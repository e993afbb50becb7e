# finetune4j: supervised fine-tuning with TRL (LoRA) on a Hub dataset pinned to one commit.
#
# Started by finetune4j's Hugging Face provider inside the huggingface/trl image, which has TRL,
# PEFT, transformers and datasets installed. The arguments are those of `trl sft` (TRL's
# ScriptArguments, SFTConfig and ModelConfig) plus the ones of Finetune4jArguments below:
#
#   --dataset_revision      the commit of the dataset repo to read (the stock script cannot pin one)
#   --train_file            the training split's path in the dataset repo (default train.jsonl)
#   --validation_file       the validation split's path, when there is one
#   --adapter_name_or_path  a LoRA adapter to load and train further (continue training)
#   --adapter_revision      the adapter's revision (default main)
#
# The trainer prints its log dicts ({'loss': ..., 'epoch': ...}) to stdout, which finetune4j reads
# back from the job's logs as metrics. With --push_to_hub the adapter lands in --hub_model_id.
import sys
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Finetune4jArguments:
    dataset_revision: str = field(default="main", metadata={"help": "Commit (or branch) of the dataset repo."})
    train_file: str = field(default="train.jsonl", metadata={"help": "Training split in the dataset repo."})
    validation_file: Optional[str] = field(default=None, metadata={"help": "Validation split in the dataset repo."})
    adapter_name_or_path: Optional[str] = field(default=None, metadata={"help": "LoRA adapter to train further."})
    adapter_revision: str = field(default="main", metadata={"help": "Revision of the adapter."})


def model_kwargs(model_args, training_args):
    import torch

    dtype = model_args.dtype
    if dtype not in (None, "auto"):
        dtype = getattr(torch, dtype)
    return {
        "revision": model_args.model_revision,
        "dtype": dtype,
        "attn_implementation": model_args.attn_implementation,
        "trust_remote_code": getattr(training_args, "trust_remote_code", False),
    }


def main(argv):
    from datasets import load_dataset
    from trl import (ModelConfig, ScriptArguments, SFTConfig, SFTTrainer, TrlParser, get_peft_config,
                     get_quantization_config)

    parser = TrlParser((ScriptArguments, SFTConfig, ModelConfig, Finetune4jArguments))
    script_args, training_args, model_args, ours = parser.parse_args_and_config(argv)

    train_split = script_args.dataset_train_split
    eval_split = script_args.dataset_test_split
    data_files = {train_split: ours.train_file}
    if ours.validation_file:
        data_files[eval_split] = ours.validation_file
    dataset = load_dataset(script_args.dataset_name, data_files=data_files, revision=ours.dataset_revision)
    print(f"finetune4j: {script_args.dataset_name}@{ours.dataset_revision}: "
          + ", ".join(f"{name} {len(split)} examples" for name, split in dataset.items()), flush=True)

    quantization = get_quantization_config(model_args)
    kwargs = model_kwargs(model_args, training_args)
    if ours.adapter_name_or_path:
        from peft import PeftModel
        from transformers import AutoModelForCausalLM

        base = AutoModelForCausalLM.from_pretrained(model_args.model_name_or_path, quantization_config=quantization,
                                                    **kwargs)
        model = PeftModel.from_pretrained(base, ours.adapter_name_or_path, revision=ours.adapter_revision,
                                          is_trainable=True)
        print(f"finetune4j: continuing adapter {ours.adapter_name_or_path}@{ours.adapter_revision} "
              f"on {model_args.model_name_or_path}", flush=True)
        peft_config = None
        quantization = None
    else:
        training_args.model_init_kwargs = kwargs
        model = model_args.model_name_or_path
        peft_config = get_peft_config(model_args)

    eval_dataset = None
    if ours.validation_file and training_args.eval_strategy != "no":
        eval_dataset = dataset[eval_split]
    trainer = SFTTrainer(
        model=model,
        args=training_args,
        train_dataset=dataset[train_split],
        eval_dataset=eval_dataset,
        peft_config=peft_config,
        quantization_config=quantization,
    )
    trainer.train()
    trainer.save_model(training_args.output_dir)
    if training_args.push_to_hub:
        trainer.push_to_hub(dataset_name=script_args.dataset_name)
        print(f"finetune4j: adapter pushed to {trainer.hub_model_id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
