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
from engine.devices import free_bytes
from engine.errors import InputError
from engine.hooks import name_hook_points, record
from engine.tokenization.text import check_unicode
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

    def save_npz(self, path: str | Path) -> Path:
        """Every step as an array named by its step name, plus tokens and dims as JSON metadata. Written to a
        temporary file and renamed into place; returns the path (".npz" added when missing)."""
        from engine.files import atomic_write

        arrays = self.cache.to_numpy_dict()
        meta = {"model": self.model_name, "tokens": self.tokens,
                "dims": {s.name: list(s.dims) for s in self.cache.steps()}}

        def write(temporary: Path) -> None:
            with open(temporary, "wb") as handle:   # a file object: numpy must not add its own suffix
                np.savez_compressed(handle, __meta__=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)

        return atomic_write(path, write, ".npz")

PROBE_TOKENS = 16                                 # the length recording_bytes measures at
POSITION_AXES = {"pos", "q_pos", "k_pos"}


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
        self._probe_steps: list[tuple[str, int, int]] | None = None   # see recording_bytes

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
            ids = self._checked_ids(input_ids)
            prepared = self.family.inputs_from_ids(self.tokenizer, self.config, ids, **options)
        else:
            if text is None or not text.strip():
                raise InputError("The text is empty: type a sentence first.")
            check_unicode(text, "text")
            if text_pair is not None:
                check_unicode(text_pair, "second text")
            if self.tokenizer is None:
                raise InputError(f"{self.name} came without tokenizer files: run it on token ids instead.")
            self._check_length(len(self.tokenizer.encode(text).ids))   # before a family lays out T x T
            prepared = self.family.prepare_inputs(self.tokenizer, text, text_pair, **options)
        for key, tensor in prepared.inputs.items():
            if not key.endswith("input_ids"):
                continue
            if tensor.shape[-1] == 0:
                raise InputError(f"The text gives no tokens for {self.name}: its tokenizer drops every character "
                                 f"in it (zero-width or control characters). Type some words.")
            self._check_length(tensor.shape[-1])
            if int(tensor.max()) >= self.config.vocab_size:
                raise InputError(f"The tokenizer gave id {int(tensor.max())}, but {self.name} embeds only "
                                 f"{self.config.vocab_size} tokens: the tokenizer does not belong to this model.")
        prepared.inputs = {k: (v.to(self.device) if isinstance(v, torch.Tensor) else v)
                           for k, v in prepared.inputs.items()}
        return prepared

    def _check_length(self, length: int) -> None:
        limit = self.max_length
        if limit is not None and length > limit:
            raise InputError(f"The input is {length} tokens long, but {self.name} takes at most {limit}. "
                             f"Shorten the text.")

    def _checked_ids(self, input_ids) -> torch.Tensor:
        """(B, T) long ids, each a whole number in 0..V-1, checked before torch sees them (a 20-digit id would
        overflow int64 with a bare ValueError)."""
        vocab = self.config.vocab_size
        if isinstance(input_ids, torch.Tensor):
            if input_ids.is_floating_point() or input_ids.is_complex() or input_ids.dtype == torch.bool:
                raise InputError(f"input ids must be whole numbers, not {input_ids.dtype}.")
            ids = input_ids.long()
        else:
            rows = list(input_ids)
            rows = rows if rows and isinstance(rows[0], (list, tuple)) else [rows]
            for row in rows:
                for value in row:
                    if isinstance(value, bool) or not isinstance(value, int):
                        raise InputError(f"input ids must be whole numbers, not {value!r}.")
                    if not 0 <= value < vocab:
                        raise InputError(f"input id {value} is outside 0..{vocab - 1}, the ids {self.name} knows.")
            if len({len(row) for row in rows}) > 1:
                raise InputError("every row of input ids must have the same length.")
            ids = torch.tensor(rows, dtype=torch.long)
        ids = ids[None] if ids.dim() == 1 else ids
        if ids.dim() != 2:
            raise InputError(f"input ids must be one row (or a batch of rows), not shape {tuple(ids.shape)}.")
        if ids.numel() == 0:
            raise InputError("input_ids is empty: give at least one token id.")
        if int(ids.max()) >= vocab or int(ids.min()) < 0:
            raise InputError(f"input ids must lie in 0..{vocab - 1} for {self.name}.")
        return ids

    def recording_bytes(self, prepared: Prepared, names: set[str] | None = None) -> int:
        """About how many bytes recording this input takes. Measured once per model on a short probe, then each
        step scaled by its position axes: (T / probe)^2 for an attention map, T / probe for a vector per token."""
        if self._probe_steps is None:
            probe_ids = torch.full((1, PROBE_TOKENS), min(5, self.config.vocab_size - 1), dtype=torch.long)
            probe = self.family.inputs_from_ids(self.tokenizer, self.config, probe_ids)
            with torch.no_grad(), record() as cache:
                self.module.eval()(**{k: (v.to(self.device) if isinstance(v, torch.Tensor) else v)
                                      for k, v in probe.inputs.items()})
            # (name, bytes as its own copy, bytes it holds, position axes): a derived step holds nothing, a view of
            # another step's storage nothing more; a step recorded alone (names=...) is its own copy
            seen, steps = set(), []
            for step in cache.steps():
                held = 0
                if not step.derived:
                    storage = step.stored.untyped_storage()
                    if storage.data_ptr() not in seen:
                        seen.add(storage.data_ptr())
                        held = step.stored.numel() * step.stored.element_size()
                steps.append((step.name, step.nbytes, held, sum(axis in POSITION_AXES for axis in step.dims)))
            self._probe_steps = steps
        length = max(t.shape[-1] for k, t in prepared.inputs.items() if k.endswith("input_ids"))
        scale = length / PROBE_TOKENS
        if names is None:
            return int(sum(held * scale ** axes for _, _, held, axes in self._probe_steps))
        return int(sum(size * scale ** axes for name, size, _, axes in self._probe_steps if name in names))

    def check_recording_fits(self, prepared: Prepared, names: set[str] | None = None,
                             max_bytes: int | None = None) -> None:
        length = max(t.shape[-1] for k, t in prepared.inputs.items() if k.endswith("input_ids"))
        if length <= 4 * PROBE_TOKENS and max_bytes is None:
            return   # a short text: a few megabytes at most, not worth a probe
        if max_bytes is None:
            free = free_bytes(torch.device("cpu"))
            if free is None:
                return
            max_bytes = free // 2
        need = self.recording_bytes(prepared, names)
        if need > max_bytes:
            fits = int(length * min(1.0, (max_bytes / need) ** 0.5))
            raise InputError(f"Recording every step of {self.name} on {length:,} tokens would take about "
                             f"{need / 2**30:.2f} GiB (attention maps grow with the square of the length), more "
                             f"than the {max_bytes / 2**30:.2f} GiB allowed. Shorten the text to about "
                             f"{fits:,} tokens, or record fewer steps (trace(names=...)).")

    def tokens_of(self, ids) -> list[str]:
        if self.tokenizer is None:
            return [f"<{int(i)}>" for i in ids]
        return [self.tokenizer.id_to_token(int(i)) or f"<{int(i)}>" for i in ids]

    @torch.no_grad()
    def trace(self, text: str | None = None, text_pair: str | None = None, input_ids=None,
              names: set[str] | None = None, max_bytes: int | None = None, **options) -> Trace:
        """Run once with every hook recorded (or only `names`). Recorded tensors are kept on the CPU; a trace
        that would take more than `max_bytes` (default: half the free memory) is refused before it runs."""
        prepared = self.prepare(text, text_pair, input_ids, **options)
        self.check_recording_fits(prepared, names, max_bytes)
        return self.trace_prepared(prepared, names)

    @torch.no_grad()
    def trace_prepared(self, prepared, names: set[str] | None = None) -> Trace:
        """The recorded run of inputs already prepared (an intervention runs the same inputs twice)."""
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
