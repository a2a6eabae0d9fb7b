"""Views for the lesson: the same text through several tokenizers, and BPE learning merge by merge."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from tokenizers import normalizers, pre_tokenizers

from .build import build_tokenizer
from .merges import learn_bpe
from .tokenizer import Tokenizer

END_OF_WORD = "</w>"


def compare(text: str, recipes: Sequence[str | Tokenizer] = ("gpt1", "gpt2", "bert", "t5")) -> list[dict]:
    """One row per tokenizer: how many pieces the text becomes and how many of them are unknown.

    Special tokens are left out so the rows compare the algorithms, not the framing.
    """
    rows = []
    for item in recipes:
        tokenizer = item if isinstance(item, Tokenizer) else build_tokenizer(item)
        encoding = tokenizer.encode(text, add_special_tokens=False)
        n_tokens = len(encoding)
        rows.append({
            "name": tokenizer.recipe,
            "kind": tokenizer.kind,
            "byte_fallback": tokenizer.byte_fallback,
            "tokens": encoding.tokens,
            "ids": encoding.ids,
            "n_tokens": n_tokens,
            "n_unknown": sum(encoding.unknown),
            "chars_per_token": round(len(text) / n_tokens, 2) if n_tokens else 0.0,
        })
    return rows


# GPT-1's own normalisation and word splitting: lower-case, every CJK character and punctuation mark
# on its own, words split at spaces.
_GPT1_NORMALIZER = normalizers.BertNormalizer(lowercase=True)
_GPT1_WORDS = pre_tokenizers.BertPreTokenizer()


def bpe_merge_trace(words_or_text: str | Iterable[str] | None, num_merges: int) -> list[tuple[str, str, str]]:
    """The first `num_merges` BPE merges, in the order learned, as ("t", "h", "th") triples.

    Character-level BPE as GPT-1 learns it (merges.py): each word starts as its characters, the
    last one carrying "</w>", so "e</w>" ends a word and "e" does not; the most frequent neighbouring
    pair is merged, again and again (ties: alphabetical). A string is lower-cased and split into words
    the way GPT-1 does; a list is taken as the words themselves; None gives the merges of the shipped
    "gpt1" tokenizer itself, in order.
    """
    num_merges = max(0, int(num_merges))
    if words_or_text is None:
        merges = build_tokenizer("gpt1").merges()[:num_merges]
        return [(left, right, left + right) for left, right in merges]
    if isinstance(words_or_text, str):
        normalized = _GPT1_NORMALIZER.normalize_str(words_or_text)
        words = Counter(word for word, _ in _GPT1_WORDS.pre_tokenize_str(normalized))
    else:
        words = Counter(word for word in words_or_text if word)
    return learn_bpe(words, max_merges=num_merges, end_of_word=END_OF_WORD).merges
