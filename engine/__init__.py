"""PLM Explorer's engine: the models of the chapter, recorded step by step. No Qt here.

    import engine
    loaded = engine.load("bert-tiny")            # or a checkpoint folder, or "minilm"
    trace = loaded.trace(text="The cat sat on the mat.")
    trace.cache["blocks.0.attn.hook_pattern"]    # (batch, head, q_pos, k_pos)
"""
from engine.api import LoadedModel, Trace, load
from engine.errors import CheckpointError, DeviceError, InputError, PLMError, UnknownModelError

__all__ = ["load", "LoadedModel", "Trace", "PLMError", "InputError", "CheckpointError", "DeviceError",
           "UnknownModelError"]
