"""The ordered activation cache: the step sequence the explorer plays."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import torch


@dataclass
class Step:
    name: str                 # stable name, e.g. "blocks.3.attn.hook_pattern"
    tensor: torch.Tensor      # a clone, never modified after recording
    dims: tuple[str, ...]     # axis labels, e.g. ("batch", "head", "q_pos", "k_pos")
    key: str                  # lesson-text key

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.tensor.shape)

    @property
    def stage(self) -> str:
        """The coarse stage a step belongs to: "embeddings", "blocks.3", "decoder.blocks.1", "mlm_head"..."""
        parts = self.name.split(".")
        for i, part in enumerate(parts):
            if part == "blocks" and i + 1 < len(parts):
                return ".".join(parts[: i + 2])
        return parts[0] if len(parts) > 1 else "model"


class ActivationCache:
    """Name -> Step, in the order the values were computed."""

    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def add(self, name: str, tensor: torch.Tensor, dims: tuple[str, ...], key: str) -> None:
        if name in self._steps:
            raise KeyError(f"hook {name!r} recorded twice in one trace")
        if len(dims) != tensor.dim():
            raise ValueError(f"hook {name!r}: dims {dims} do not fit a tensor of shape {tuple(tensor.shape)}")
        self._steps[name] = Step(name, tensor, dims, key)

    def __getitem__(self, name: str) -> torch.Tensor:
        return self._steps[name].tensor

    def step(self, name: str) -> Step:
        return self._steps[name]

    def __contains__(self, name: object) -> bool:
        return name in self._steps

    def __len__(self) -> int:
        return len(self._steps)

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def names(self) -> list[str]:
        return list(self._steps)

    def steps(self) -> list[Step]:
        return list(self._steps.values())

    def to_numpy_dict(self) -> dict:
        return {name: s.tensor.float().cpu().numpy() if s.tensor.is_floating_point() else s.tensor.cpu().numpy()
                for name, s in self._steps.items()}
