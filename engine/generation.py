"""Greedy decoding for the decoder-only and encoder-decoder families, with or without a KV cache.

Protocol the models follow: forward(..., past_key_values=None, use_cache=False) returns the logits under
`module.primary_head` and, with use_cache, "past_key_values" (one (key_states, value_states) pair per layer).
An encoder-decoder also takes decoder_input_ids and encoder_hidden_states, and returns "encoder_hidden_states" so
the encoder runs once.
"""
from __future__ import annotations

import torch
from torch import nn


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
