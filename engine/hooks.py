"""Hook points: identity modules that let a scoped recorder see every intermediate tensor.

The maths in the models never branches on "am I recording?" except in one place (attention, which must form the
probability matrix explicitly to have something to record). Everywhere else a value passes through a HookPoint,
which returns it untouched and, while a `record()` scope is active, hands a clone to the recorder.
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

import torch
from torch import nn

from engine.cache import ActivationCache

_active: contextvars.ContextVar["Recorder | None"] = contextvars.ContextVar("plm_recorder", default=None)


class HookPoint(nn.Module):
    """Identity module marking a value worth seeing.

    dims: labels of the tensor's axes, e.g. ("batch", "head", "q_pos", "k_pos").
    key:  lesson-text key explaining what the value is (see assets/lessons).
    The name comes from the module path, filled in by `name_hook_points`.
    """

    def __init__(self, dims: tuple[str, ...], key: str):
        super().__init__()
        self.dims = tuple(dims)
        self.key = key
        self.name = ""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        recorder = _active.get()
        if recorder is not None:
            recorder.record(self, x)
        return x

    def extra_repr(self) -> str:
        return f"dims={self.dims}, key={self.key!r}"


def name_hook_points(model: nn.Module) -> None:
    """Give every HookPoint its module path as its name (`blocks.3.attn.hook_pattern`)."""
    for path, module in model.named_modules():
        if isinstance(module, HookPoint):
            module.name = path


class Recorder:
    """Collects hook values in computation order. Prefix renames let one shared module run as many steps."""

    def __init__(self, names: set[str] | None = None, device: torch.device | str | None = "cpu"):
        self.cache = ActivationCache()
        self.names = names
        self.device = device
        self._renames: list[tuple[str, str]] = []

    def record(self, hook: HookPoint, value: torch.Tensor) -> None:
        name = hook.name
        for old, new in reversed(self._renames):
            if name.startswith(old + ".") or name == old:
                name = new + name[len(old):]
                break
        if self.names is not None and name not in self.names:
            return
        # Clone: a later in-place op (T5's scores += position_bias) must not change what was recorded.
        tensor = value.detach().clone()
        if self.device is not None:
            tensor = tensor.to(self.device)
        self.cache.add(name, tensor, hook.dims, hook.key)


def is_recording() -> bool:
    return _active.get() is not None


@contextlib.contextmanager
def record(names: set[str] | None = None, device: torch.device | str | None = "cpu") -> Iterator[ActivationCache]:
    """Record every hook point reached inside the block; the hooks are always released on exit.

    device: where recorded tensors are kept ("cpu" by default so a GPU run does not fill GPU memory with
    copies; None keeps them where they were computed).
    """
    recorder = Recorder(names, device)
    token = _active.set(recorder)
    try:
        yield recorder.cache
    finally:
        _active.reset(token)


@contextlib.contextmanager
def renamed(old_prefix: str, new_prefix: str) -> Iterator[None]:
    """Record hooks under `old_prefix` as `new_prefix` (ALBERT's one layer applied N times -> blocks.0..N-1)."""
    recorder = _active.get()
    if recorder is None:
        yield
        return
    recorder._renames.append((old_prefix, new_prefix))
    try:
        yield
    finally:
        recorder._renames.pop()
