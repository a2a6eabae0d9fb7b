"""build_tokenizer(): train a recipe on the corpus once, then reuse it (memory, then disk).

Disk cache: `$PLM_EXPLORER_CACHE/tokenizers/` if that variable is set, else
`~/.cache/plm-explorer/tokenizers/`. A file is named by a hash of the corpus, the recipe, the
training code (training.py, merges.py) and the `tokenizers` version, so any change retrains. A
file that fails to load is rebuilt and overwritten. An unwritable cache only costs the retraining.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import tokenizers
from tokenizers import Tokenizer as Backend

from . import merges, training
from .corpus import corpus_digest, corpus_lines
from .recipes import RECIPES, Recipe
from .tokenizer import Tokenizer

_memory: dict[str, Tokenizer] = {}
_lock = threading.Lock()  # GUI workers may ask for the same tokenizer at once


def cache_dir() -> Path:
    root = os.environ.get("PLM_EXPLORER_CACHE")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "plm-explorer"
    return base / "tokenizers"


def recipe_key(recipe: Recipe) -> str:
    digest = hashlib.sha256()
    code = [Path(module.__file__).read_text(encoding="utf-8") for module in (training, merges)]
    for part in (corpus_digest(), repr(recipe), *code, tokenizers.__version__):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def cache_path(recipe: str) -> Path:
    """Where the trained tokenizer of `recipe` is (or will be) stored on disk."""
    spec = RECIPES[recipe]
    return cache_dir() / f"{spec.name}-{recipe_key(spec)}.json"


def clear_memory_cache() -> None:
    with _lock:
        _memory.clear()


def build_tokenizer(recipe: str, *, use_cache: bool = True) -> Tokenizer:
    """The tokenizer of a recipe in RECIPES, trained on the shipped corpus (use_cache=False retrains), or a
    released vocabulary of `released.RELEASED` ("released-gpt2"), read from the package that ships it."""
    from .released import RELEASED, load_released

    if recipe in RELEASED:
        return load_released(recipe)
    spec = RECIPES.get(recipe)
    if spec is None:
        raise ValueError(f"unknown tokenizer recipe {recipe!r}; choose one of: {', '.join([*RECIPES, *RELEASED])}")
    if not use_cache:
        return _wrap(spec, training.train(spec, corpus_lines()))
    with _lock:
        if recipe not in _memory:
            _memory[recipe] = _wrap(spec, _load_or_train(spec))
        return _memory[recipe]


def _wrap(spec: Recipe, backend: Backend) -> Tokenizer:
    size = backend.get_vocab_size(with_added_tokens=True)
    return Tokenizer(backend, spec.kind, spec.name, dict(spec.roles), byte_fallback=spec.byte_fallback,
                     description=spec.describe(size), released=False, vocabulary_note=trained_note(spec, size))


def trained_note(spec: Recipe, size: int) -> str:
    return (f"This app's own small {spec.kind} vocabulary ({size:,} tokens, trained on its corpus in the manner of "
            f"{spec.family}): the ids are not the released ones (the released vocabulary has {spec.real_vocab:,}).")


def _load_or_train(spec: Recipe) -> Backend:
    path = cache_path(spec.name)
    if path.is_file():
        try:
            return Backend.from_file(str(path))
        except Exception:  # truncated or corrupt file: fall through and rebuild it
            pass
    backend = training.train(spec, corpus_lines())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        backend.save(str(partial))
        os.replace(partial, path)  # atomic: another process never reads half a file
    except OSError:
        pass
    return backend
