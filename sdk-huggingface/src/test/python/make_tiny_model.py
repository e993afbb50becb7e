"""Builds a tiny, randomly initialised Llama with its own tokenizer, entirely offline.

Used by the developer-run `trl-check` Maven profile (TrainingScriptTrlTest): the shipped SFT script
is run for real on this model, on CPU, in seconds. Nothing is downloaded: the tokenizer is a
byte-level BPE trained here on a few sentences (byte-level, so any text encodes), with a small
chat template, and the model weights are random (seeded).

    python make_tiny_model.py OUTPUT_DIR
"""
import os
import sys

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "You are a helpful assistant for the avatar shop.",
    "What does the premium plan cost? It costs ten euros a month.",
    "Hello! How can I help you today?",
    "Fine-tuning trains a small adapter on top of a base model.",
    "system user assistant",
] * 20

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|{{ message['role'] }}|>\n{{ message['content'] }}</s>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def main(out):
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(CORPUS, trainers.BpeTrainer(
        vocab_size=512, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, unk_token="<unk>", bos_token="<s>",
                                        eos_token="</s>", pad_token="<pad>")
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.model_max_length = 256

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False)
    model = LlamaForCausalLM(config)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    params = sum(p.numel() for p in model.parameters())
    print(f"make_tiny_model: {out}: LlamaForCausalLM, {params} parameters, vocabulary {len(tokenizer)}",
          flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_tiny_model.py OUTPUT_DIR")
    main(sys.argv[1])
