"""The ordered activation cache: the step sequence the explorer plays.

A step holds either a tensor or a `Derived` value: a recipe that recomputes the tensor from tensors the cache
holds anyway (attention's hook_scaled is hook_scores x scale; hook_attn_scores adds the bias and the mask; a
residual sum is the two steps it adds; an MLP's hook_post is act(hook_pre)). A derived step is computed when it is
read, with the very operations the forward pass used, so it is bit-for-bit the value the model computed; the cache
stores no second (query x key) matrix or (T x ffn) activation for it. To a reader both kinds look the same:
`cache[name]`, `cache.step(name).tensor`, `.shape`, `.dims`, the order. Recipes read no parameters, so training a
model after a trace leaves the trace readable.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable, Iterator

import torch


# Recipes made only of operations IEEE arithmetic rounds exactly (+, *, copies): they give the same bits on any
# device, so a step of a GPU run may be derived on the CPU from the copies the cache keeps. Any other recipe (an
# activation: each device has its own kernel) is used only where its inputs already are.
PORTABLE: set[Callable] = {torch.add, torch.mul}


def portable(fn: Callable) -> Callable:
    """Mark a recipe as portable (see PORTABLE)."""
    PORTABLE.add(fn)
    return fn


class Derived:
    """A tensor recomputed on demand: fn(*inputs). inputs may hold tensors, numbers and None. `shape`, `dtype`
    and `device` are known without computing it. Recently read values are kept (a few), and any value still held
    by a reader is reused, so a view that reads a step several times computes it once."""

    __slots__ = ("fn", "inputs", "shape", "dtype", "device", "_versions", "_weak", "__weakref__")

    def __init__(self, fn: Callable[..., torch.Tensor], inputs: tuple, like: torch.Tensor):
        self.fn = fn
        self.inputs = list(inputs)
        self.shape = torch.Size(like.shape)
        self.dtype = like.dtype
        self.device = like.device
        self._versions = [t._version if isinstance(t, torch.Tensor) else None for t in self.inputs]
        self._weak = None

    def dim(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        return self.shape.numel()

    def element_size(self) -> int:
        return torch.empty((), dtype=self.dtype).element_size()

    def tensors(self) -> list[torch.Tensor]:
        return [t for t in self.inputs if isinstance(t, torch.Tensor)]

    def unshare(self, storage: int) -> None:
        """An in-place op is about to write into `storage`: keep private copies of the inputs that live there."""
        for i, t in enumerate(self.inputs):
            if isinstance(t, torch.Tensor) and _storage_ptr(t) == storage:
                self.inputs[i] = t.clone()
                self._versions[i] = self.inputs[i]._version

    def materialize(self) -> torch.Tensor:
        value = self._weak() if self._weak is not None else None
        if value is not None:
            _recent.touch(self, value)
            return value
        for t, version in zip(self.inputs, self._versions):
            if isinstance(t, torch.Tensor) and t._version != version:
                raise RuntimeError("a tensor this recorded step is computed from was changed in place after "
                                   "its record() block ended")
        with torch.no_grad():
            value = self.fn(*self.inputs)
        self._weak = weakref.ref(value)
        _recent.touch(self, value)
        return value


class _Recent:
    """The last few derived values read, kept alive (so reading a step twice in a row computes it once)."""

    def __init__(self, size: int = 3):
        self.size = size
        self._items: OrderedDict[int, tuple[Derived, torch.Tensor]] = OrderedDict()
        self._lock = threading.Lock()

    def touch(self, derived: Derived, value: torch.Tensor) -> None:
        with self._lock:
            self._items[id(derived)] = (derived, value)
            self._items.move_to_end(id(derived))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_recent = _Recent()


def _storage_ptr(t: torch.Tensor) -> int:
    try:
        return t.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):   # tensors without storage (meta in some versions, sparse)
        return 0


class Step:
    """One recorded value: its stable name ("blocks.3.attn.hook_pattern"), its tensor, the labels of its axes
    (("batch", "head", "q_pos", "k_pos")) and its lesson-text key. The tensor is never modified after recording
    (derived steps are recomputed on reading, see `Derived`)."""

    __slots__ = ("name", "stored", "dims", "key")

    def __init__(self, name: str, tensor: torch.Tensor | Derived, dims: tuple[str, ...], key: str):
        self.name = name
        self.stored = tensor
        self.dims = tuple(dims)
        self.key = key

    @property
    def tensor(self) -> torch.Tensor:
        stored = self.stored
        return stored.materialize() if isinstance(stored, Derived) else stored

    @tensor.setter
    def tensor(self, value: torch.Tensor) -> None:
        self.stored = value

    @property
    def derived(self) -> bool:
        """Whether the tensor is recomputed when read (and takes no memory of its own)."""
        return isinstance(self.stored, Derived)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.stored.shape)

    @property
    def dtype(self) -> torch.dtype:
        return self.stored.dtype

    @property
    def nbytes(self) -> int:
        """The bytes of the tensor a reader gets (whether stored or derived)."""
        return self.stored.numel() * self.stored.element_size()

    def unshare(self, storage: int) -> None:
        stored = self.stored
        if isinstance(stored, Derived):
            stored.unshare(storage)
        elif _storage_ptr(stored) == storage:
            self.stored = stored.clone()

    @property
    def stage(self) -> str:
        """The coarse stage a step belongs to: "embeddings", "blocks.3", "decoder.blocks.1", "mlm_head"..."""
        parts = self.name.split(".")
        for i, part in enumerate(parts):
            if part == "blocks" and i + 1 < len(parts):
                return ".".join(parts[: i + 2])
        return parts[0] if len(parts) > 1 else "model"

    def __repr__(self) -> str:
        kind = "derived" if self.derived else "stored"
        return f"Step({self.name!r}, shape={self.shape}, dims={self.dims}, key={self.key!r}, {kind})"

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Step):
            return NotImplemented
        return (self.name, self.dims, self.key) == (other.name, other.dims, other.key) and \
            self.shape == other.shape and torch.equal(self.tensor, other.tensor)

    __hash__ = None


class ActivationCache:
    """Name -> Step, in the order the values were computed."""

    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def add(self, name: str, tensor: torch.Tensor | Derived, dims: tuple[str, ...], key: str) -> None:
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
        out = {}
        for name, s in self._steps.items():
            tensor = s.tensor
            out[name] = tensor.float().cpu().numpy() if tensor.is_floating_point() else tensor.cpu().numpy()
        return out

    def stored_tensors(self) -> list[torch.Tensor]:
        """Every tensor the cache keeps alive: the stored steps and what the derived ones are computed from."""
        out = []
        for s in self._steps.values():
            out.extend(s.stored.tensors() if isinstance(s.stored, Derived) else [s.stored])
        return out

    def nbytes(self) -> int:
        """The memory the cache holds: each storage once (a step may be a view of another step's storage, and
        derived steps hold none of their own)."""
        seen: dict[tuple, int] = {}
        for t in self.stored_tensors():
            storage = t.untyped_storage()
            seen[(t.device.type, t.device.index, storage.data_ptr() or id(storage))] = storage.nbytes()
        return sum(seen.values())

    def nominal_bytes(self) -> int:
        """The bytes of every step as a reader sees it, as if each were its own copy (what a clone-everything
        recorder would keep)."""
        return sum(s.nbytes for s in self._steps.values())
