"""A model ready to run: its family, config, tokenizer and module, and the trace one run of it records."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.cache import ActivationCache
from engine.errors import InputError
from engine.hooks import name_hook_points, record
from engine.models.base import Prepared
from engine.models.family import FamilySpec


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
    def __init__(self, name: str, family: FamilySpec, config, tokenizer, module: nn.Module, device: torch.device,
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
            prepared = self.family.inputs_from_ids(self.tokenizer, self.config, ids, **options)
        else:
            if text is None or not text.strip():
                raise InputError("The text is empty: type a sentence first.")
            if self.tokenizer is None:
                raise InputError(f"{self.name} came without tokenizer files: run it on token ids instead.")
            prepared = self.family.prepare_inputs(self.tokenizer, text, text_pair, **options)
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
