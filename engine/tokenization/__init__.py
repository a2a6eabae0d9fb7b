"""Tokenizers of each model family's real kind, built with the Hugging Face `tokenizers` library.

    WordPiece          BERT (bert-base-uncased, bert-base-chinese)
    char-level BPE     GPT-1 (with "</w>"); LLaMA and ChatGLM2 (SentencePiece BPE + byte fallback)
    byte-level BPE     GPT-2, GPT-3, RoBERTa (never unknown)
    Unigram            T5, ALBERT, GLM (SentencePiece)

With no checkpoint they are trained on the shipped corpus (assets/corpus) in well under a second each
and cached; with a checkpoint folder its own tokenizer.json (or vocab.txt) is used as is.
"""

from pathlib import Path

from .build import build_tokenizer, cache_dir
from .checkpoint import load_tokenizer, minilm_folder
from .encoding import Encoding
from .recipes import KINDS, RECIPES, Recipe
from .teaching import bpe_merge_trace, compare
from .tokenizer import Tokenizer

# Model names the app and CLI accept besides recipe names: "<family>-tiny" presets and aliases.
ALIASES = {"gpt3": "gpt2", "chatglm2": "chatglm", "chatglm3": "chatglm"}


def tokenizer_for(name_or_path: str | Path) -> Tokenizer:
    """A recipe name ("bert"), a tiny preset ("gpt3-tiny"), "minilm", or a checkpoint folder."""
    name = str(name_or_path)
    base = name[: -len("-tiny")] if name.endswith("-tiny") else name
    base = ALIASES.get(base, base)
    if base in RECIPES:  # a folder that shares a recipe name can still be given as ./bert
        return build_tokenizer(base)
    if name.lower() == "minilm":
        return load_tokenizer(minilm_folder())
    if Path(name).expanduser().exists():
        return load_tokenizer(name)
    raise ValueError(
        f"unknown model {name!r}: use a recipe ({', '.join(RECIPES)}), a '<family>-tiny' preset, "
        f"'minilm', or the path of a checkpoint folder"
    )


__all__ = [
    "ALIASES", "Encoding", "KINDS", "RECIPES", "Recipe", "Tokenizer", "bpe_merge_trace", "build_tokenizer",
    "cache_dir", "compare", "load_tokenizer", "minilm_folder", "tokenizer_for",
]
