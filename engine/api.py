"""The notebook-facing API: `engine.load(name_or_path)` and `loaded.trace(text=...)`."""
from __future__ import annotations

import difflib
from pathlib import Path

import torch
from torch import nn

from engine import checkpoint
from engine.devices import check_fits, resolve_device
from engine.errors import UnknownModelError
from engine.loaded import LoadedModel, Trace
from engine.models import FAMILIES
from engine.presets import all_presets

__all__ = ["load", "build_from_preset", "init_weights", "model_tokenizer", "preset_tokenizer_name", "LoadedModel",
           "Trace"]


def init_weights(module: nn.Module, seed: int = 0, std: float = 0.02) -> None:
    """Deterministic random weights: normal(0, std) for matrices and embeddings (a family's `init_stds`, parameter
    name prefix -> std, overrides it where its reference does: T5's shared table), zero biases, unit norms."""
    generator = torch.Generator().manual_seed(seed)
    overrides = getattr(module, "init_stds", {})
    seen: set[int] = set()
    with torch.no_grad():
        for name, param in module.named_parameters():
            if id(param) in seen:
                continue
            seen.add(id(param))
            if param.dim() >= 2:
                scale = next((s for prefix, s in overrides.items() if name.startswith(prefix)), std)
                param.copy_(torch.randn(param.shape, generator=generator) * scale)
            elif name.endswith("bias"):
                param.zero_()
            elif name.endswith("weight"):   # every 1-D weight in these models is a norm's gain
                param.fill_(1.0)
            else:
                param.copy_(torch.randn(param.shape, generator=generator) * std)


def _configure_for_tokenizer(config, tokenizer, own_vocabulary: bool):
    """A random-weight model takes its special ids from the tokenizer built for it, and, when it is a tiny
    preset, its vocabulary size too (a published size keeps its own, larger, vocabulary)."""
    changes = {"vocab_size": tokenizer.vocab_size} if own_vocabulary else {}
    for field_name, role in (("pad_token_id", "pad"), ("bos_token_id", "bos"), ("eos_token_id", "eos"),
                             ("decoder_start_token_id", "pad")):
        if hasattr(config, field_name) and tokenizer.role_id(role) is not None:
            changes[field_name] = tokenizer.role_id(role)
    return config.replace(**changes)


def preset_tokenizer_name(preset) -> str:
    """The tokenizer a preset's model reads its text with: a released vocabulary ("released-gpt2", the ids of the
    released model) where a package ships it, else the app's small trained recipe of its family."""
    return preset.tokenizer or FAMILIES[preset.family].tokenizer_recipe


def model_tokenizer(name_or_path: str | Path):
    """The tokenizer `load(name)` gives its model, without building the model: a preset's ("gpt2": the released
    GPT-2 vocabulary), an embedded model's, a checkpoint folder's; any other name as engine.tokenization's
    `tokenizer_for` reads it (recipes such as "bert", released vocabularies such as "released-llama3")."""
    from engine.tokenization import build_tokenizer, load_tokenizer, tokenizer_for

    key = str(name_or_path)
    preset = all_presets().get(key)
    if preset is not None:
        return build_tokenizer(preset_tokenizer_name(preset))
    if key in checkpoint.EMBEDDED:
        return load_tokenizer(checkpoint.EMBEDDED[key]())
    try:
        return tokenizer_for(key)
    except ValueError as error:
        if not str(error).startswith("unknown model"):
            raise
        raise ValueError(f"unknown model {key!r}: use a preset (`python -m engine presets` lists them), "
                         f"{str(error).split(': use ', 1)[1]}") from None


def build_from_preset(preset, device="cpu", seed: int = 0) -> LoadedModel:
    from engine.tokenization import build_tokenizer

    family = FAMILIES[preset.family]
    tokenizer = build_tokenizer(preset_tokenizer_name(preset))
    config = _configure_for_tokenizer(family.config(preset.config), tokenizer, preset.is_tiny)
    device = resolve_device(device)
    # Count first, by the family's closed formula (no module is built): a 70B preset is refused, not allocated.
    _body, n_params, _text = family.param_formula(config)
    check_fits(n_params * 4, device)
    module = family.model_cls(config)
    init_weights(module, seed)
    module.to(device).eval()
    return LoadedModel(preset.name, family, config, tokenizer, module, device, "random", preset.source,
                       preset.notes)


def load(name_or_path: str | Path, device: str | torch.device = "cpu", seed: int = 0, **options) -> LoadedModel:
    """A preset name (`bert-tiny`, ...), the embedded real model (`minilm`), or a folder holding a Hugging Face
    checkpoint (config.json + safetensors or .bin + tokenizer files)."""
    key = str(name_or_path)
    presets = all_presets()
    if key in presets:
        return build_from_preset(presets[key], device, seed)
    if key in checkpoint.EMBEDDED:
        return checkpoint.load_checkpoint(checkpoint.EMBEDDED[key](), device=device, name=key, **options)
    if Path(key).expanduser().exists():
        return checkpoint.load_checkpoint(Path(key).expanduser(), device=device, **options)
    known = list(presets) + list(checkpoint.EMBEDDED)
    close = difflib.get_close_matches(key, known, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else " `python -m engine presets` lists them."
    raise UnknownModelError(f"No model, preset or folder called {key!r}.{hint}")
