"""The notebook-facing API: `engine.load(name_or_path)` and `loaded.trace(text=...)`."""
from __future__ import annotations

import difflib
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.cache import ActivationCache
from engine.devices import check_fits, resolve_device
from engine.errors import InputError, UnknownModelError
from engine.hooks import name_hook_points, record
from engine.models import FAMILIES, Family
from engine.models.base import Prepared


@dataclass
class Trace:
    """One run of a model on one input: its tokens, its heads' outputs and every recorded step in order."""
    model_name: str
    family: str
    tokens: list[str]
    input_ids: torch.Tensor            # (1, T)
    outputs: dict[str, torch.Tensor]   # every head's logits (and last_hidden_state, pooled...)
    logits: torch.Tensor | None        # the primary head's logits
    cache: ActivationCache
    encoding: Any = None               # engine.tokenization.Encoding of the text, when there was text
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        steps = [{"name": s.name, "shape": list(s.shape), "dims": list(s.dims), "key": s.key}
                 for s in self.cache.steps()]
        data = {"model": self.model_name, "family": self.family, "tokens": self.tokens,
                "ids": self.input_ids[0].tolist(), "steps": steps}
        for key, value in self.extras.items():
            if isinstance(value, (list, str, int, float)):
                data[key] = value
        return data

    def save_npz(self, path: str | Path) -> None:
        """Every step as an array named by its step name, plus tokens and dims as JSON metadata."""
        arrays = self.cache.to_numpy_dict()
        meta = {"model": self.model_name, "tokens": self.tokens,
                "dims": {s.name: list(s.dims) for s in self.cache.steps()}}
        np.savez_compressed(path, __meta__=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)


class LoadedModel:
    def __init__(self, name: str, family: Family, config, tokenizer, module: nn.Module, device: torch.device,
                 weights: str, source: str, notes: str = ""):
        self.name = name
        self.family = family
        self.config = config
        self.tokenizer = tokenizer
        self.module = module
        self.device = device
        self.weights = weights      # "random" or "real"
        self.source = source        # where the weights / numbers came from
        # A choice the configuration makes that the user should read (GLM's norm placement and why)
        config_note = getattr(config, "norm_note", "")
        self.notes = " ".join(part for part in (notes, config_note) if part)
        name_hook_points(module)

    def __repr__(self) -> str:
        return f"<LoadedModel {self.name} ({self.family.title}, {self.weights} weights, {self.device})>"

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(getattr(self.config, "heads", ()))

    @property
    def max_length(self) -> int | None:
        return getattr(self.config, "max_length", None)

    def prepare(self, text: str | None = None, text_pair: str | None = None,
                input_ids: torch.Tensor | list[int] | None = None, **options) -> Prepared:
        if input_ids is not None:
            ids = torch.as_tensor(input_ids, dtype=torch.long)
            ids = ids[None] if ids.dim() == 1 else ids
            if ids.numel() == 0:
                raise InputError("input_ids is empty: give at least one token id.")
            if int(ids.max()) >= self.config.vocab_size or int(ids.min()) < 0:
                raise InputError(f"input ids must lie in 0..{self.config.vocab_size - 1} for {self.name}.")
            prepared = Prepared(None, {"input_ids": ids})
            if hasattr(self.family.module, "inputs_from_ids"):
                prepared = self.family.module.inputs_from_ids(self.tokenizer, ids, **options)
        else:
            if text is None or not text.strip():
                raise InputError("The text is empty: type a sentence first.")
            if self.tokenizer is None:
                raise InputError(f"{self.name} came without tokenizer files: run it on token ids instead.")
            prepare_inputs = self.family.module.prepare_inputs
            if "family" in inspect.signature(prepare_inputs).parameters:   # glm.py serves GLM and ChatGLM
                options.setdefault("family", self.family.name)
            prepared = prepare_inputs(self.tokenizer, text, text_pair, **options)
        limit = self.max_length
        for key, tensor in prepared.inputs.items():
            if key.endswith("input_ids") and limit is not None and tensor.shape[-1] > limit:
                raise InputError(f"The input is {tensor.shape[-1]} tokens long, but {self.name} takes at most "
                                 f"{limit}. Shorten the text.")
        prepared.inputs = {k: (v.to(self.device) if isinstance(v, torch.Tensor) else v)
                           for k, v in prepared.inputs.items()}
        return prepared

    def tokens_of(self, ids) -> list[str]:
        if self.tokenizer is None:
            return [f"<{int(i)}>" for i in ids]
        return [self.tokenizer.id_to_token(int(i)) or f"<{int(i)}>" for i in ids]

    @torch.no_grad()
    def trace(self, text: str | None = None, text_pair: str | None = None, input_ids=None,
              names: set[str] | None = None, **options) -> Trace:
        """Run once with every hook recorded (or only `names`). Recorded tensors are kept on the CPU."""
        prepared = self.prepare(text, text_pair, input_ids, **options)
        self.module.eval()
        with record(names) as cache:
            outputs = self.module(**prepared.inputs)
        outputs = {k: v.detach().cpu() for k, v in outputs.items() if isinstance(v, torch.Tensor)}
        ids = prepared.inputs["input_ids"].cpu()
        tokens = prepared.encoding.tokens if prepared.encoding is not None else self.tokens_of(ids[0])
        primary = getattr(self.module, "primary_head", None)
        return Trace(self.name, self.family.name, list(tokens), ids, outputs, outputs.get(primary), cache,
                     prepared.encoding, dict(prepared.extras))

    @torch.no_grad()
    def forward(self, text: str | None = None, text_pair: str | None = None, input_ids=None, **options):
        """Run without recording (the fused attention path); returns the heads' outputs."""
        prepared = self.prepare(text, text_pair, input_ids, **options)
        self.module.eval()
        return self.module(**prepared.inputs)


def init_weights(module: nn.Module, seed: int = 0, std: float = 0.02) -> None:
    """Deterministic random weights: normal(0, std) for matrices and embeddings, zero biases, unit norms."""
    generator = torch.Generator().manual_seed(seed)
    seen: set[int] = set()
    with torch.no_grad():
        for name, param in module.named_parameters():
            if id(param) in seen:
                continue
            seen.add(id(param))
            if param.dim() >= 2:
                param.copy_(torch.randn(param.shape, generator=generator) * std)
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


def build_from_preset(preset, device="cpu", seed: int = 0) -> LoadedModel:
    from engine.tokenization import build_tokenizer

    family = FAMILIES[preset.family]
    tokenizer = build_tokenizer(preset.tokenizer or family.tokenizer_recipe)
    config = _configure_for_tokenizer(family.config_cls.from_dict(preset.config), tokenizer, preset.is_tiny)
    device = resolve_device(device)
    # Count first, by the family's closed formula (no module is built): a 70B preset is refused, not allocated.
    from engine.params import FORMULAS

    _body, n_params, _text = FORMULAS[family.name](config)
    check_fits(n_params * 4, device)
    module = family.model_cls(config)
    init_weights(module, seed)
    module.to(device).eval()
    return LoadedModel(preset.name, family, config, tokenizer, module, device, "random", preset.source,
                       preset.notes)


def load(name_or_path: str | Path, device: str | torch.device = "cpu", seed: int = 0, **options) -> LoadedModel:
    """A preset name (`bert-tiny`, ...), the embedded real model (`minilm`), or a folder holding a Hugging Face
    checkpoint (config.json + safetensors or .bin + tokenizer files)."""
    from engine.presets import all_presets

    key = str(name_or_path)
    presets = all_presets()
    if key in presets:
        return build_from_preset(presets[key], device, seed)
    from engine import checkpoint

    if key in checkpoint.EMBEDDED:
        return checkpoint.load_checkpoint(checkpoint.EMBEDDED[key](), device=device, name=key, **options)
    if Path(key).expanduser().exists():
        return checkpoint.load_checkpoint(Path(key).expanduser(), device=device, **options)
    known = list(presets) + list(checkpoint.EMBEDDED)
    close = difflib.get_close_matches(key, known, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else " `python -m engine presets` lists them."
    raise UnknownModelError(f"No model, preset or folder called {key!r}.{hint}")
