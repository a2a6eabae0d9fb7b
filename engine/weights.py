"""Moving weights from Hugging Face names onto ours: one rename table per family, every mismatch reported by name."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from engine.errors import CheckpointError

# A rule is (pattern, replacement) or (pattern, replacement, transform); replacement None drops the tensor.
Rule = tuple


class WeightLoadError(CheckpointError):
    """A checkpoint that does not fit the model; the message names every tensor involved."""


@dataclass
class LoadReport:
    missing: list[str] = field(default_factory=list)      # ours, not in the checkpoint
    unexpected: list[str] = field(default_factory=list)   # in the checkpoint, no rule or no such parameter of ours
    dropped: list[str] = field(default_factory=list)      # matched a rule that drops them on purpose

    def ok(self) -> bool:
        return not self.missing and not self.unexpected

    def describe(self) -> str:
        lines = []
        if self.missing:
            lines.append(f"missing from the checkpoint ({len(self.missing)}): " + ", ".join(self.missing[:12])
                         + (" ..." if len(self.missing) > 12 else ""))
        if self.unexpected:
            lines.append(f"not used by the model ({len(self.unexpected)}): " + ", ".join(self.unexpected[:12])
                         + (" ..." if len(self.unexpected) > 12 else ""))
        return "\n".join(lines) or "all weights matched"


def _legacy_names(name: str) -> str:
    # Early TensorFlow-converted checkpoints (bert-base-uncased's .bin among them) call LayerNorm's affine gamma/beta.
    return re.sub(r"\.gamma$", ".weight", re.sub(r"\.beta$", ".bias", name))


def rename(state_dict: dict[str, torch.Tensor], rules: list[Rule]) -> tuple[dict[str, torch.Tensor], LoadReport]:
    compiled = [(re.compile(rule[0]), rule[1], rule[2] if len(rule) > 2 else None) for rule in rules]
    renamed: dict[str, torch.Tensor] = {}
    report = LoadReport()
    for source, tensor in state_dict.items():
        name = _legacy_names(source)
        for pattern, replacement, transform in compiled:
            if pattern.search(name):
                if replacement is None:
                    report.dropped.append(source)
                else:
                    target = pattern.sub(replacement, name)
                    renamed[target] = transform(tensor) if transform else tensor
                break
        else:
            report.unexpected.append(source)
    return renamed, report


def _tied_groups(model: nn.Module) -> dict[str, set[str]]:
    """Parameter name -> every name sharing its storage (tied embeddings / LM heads)."""
    by_storage: dict[int, set[str]] = {}
    for name, param in model.named_parameters(remove_duplicate=False):
        by_storage.setdefault(id(param), set()).add(name)
    return {name: names for names in by_storage.values() for name in names}


def load_renamed(model: nn.Module, renamed: dict[str, torch.Tensor], report: LoadReport,
                 strict: bool = True) -> LoadReport:
    """Copy tensors into the model, checking every shape. strict: raise on anything missing or unexpected."""
    ours = dict(model.named_parameters(remove_duplicate=False))
    ours.update(dict(model.named_buffers()))
    tied = _tied_groups(model)
    for name, tensor in renamed.items():
        if name not in ours:
            report.unexpected.append(name)
            continue
        target = ours[name]
        if tuple(target.shape) != tuple(tensor.shape):
            raise WeightLoadError(
                f"tensor {name!r} has shape {tuple(tensor.shape)} in the checkpoint but the model expects "
                f"{tuple(target.shape)} (does config.json match the weights?)")
        with torch.no_grad():
            target.copy_(tensor.to(target.dtype))
    provided = set(renamed)
    for name, param in model.named_parameters(remove_duplicate=False):
        if not (tied.get(name, {name}) & provided):
            report.missing.append(name)
    if strict and not report.ok():
        raise WeightLoadError("the checkpoint does not fit the model:\n" + report.describe())
    return report


def load_hf_state_dict(model: nn.Module, state_dict: dict[str, torch.Tensor], rules: list[Rule],
                       strict: bool = True) -> LoadReport:
    renamed, report = rename(state_dict, rules)
    return load_renamed(model, renamed, report, strict)


def transpose(tensor: torch.Tensor) -> torch.Tensor:
    """GPT-2's Conv1D stores (in, out); nn.Linear wants (out, in)."""
    return tensor.t().contiguous()


Transform = Callable[[torch.Tensor], torch.Tensor]
