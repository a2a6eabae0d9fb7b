"""Shared steps of the parity tests: copy a `transformers` model's weights into ours through the same rename
table a real checkpoint load uses, run both, compare."""
from __future__ import annotations

import torch

from engine.hooks import name_hook_points, record
from engine.weights import load_hf_state_dict

ATOL = 1e-5


def port(hf_model, family_module, our_model):
    """Load hf_model's weights into our_model with the family's HF_RENAMES (strict: nothing missing or unused)."""
    name_hook_points(our_model)
    load_hf_state_dict(our_model, hf_model.state_dict(), family_module.HF_RENAMES)
    return our_model.eval()


def run_recorded(model, **inputs):
    with torch.no_grad(), record() as cache:
        outputs = model(**inputs)
    return outputs, cache


def assert_close(actual, expected, what: str, atol: float = ATOL):
    actual, expected = actual.float(), expected.float()
    assert actual.shape == expected.shape, f"{what}: shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    diff = (actual - expected).abs().max().item()
    assert diff <= atol, f"{what}: max abs difference {diff:.3g} > {atol}"


def padded_batch(vocab_size: int, lengths=(9, 6), seed: int = 0, low: int = 3):
    """Random ids (avoiding the first few special ids) and an attention mask with right padding."""
    generator = torch.Generator().manual_seed(seed)
    length = max(lengths)
    input_ids = torch.randint(low, vocab_size, (len(lengths), length), generator=generator)
    attention_mask = torch.zeros_like(input_ids)
    for row, n in enumerate(lengths):
        attention_mask[row, :n] = 1
    return input_ids, attention_mask


def randomised(model, std: float = 0.1, seed: int = 0):
    """Seeded random weights large enough to matter, LayerNorm gains and biases pushed away from 1 and 0 so a norm
    left out (or applied twice) would show; hook points named; eval mode."""
    from engine.api import init_weights

    init_weights(model, seed=seed, std=std)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.LayerNorm):
                module.weight.normal_(1.0, 0.2)
                module.bias.normal_(0.0, 0.2)
    name_hook_points(model)
    return model.eval()
