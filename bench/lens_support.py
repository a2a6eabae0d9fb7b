"""TransformerLens for the comparison, where it is installed (the app and its tests never need it).

TransformerLens 4 (TransformerBridge) wraps a transformers model. Either install it whole beside the project, in a
copy of the environment so that nothing the tests see changes:

    cp -a .venv /tmp/tl-venv && /tmp/tl-venv/bin/pip install transformer-lens && /tmp/tl-venv/bin/python -m bench

or put just what it imports to run a model into bench/.tl (--no-deps: nothing in .venv changes):

    .venv/bin/pip install --no-deps --target bench/.tl transformer-lens einops fancy-einsum jaxtyping \
        wadler-lindig beartype typeguard accelerate psutil

The benchmark looks in the environment, then in bench/.tl. In the second case the packages it imports but does not
need to run (datasets, wandb, pandas...) are stood in for by empty modules, in this process only. The bridge is
built around our own transformers model object, from a folder holding its config and a word-level tokenizer made
here: nothing is downloaded.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import tempfile
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCAL = HERE / ".tl"
STAND_INS = ("datasets", "wandb", "pandas", "sentencepiece", "transformers_stream_generator")


class _Anything(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (), {"__init__": lambda self, *args, **kwargs: None})


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, roots):
        self.roots = set(roots)

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.roots:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _Anything(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def load():
    """(TransformerBridge class, "") or (None, why not)."""
    if importlib.util.find_spec("transformer_lens") is None and LOCAL.is_dir():
        sys.path.append(str(LOCAL))
    if importlib.util.find_spec("transformer_lens") is None:
        return None, "TransformerLens is not installed (bench/lens_support.py: how to install it)"
    missing = [name for name in STAND_INS if importlib.util.find_spec(name) is None]
    if missing:
        sys.meta_path.insert(0, _StandIns(missing))
    try:
        from transformer_lens.model_bridge import TransformerBridge  # noqa: F401
        from transformer_lens.model_bridge.sources.transformers import source  # noqa: F401
    except Exception as error:   # noqa: BLE001
        return None, f"TransformerLens did not import: {type(error).__name__}: {error}"
    return TransformerBridge, ""


def version() -> str:
    try:
        from importlib.metadata import version as v
        return v("transformer-lens")
    except Exception:   # noqa: BLE001
        for found in LOCAL.glob("transformer_lens-*.dist-info"):
            return found.name.split("-")[1]
        return "?"


def _tokenizer(folder: str):
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {f"w{i}": i for i in range(1000)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="w0", pad_token="w0",
                                                eos_token="w1", bos_token="w2")
    fast.save_pretrained(folder)
    return transformers.AutoTokenizer.from_pretrained(folder)


def bridge(hf_model):
    """A TransformerBridge around hf_model (its weights as they are), built without any download."""
    import logging

    from transformer_lens.model_bridge.sources.transformers.source import boot

    logging.disable(logging.WARNING)
    folder = tempfile.mkdtemp(prefix="plm-bench-tl-")
    hf_model.config.save_pretrained(folder)
    return boot(folder, hf_model=hf_model, tokenizer=_tokenizer(folder))


def call_args(case: str, inputs: dict) -> dict:
    if case == "t5-small":
        return {"args": (inputs["input_ids"],), "kwargs": {"decoder_input": inputs["decoder_input_ids"]}}
    return {"args": (inputs["input_ids"],), "kwargs": {}}


def cache_bytes(cache) -> int:
    """Bytes TransformerLens' cache keeps: each storage once."""
    seen = {}
    for value in cache.values():
        storage = value.untyped_storage()
        seen[storage.data_ptr()] = storage.nbytes()
    return sum(seen.values())
