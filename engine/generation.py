"""Greedy decoding for the decoder-only and encoder-decoder families, with or without a KV cache.

Protocol the models follow: forward(..., past_key_values=None, use_cache=False) returns the logits under
`module.primary_head` and, with use_cache, "past_key_values" (one (key_states, value_states) pair per layer).
An encoder-decoder also takes decoder_input_ids and encoder_hidden_states, and returns "encoder_hidden_states" so
the encoder runs once.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError


@torch.no_grad()
def greedy(module: nn.Module, input_ids: torch.Tensor, max_new_tokens: int = 16, use_cache: bool = True,
           attention_mask: torch.Tensor | None = None, eos_token_id: int | None = None,
           decoder_start_token_id: int | None = None) -> torch.Tensor:
    """Returns only the new tokens (B, <= max_new_tokens); for an encoder-decoder, the decoder's tokens after
    the start token."""
    head = module.primary_head
    if getattr(module, "is_encoder_decoder", False):
        start = decoder_start_token_id if decoder_start_token_id is not None else module.config.decoder_start_token_id
        sequence = torch.full((input_ids.shape[0], 1), start, dtype=torch.long, device=input_ids.device)
        fixed = {"input_ids": input_ids, "attention_mask": attention_mask}
        key = "decoder_input_ids"
    else:
        sequence, fixed, key = input_ids, {}, "input_ids"
    prompt_length = sequence.shape[1]
    past, encoder_hidden_states = None, None
    for _ in range(max_new_tokens):
        feed = sequence[:, -1:] if (use_cache and past is not None) else sequence
        kwargs = dict(fixed, **{key: feed}, past_key_values=past, use_cache=use_cache)
        if encoder_hidden_states is not None:
            kwargs["encoder_hidden_states"] = encoder_hidden_states
        if not getattr(module, "is_encoder_decoder", False) and attention_mask is not None:
            kwargs["attention_mask"] = torch.cat(
                [attention_mask, attention_mask.new_ones(attention_mask.shape[0], sequence.shape[1] - prompt_length)], 1)
        outputs = module(**kwargs)
        past = outputs.get("past_key_values") if use_cache else None
        encoder_hidden_states = outputs.get("encoder_hidden_states", encoder_hidden_states)
        next_token = outputs[head][:, -1].argmax(-1, keepdim=True)   # (B, 1)
        sequence = torch.cat([sequence, next_token], dim=1)
        if eos_token_id is not None and bool((next_token == eos_token_id).all()):
            break
    return sequence[:, prompt_length:]


@dataclass
class Generation:
    prompt_tokens: list[str]
    new_ids: list[int]
    new_tokens: list[str]
    text: str            # the new tokens decoded


GLM_BLANK = " [MASK]"   # GLM continues a text by filling a blank at its end


@torch.no_grad()
def generate(loaded, text: str | None = None, input_ids=None, max_new_tokens: int = 16,
             use_cache: bool = True) -> Generation:
    """Greedy continuation of a text (or ids) by a loaded decoder or encoder-decoder. GLM writes into a blank:
    one is put at the end of the text unless the text has a [MASK] of its own."""
    if loaded.family.group == "Encoder-only":
        raise InputError(f"{loaded.family.title} is an encoder: it fills [MASK] in a text rather than continuing "
                         "it. Pick a decoder (GPT, LLaMA, GLM) or T5.")
    if not 1 <= max_new_tokens <= 4096:
        raise InputError(f"max_new_tokens must lie in 1..4096, not {max_new_tokens}.")
    module = loaded.module.eval()
    is_glm = loaded.family.name == "glm"
    if is_glm and text is not None and "[MASK]" not in text:
        text = text.rstrip() + GLM_BLANK
    prepared = loaded.prepare(text=text, input_ids=input_ids)
    inputs = prepared.inputs
    prompt_tokens = prepared.encoding.tokens if prepared.encoding is not None else \
        loaded.tokens_of(inputs["input_ids"][0])
    eos = getattr(loaded.config, "eos_token_id", None)
    eos = eos[0] if isinstance(eos, (tuple, list)) else eos
    if is_glm and "position_ids" in inputs:
        from engine.models.glm import fill_blank

        end = loaded.tokenizer.role_id("end") if loaded.tokenizer is not None else None
        new = fill_blank(module, inputs["input_ids"], inputs["position_ids"], inputs["part_a_length"],
                         max_new_tokens, end_id=end, use_cache=use_cache)
    else:
        new = greedy(module, inputs["input_ids"], max_new_tokens, use_cache=use_cache, eos_token_id=eos)
    new_ids = new[0].tolist()
    decoded = loaded.tokenizer.decode(new_ids) if loaded.tokenizer is not None else ""
    return Generation(list(prompt_tokens), new_ids, loaded.tokens_of(new_ids), decoded)
