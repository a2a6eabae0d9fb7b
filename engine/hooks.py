"""Hook points: identity modules that let a scoped recorder see every intermediate tensor.

The maths in the models never branches on "am I recording?" except in attention, which must form the probability
matrix explicitly to have something to record (and LLaMA's repeated keys and values, which only that explicit path
needs). Everywhere else a value passes through a HookPoint, which returns it untouched and, while a `record()` scope
is active, hands it to the recorder.

The recorder keeps the tensor itself, not a copy: the forward pass made it anyway, and copying every step costs
as much memory traffic as the layers. The models never write in place into a value they have handed to a hook, so
by default the recorder only checks, when the block ends, that nothing it keeps was changed (each tensor's version
counter, which every in-place operation through any view raises): were it changed, `record` raises instead of
returning a wrong value. `record(copy_on_write=True)` is for code that does write in place: every torch call is
seen, and an in-place operation (`x += 1`, `x.add_()`, `x[i] = v`, `out=x`, `inplace=True`) on a tensor whose
memory the cache holds first gives the cache its own copy (seeing every call costs about 2.5% of a recorded forward
at 128 tokens). A hook may also pass `derive=(fn, *inputs)`: a recipe that recomputes the value exactly from
tensors the cache keeps anyway; the cache then stores the recipe instead of the tensor (attention's scaled and
masked scores, residual sums, see engine.cache.Derived).
"""
from __future__ import annotations

import contextlib
import contextvars
import weakref
from typing import Callable, Iterator

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from engine.cache import PORTABLE, ActivationCache, Derived, _storage_ptr
from engine.memory import keep_freed_memory

_active: contextvars.ContextVar["Recorder | None"] = contextvars.ContextVar("plm_recorder", default=None)

# Python's in-place operators; every other in-place torch op is named with a trailing underscore (add_, copy_...)
_INPLACE_DUNDERS = frozenset({"__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__",
                              "__ipow__", "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__",
                              "__imatmul__", "__setitem__"})


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

    def forward(self, x: torch.Tensor, derive: tuple | None = None) -> torch.Tensor:
        """derive: (fn, *inputs) with fn(*inputs) equal to x bit for bit; the recorder may keep that instead."""
        recorder = _active.get()
        if recorder is not None:
            # the recorder's own tensor reads (detach, storage, version) are not the model's ops: they bypass the
            # copy-on-write mode, which otherwise sees ~7 calls of ours for every recorded step
            with torch._C.DisableTorchFunction():
                recorder.record(self, x, derive)
        return x

    def derived(self, fn: Callable[..., torch.Tensor], *inputs, like: torch.Tensor) -> None:
        """Record fn(*inputs), a value the forward pass itself does not need, without computing it: the step
        is the recipe (shape, dtype and device those of `like`)."""
        recorder = _active.get()
        if recorder is not None:
            with torch._C.DisableTorchFunction():
                recorder.record(self, like, (fn, *inputs), computed=False)

    def extra_repr(self) -> str:
        return f"dims={self.dims}, key={self.key!r}"


def name_hook_points(model: nn.Module) -> None:
    """Give every HookPoint its module path as its name (`blocks.3.attn.hook_pattern`)."""
    for path, module in model.named_modules():
        if isinstance(module, HookPoint):
            module.name = path


class _CopyOnWrite(TorchFunctionMode):
    """Sees every torch call while recording; before one that writes into memory the cache shares, the cache
    takes its own copy. Costs a dictionary test per in-place call and a string test per call."""

    def __init__(self, recorder: "Recorder"):
        super().__init__()
        self.recorder = recorder

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self.recorder._shared:
            name = getattr(func, "__name__", "")
            if (name.endswith("_") and not name.startswith("_")) or name in _INPLACE_DUNDERS \
                    or kwargs.get("inplace") is True:
                if args and isinstance(args[0], torch.Tensor):
                    self.recorder.before_write(args[0])
            out = kwargs.get("out")
            if out is not None:
                for tensor in (out if isinstance(out, (tuple, list)) else (out,)):
                    if isinstance(tensor, torch.Tensor):
                        self.recorder.before_write(tensor)
        return func(*args, **kwargs)


class Recorder:
    """Collects hook values in computation order. Prefix renames let one shared module run as many steps."""

    def __init__(self, names: set[str] | None = None, device: torch.device | str | None = "cpu",
                 copy_on_write: bool = False):
        self.cache = ActivationCache()
        self.names = names
        self.device = torch.device(device) if device is not None else None
        self.copy_on_write = copy_on_write
        self._renames: list[tuple[str, str]] = []
        # storage address -> the steps / derived values holding a tensor that lives there (copy-on-write)
        self._shared: dict[int, list] = {}
        # without copy-on-write: (live tensor kept, its version when recorded, the step's name), checked at the end
        self._watched: list[tuple[torch.Tensor, int, str]] = []
        # id(live tensor) -> (weak reference to it, the copy on the recording device): a derived step reads the
        # copy the cache already holds instead of copying its inputs again (GPU run, CPU recording)
        self._copies: dict[int, tuple[weakref.ref, torch.Tensor]] = {}

    def _name(self, hook: HookPoint) -> str:
        name = hook.name
        for old, new in reversed(self._renames):
            if name.startswith(old + ".") or name == old:
                return new + name[len(old):]
        return name

    def record(self, hook: HookPoint, value: torch.Tensor, derive: tuple | None = None,
               computed: bool = True) -> None:
        """computed: whether `value` is the value itself (else only shaped like it: HookPoint.derived)."""
        name = self._name(hook) if self._renames else hook.name
        if self.names is not None and name not in self.names:
            return
        if derive is not None and self.device is not None and value.device != self.device \
                and derive[0] not in PORTABLE:
            # computed on another device than the cache's: recomputing it here might round otherwise
            value = value if computed else derive[0](*derive[1:])
            derive = None
        if derive is not None:
            fn, *inputs = derive
            stored = Derived(fn, tuple(self._keep(t) for t in inputs), value)
            stored.device = stored.inputs[0].device if isinstance(stored.inputs[0], torch.Tensor) else value.device
        else:
            stored = self._keep(value, remember=True)
        self.cache.add(name, stored, hook.dims, hook.key)
        holders = stored.tensors() if isinstance(stored, Derived) else [stored]
        if not self.copy_on_write:
            self._watched.extend((t, t._version, name) for t in holders if t is not None and self._is_live(t))
            return
        step = self.cache.step(name)
        for tensor in holders:
            if tensor is not None and self._is_live(tensor):
                self._shared.setdefault(_storage_ptr(tensor), []).append(step)

    def _keep(self, value, remember: bool = False):
        """What the cache keeps of a live value: the tensor itself (detached), or its copy on the recording
        device (made once: a later derived step reuses it)."""
        if not isinstance(value, torch.Tensor):
            return value
        tensor = value.detach()
        if self.device is None or tensor.device == self.device:
            return tensor
        known = self._copies.get(id(value))
        if known is not None and known[0]() is value:
            return known[1]
        copy = tensor.to(self.device)
        if remember:
            self._copies[id(value)] = (weakref.ref(value), copy)
        return copy

    @staticmethod
    def _is_live(tensor: torch.Tensor) -> bool:
        """A tensor that may share memory with the running model's (not a copy made for the cache)."""
        return not tensor.is_meta and _storage_ptr(tensor) != 0

    def check_unchanged(self) -> None:
        """Raise if a tensor the cache keeps was written in place since it was recorded (without copy-on-write)."""
        changed = [name for tensor, version, name in self._watched if tensor._version != version]
        if changed:
            more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
            raise RuntimeError(f"recorded step {changed[0]}{more} was changed in place during the recording, so "
                               f"the cache no longer holds its value; record with copy_on_write=True")

    def before_write(self, tensor: torch.Tensor) -> None:
        """An in-place op is about to write into `tensor`: every step holding that memory takes its own copy."""
        if not isinstance(tensor, torch.Tensor) or tensor.is_meta:
            return
        holders = self._shared.pop(_storage_ptr(tensor), None)
        if holders:
            storage = _storage_ptr(tensor)
            for step in holders:
                step.unshare(storage)


def is_recording() -> bool:
    return _active.get() is not None


def recorder() -> Recorder | None:
    """The active recorder (None when not recording)."""
    return _active.get()


@contextlib.contextmanager
def record(names: set[str] | None = None, device: torch.device | str | None = "cpu",
           copy_on_write: bool = False) -> Iterator[ActivationCache]:
    """Record every hook point reached inside the block; the hooks are always released on exit.

    device: where recorded tensors are kept ("cpu" by default so a GPU run does not fill GPU memory with
    copies; None keeps them where they were computed). Recorded values are the forward pass's own tensors: an
    in-place change to one inside the block makes the block raise, unless copy_on_write, which gives the cache its
    own copy first. Change a tensor the cache holds in place after the block and the cache sees it (outputs returned
    by the model included).
    """
    keep_freed_memory()       # the last trace's memory serves this one without a page fault per page
    recorder = Recorder(names, device, copy_on_write)
    token = _active.set(recorder)
    try:
        with _CopyOnWrite(recorder) if copy_on_write else contextlib.nullcontext():
            yield recorder.cache
        recorder.check_unchanged()
    finally:
        _active.reset(token)
        recorder._shared.clear()
        recorder._copies.clear()
        recorder._watched.clear()


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
