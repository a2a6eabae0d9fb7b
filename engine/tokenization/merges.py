"""Learning BPE merges, in plain Python, the way the seed describes it.

Start from characters; count every pair of neighbouring symbols (weighted by how often the word
occurs); merge the most frequent pair everywhere; repeat. Ties go to the alphabetically first pair,
so the same words always give the same merges in the same order.

Why not the `tokenizers` trainer for GPT-1 and WordPiece? It numbers the "e</w>" / "##e" symbols
in hash-map order, and ties between equally frequent pairs are broken by those numbers, so two
runs on the same text learn different vocabularies. The library's BPE and WordPiece *models* then
run what is learned here. (HF's WordPiece trainer is this same frequency BPE with "##" pieces; the
likelihood score of Google's original WordPiece trainer was never released as code.)
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass
class LearnedBPE:
    alphabet: list[str]  # the starting symbols, sorted
    merges: list[tuple[str, str, str]]  # (left, right, merged), in the order learned

    def vocabulary(self) -> list[str]:
        """Alphabet, then each new merged symbol once, in merge order."""
        seen, vocab = set(), []
        for token in [*self.alphabet, *(merged for _, _, merged in self.merges)]:
            if token not in seen:
                seen.add(token)
                vocab.append(token)
        return vocab


def learn_bpe(
    word_counts: Mapping[str, int],
    *,
    max_vocab: int | None = None,
    max_merges: int | None = None,
    end_of_word: str = "",
    continuing_prefix: str = "",
    alphabet_limit: int | None = None,
) -> LearnedBPE:
    """Merge until the vocabulary (alphabet + merged symbols) has `max_vocab` tokens, or until
    `max_merges` merges, or until no pair is left.

    end_of_word="</w>": the last symbol of a word carries the marker (GPT-1: "the" = t h e</w>).
    continuing_prefix="##": every symbol but the first carries it (WordPiece: "the" = t ##h ##e).
    alphabet_limit: keep only the most frequent characters; words with any other character are left
    out of training, so those characters stay unknown (English BERT and rare CJK characters).
    """
    char_counts: Counter = Counter()
    for word, count in word_counts.items():
        for char in word:
            char_counts[char] += count
    kept = sorted(char_counts, key=lambda c: (-char_counts[c], c))
    kept = set(kept[:alphabet_limit] if alphabet_limit is not None else kept)

    def split(word: str) -> list[str]:
        symbols = [continuing_prefix + c if i else c for i, c in enumerate(word)]
        if end_of_word:
            symbols[-1] += end_of_word
        return symbols

    words, counts = [], []
    alphabet: set[str] = set()
    for word, count in sorted(word_counts.items()):
        if not word or any(c not in kept for c in word):
            continue
        symbols = split(word)
        words.append(symbols)
        counts.append(count)
        alphabet.update(symbols)
        if len(word) > 1:
            # A character seen inside a longer word gets both spellings (word-start and continuing,
            # or mid-word and word-final), so the same letter elsewhere in a word is never unknown.
            for char in word:
                alphabet.update((char, continuing_prefix + char, char + end_of_word))

    def join(left: str, right: str) -> str:
        return left + right[len(continuing_prefix):]

    pair_counts: Counter = Counter()
    where: defaultdict = defaultdict(set)  # pair -> indices of words that (may) contain it
    for index, symbols in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += counts[index]
            where[pair].add(index)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)

    merges: list[tuple[str, str, str]] = []
    vocab = set(alphabet)
    while heap:
        if max_merges is not None and len(merges) >= max_merges:
            break
        if max_vocab is not None and len(vocab) >= max_vocab:
            break
        negative_count, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative_count:
            continue  # stale heap entry: this pair's count changed since it was pushed
        merged = join(*pair)
        merges.append((pair[0], pair[1], merged))
        vocab.add(merged)
        changed = set()
        for index in sorted(where.pop(pair)):
            old = words[index]
            new = merge_pair(old, pair, merged)
            if new == old:
                continue
            count = counts[index]
            for p in zip(old, old[1:]):
                pair_counts[p] -= count
                changed.add(p)
            for p in zip(new, new[1:]):
                pair_counts[p] += count
                where[p].add(index)
                changed.add(p)
            words[index] = new
        for p in changed:
            if pair_counts[p] > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
            else:
                del pair_counts[p]
    return LearnedBPE(alphabet=sorted(alphabet), merges=merges)


def merge_pair(symbols: list[str], pair: tuple[str, str], merged: str) -> list[str]:
    """Apply one BPE merge to a word's symbols, left to right: [t, h, e] with (t, h) -> [th, e]."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == pair[0] and symbols[i + 1] == pair[1]:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out
