"""The benchmark's models: each a `transformers` reference and ours with the same weights (copied through the
family's HF_RENAMES, as a checkpoint load does), random weights, full size."""
from __future__ import annotations

import warnings

import torch

CASES = ("bert-base", "gpt2", "t5-small", "llama-100m")


def _quiet():
    import transformers

    transformers.logging.set_verbosity_error()
    warnings.filterwarnings("ignore")
    return transformers


def reference(case: str, attn: str = "eager"):
    """The transformers model of a case (random weights, seeded)."""
    transformers = _quiet()
    torch.manual_seed(0)
    if case == "bert-base":       # bert-base-uncased's shape: L=12, H=768, A=12, V=30522; MLM + NSP heads
        return transformers.BertForPreTraining(transformers.BertConfig(attn_implementation=attn)).eval()
    if case == "gpt2":            # gpt2 (124M)
        return transformers.GPT2LMHeadModel(transformers.GPT2Config(attn_implementation=attn)).eval()
    if case == "t5-small":        # t5-small (60M): 6 + 6 layers, d_model 512, 8 heads
        return transformers.T5ForConditionalGeneration(transformers.T5Config(
            decoder_start_token_id=0, attn_implementation=attn)).eval()
    if case == "llama-100m":      # a LLaMA of ~100M: 8 layers, 768 wide, 12 heads sharing 4 key/value heads
        return transformers.LlamaForCausalLM(transformers.LlamaConfig(
            hidden_size=768, intermediate_size=2048, num_hidden_layers=8, num_attention_heads=12,
            num_key_value_heads=4, vocab_size=32000, max_position_embeddings=2048, tie_word_embeddings=False,
            attn_implementation=attn)).eval()
    raise KeyError(case)


def ours_for(case: str, hf_model):
    """Our model of a case, carrying hf_model's weights."""
    from engine.hooks import name_hook_points
    from engine.models import bert, gpt, llama, t5
    from engine.weights import load_hf_state_dict

    config = hf_model.config.to_dict()
    if case == "bert-base":
        module, model = bert, bert.Bert(bert.BertConfig.from_dict(config).replace(heads=("mlm", "nsp")))
    elif case == "gpt2":
        module, model = gpt, gpt.GPT2(gpt.GPT2Config.from_dict(config))
    elif case == "t5-small":
        module, model = t5, t5.T5(t5.T5Config.from_dict(config))
    elif case == "llama-100m":
        module, model = llama, llama.Llama(llama.LlamaConfig.from_dict(config))
    else:
        raise KeyError(case)
    name_hook_points(model)
    load_hf_state_dict(model, hf_model.state_dict(), module.HF_RENAMES)
    return model.eval()


def inputs(case: str, length: int, device) -> dict[str, torch.Tensor]:
    """One sequence of `length` random ids (T5: as long a decoder input too), every token real."""
    generator = torch.Generator().manual_seed(length)
    ids = torch.randint(5, 30000, (1, length), generator=generator).to(device)
    out = {"input_ids": ids}
    if case == "t5-small":
        out["decoder_input_ids"] = ids
    return out


def parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())
