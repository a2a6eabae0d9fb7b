"""Building a model without paying for what is about to be thrown away.

Both helpers are torch-function modes: like `torch.device(...)` they act on the current thread only, so a
worker building a model never changes how another thread (or the GUI) initialises its own. Nothing in torch is
patched.
"""
from __future__ import annotations

from torch.overrides import TorchFunctionMode

# What nn.Linear, nn.Embedding and nn.LayerNorm call to fill their parameters when they are built
INITIALISERS = frozenset({"normal_", "uniform_", "fill_", "zero_", "trunc_normal_", "kaiming_uniform_",
                          "kaiming_normal_", "xavier_uniform_", "xavier_normal_", "ones_", "zeros_", "constant_"})


class _SkipInit(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if getattr(func, "__name__", "") in INITIALISERS:
            return args[0] if args else kwargs.get("tensor")
        return func(*args, **kwargs)


def skip_init() -> TorchFunctionMode:
    """`with skip_init(): model = Model(config)`: parameters are allocated but not filled (a checkpoint is about
    to overwrite every one of them); buffers computed from the config, such as rotary tables, are still computed."""
    return _SkipInit()


def meta_build():
    """A torch-function mode (thread-local, like torch.device) for building a model on meta quickly.

    1. In-place initialisers (normal_, uniform_, fill_, ...) on meta tensors are skipped: they would only fill
       tensors that hold no data.
    2. Arithmetic on small meta buffers (RoPE frequency tables, masks) runs on CPU zeros of the same shape and
       the result goes back to meta (so does `arange`). On meta, some of those ops take torch's Python reference
       kernels, whose first use imports torch._dynamo (about two seconds); buffers are not parameters, so their
       values never matter here. An op that fails on zeros falls back to meta.
    """
    import torch
    from torch.overrides import TorchFunctionMode
    from torch.utils._pytree import tree_map

    skipped = INITIALISERS | {"copy_"}
    small = 1 << 16
    attribute_access = {"__get__", "__set__", "__setitem__", "__delitem__"}

    def on_cpu(value):
        if isinstance(value, torch.Tensor) and value.is_meta:
            return torch.zeros(value.shape, dtype=value.dtype, device="cpu")
        return value

    def to_meta(value):
        return value.to("meta") if isinstance(value, torch.Tensor) else value

    class MetaBuild(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            name = getattr(func, "__name__", "")
            target = args[0] if args else kwargs.get("tensor")   # torch.nn.init passes tensor= by keyword
            if name in skipped and getattr(target, "is_meta", False):
                return target
            if name == "arange" and kwargs.get("device") is None:   # 1-D and small: position or frequency ids
                return func(*args, **{**kwargs, "device": "cpu"}).to("meta")
            if name in attribute_access or (name.endswith("_") and not name.startswith("__")):
                return func(*args, **kwargs)
            tensors = [v for v in (*args, *kwargs.values()) if isinstance(v, torch.Tensor)]   # top level is enough
            if tensors and all(t.is_meta and type(t) is torch.Tensor and t.numel() <= small for t in tensors):
                try:
                    return tree_map(to_meta, func(*tree_map(on_cpu, args), **tree_map(on_cpu, kwargs)))
                except (RuntimeError, ValueError):
                    pass
            return func(*args, **kwargs)

    return MetaBuild()


