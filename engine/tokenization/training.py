"""Train a real `tokenizers` pipeline for a recipe on the shipped corpus.

Each builder assembles what the released tokenizer uses: normalizer -> pre-tokenizer -> model ->
post-processor -> decoder. Where the released one uses a precompiled SentencePiece charsmap we use
plain NFKC, its closest built-in equivalent.

This file's source (and merges.py's) is part of the disk-cache key: editing it retrains every tokenizer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable

from tokenizers import AddedToken, Regex, decoders, models, normalizers, pre_tokenizers, processors, trainers
from tokenizers import Tokenizer as Backend

from .merges import learn_bpe
from .recipes import Recipe

BYTE_TOKENS = [f"<0x{b:02X}>" for b in range(256)]  # SentencePiece's names for byte-fallback pieces
SPACE_MARK = "▁"  # SentencePiece writes the space as this symbol (U+2581)


def train(recipe: Recipe, lines: list[str]) -> Backend:
    backend = _BUILDERS[recipe.name](recipe, _without_own_specials(recipe, lines))
    _add_post_processor(backend, recipe)
    return backend


def _without_own_specials(recipe: Recipe, lines: list[str]) -> list[str]:
    """The corpus talks about "[MASK]", "</s>" and "<0xE4>"; a trainer would learn those strings as
    ordinary pieces that clash with the real special tokens. Blank out the recipe's own ones (the
    released tokenizers never saw them in their training text either)."""
    reserved = [t for t in recipe.special_tokens if t.startswith(("[", "<"))]
    if recipe.byte_fallback:
        reserved += BYTE_TOKENS
    if not reserved:
        return lines
    pattern = re.compile("|".join(re.escape(t) for t in sorted(reserved, key=len, reverse=True)))
    return [pattern.sub(" ", line) for line in lines]


# --- WordPiece (BERT) -------------------------------------------------------------------------------

def _wordpiece(lowercase: bool, limit_alphabet: int | None) -> Callable[[Recipe, list[str]], Backend]:
    def build(recipe: Recipe, lines: list[str]) -> Backend:
        backend = Backend(models.WordPiece(unk_token=recipe.roles["unk"]))
        # handle_chinese_chars puts spaces around every CJK character, so each one is its own word.
        backend.normalizer = normalizers.BertNormalizer(
            clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase
        )
        backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        backend.decoder = decoders.WordPiece(prefix="##")
        n_specials = len(recipe.head_specials)
        learned = learn_bpe(_word_counts(backend, lines), max_vocab=recipe.vocab_size - n_specials,
                            continuing_prefix="##", alphabet_limit=limit_alphabet)
        vocab = _numbered([*recipe.head_specials, *learned.vocabulary()], recipe)
        # WordPiece keeps only the vocabulary; encoding is greedy longest-match, "##" inside a word.
        backend.model = models.WordPiece(vocab, unk_token=recipe.roles["unk"])
        backend.add_special_tokens(list(recipe.head_specials))
        return backend

    return build


# --- character-level BPE with end-of-word marker (GPT-1) ------------------------------------------

def _char_bpe_gpt1(recipe: Recipe, lines: list[str]) -> Backend:
    # openai-gpt lower-cases and splits like BERT's basic tokenizer, then runs BPE where the last
    # symbol of each word carries "</w>" ("the" -> "t", "h", "e</w>").
    backend = Backend(models.BPE(unk_token=recipe.roles["unk"], end_of_word_suffix="</w>"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.decoder = decoders.BPEDecoder(suffix="</w>")
    # The alphabet is exactly the characters of the corpus: anything else (an emoji) is <unk>.
    n_specials = len(recipe.head_specials)
    learned = learn_bpe(_word_counts(backend, lines), max_vocab=recipe.vocab_size - n_specials, end_of_word="</w>")
    vocab = _numbered([*recipe.head_specials, *learned.vocabulary()], recipe)
    merges = [(left, right) for left, right, _ in learned.merges]
    backend.model = models.BPE(vocab, merges, unk_token=recipe.roles["unk"], end_of_word_suffix="</w>")
    backend.add_special_tokens(list(recipe.head_specials))
    return backend


def _word_counts(backend: Backend, lines: list[str]) -> Counter:
    """Words exactly as this pipeline's normalizer and pre-tokenizer cut them."""
    counts: Counter = Counter()
    for line in lines:
        normalized = backend.normalizer.normalize_str(line)
        counts.update(word for word, _ in backend.pre_tokenizer.pre_tokenize_str(normalized))
    return counts


def _numbered(tokens: list[str], recipe: Recipe) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for token in tokens:
        if token in vocab:
            raise ValueError(f"{recipe.name}: token {token!r} learned from the corpus clashes with a special")
        vocab[token] = len(vocab)
    return vocab


# --- byte-level BPE (GPT-2, GPT-3, RoBERTa) ---------------------------------------------------------

def _byte_bpe(recipe: Recipe, lines: list[str]) -> Backend:
    backend = Backend(models.BPE())  # no unk token: every byte has a symbol
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=recipe.vocab_size - len(recipe.tail_specials),
        special_tokens=list(recipe.head_specials),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes, seen or not
        show_progress=False,
    )
    backend.train_from_iterator(lines, trainer)
    # RoBERTa's <mask> swallows the space before it, so "a <mask>" predicts "Ġword" tokens.
    backend.add_special_tokens([AddedToken(token, lstrip=(token == "<mask>"), special=True)
                                for token in recipe.tail_specials])
    return backend


# --- SentencePiece Unigram (T5, ALBERT, GLM) ------------------------------------------------------

def _unigram(extra_normalizers: list, prepend: str = "always",
             lstrip: tuple[str, ...] = ()) -> Callable[[Recipe, list[str]], Backend]:
    """prepend: Metaspace's prepend_scheme ("always": every piece between added tokens starts with "▁", as the fast
    T5 tokenizer does; "first": only the text's start, as SentencePiece's add_dummy_prefix does). lstrip: added
    tokens that swallow the space before them."""
    def build(recipe: Recipe, lines: list[str]) -> Backend:
        backend = Backend(models.Unigram())
        backend.normalizer = normalizers.Sequence(
            [*extra_normalizers, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
        )
        backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SPACE_MARK, prepend_scheme=prepend)
        backend.decoder = decoders.Metaspace(replacement=SPACE_MARK, prepend_scheme=prepend)
        trainer = trainers.UnigramTrainer(
            vocab_size=recipe.vocab_size - len(recipe.tail_specials),
            special_tokens=list(recipe.head_specials),
            unk_token=recipe.roles["unk"],
            show_progress=False,
        )
        backend.train_from_iterator(lines, trainer)
        _make_unigram_deterministic(backend, recipe)
        backend.add_special_tokens(list(recipe.tail_specials))
        if lstrip:
            backend.add_special_tokens([AddedToken(token, lstrip=True, special=True) for token in lstrip])
        return backend

    return build


def _make_unigram_deterministic(backend: Backend, recipe: Recipe) -> None:
    """Same corpus, same vocabulary, same ids. The Unigram trainer sums floats in hash-map order,
    so scores wobble in the 14th digit from run to run; and it appends the characters it must keep
    (its "required chars") in hash order, each 1e-4 below the previous. Round the scores, sort by
    score then text, and put that trailing character block in code-point order."""
    pieces = json.loads(backend.to_str())["model"]["vocab"]
    n_head = len(recipe.head_specials)
    head = [piece for piece, _ in pieces[:n_head]]
    assert head == list(recipe.head_specials), "trainer moved the special tokens"
    learned = [(piece, round(score, 6)) for piece, score in pieces[n_head:]]

    start = len(learned)  # find the trailing run of single characters spaced 1e-4 apart
    while start > 0 and len(learned[start - 1][0]) == 1 and (
        start == len(learned) or abs(learned[start - 1][1] - learned[start][1] - 1e-4) < 1e-6
    ):
        start -= 1
    scored = sorted(learned[:start], key=lambda p: (-p[1], p[0]))
    tail = learned[start:]
    top = max((score for _, score in tail), default=0.0)
    tail = [(char, round(top - 1e-4 * i, 6)) for i, char in enumerate(sorted(c for c, _ in tail))]

    vocab = [(piece, 0.0) for piece in head] + scored + tail
    unk_id = recipe.head_specials.index(recipe.roles["unk"])
    backend.model = models.Unigram(vocab, unk_id=unk_id, byte_fallback=False)


# --- SentencePiece BPE with byte fallback (LLaMA, ChatGLM2) ----------------------------------------

def _sentencepiece_bpe(recipe: Recipe, lines: list[str]) -> Backend:
    backend = Backend(models.BPE(unk_token=recipe.roles["unk"]))
    # "first": only the start of the text gets a "▁" (LLaMA's add_dummy_prefix); spaces become "▁".
    backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SPACE_MARK, prepend_scheme="first")
    n_learned = recipe.vocab_size - len(BYTE_TOKENS) - len(recipe.tail_specials)
    trainer = trainers.BpeTrainer(
        vocab_size=n_learned, special_tokens=list(recipe.head_specials), show_progress=False
    )
    backend.train_from_iterator(lines, trainer)

    # The trainer knows nothing of byte fallback, so rebuild the model: specials, then the 256 byte
    # pieces (where SentencePiece puts them), then the learned pieces, then the tail tokens.
    trained = json.loads(backend.to_str())["model"]
    learned = sorted(trained["vocab"].items(), key=lambda item: item[1])
    order = [token for token, _ in learned[: len(recipe.head_specials)]]
    assert order == list(recipe.head_specials), "trainer moved the special tokens"
    order += BYTE_TOKENS + [token for token, _ in learned[len(recipe.head_specials):]]
    order += list(recipe.tail_specials)
    vocab = _numbered(order, recipe)
    merges = [tuple(merge) for merge in trained["merges"]]
    backend.model = models.BPE(vocab, merges, unk_token=recipe.roles["unk"], byte_fallback=True, fuse_unk=True)
    backend.decoder = decoders.Sequence(
        [decoders.Replace(SPACE_MARK, " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    # Tokens written like markup may be typed; plain words such as ChatGLM's "sop" stay in the vocabulary
    # only, so typing "sop" gives ordinary pieces (ChatGLM2 never parses its specials out of text either).
    backend.add_special_tokens([t for t in recipe.tail_specials if t.startswith(("[", "<"))])
    return backend


# --- post-processing: the special tokens each model adds around its input -------------------------

def _add_post_processor(backend: Backend, recipe: Recipe) -> None:
    def ids(tokens):
        return [(token, backend.token_to_id(token)) for token in tokens]

    if recipe.single is None:  # RoBERTa: <s> A </s> / <s> A </s></s> B </s>, offsets trimmed of spaces
        backend.post_processor = processors.RobertaProcessing(
            (recipe.roles["sep"], backend.token_to_id(recipe.roles["sep"])),
            (recipe.roles["cls"], backend.token_to_id(recipe.roles["cls"])),
            trim_offsets=True,
            add_prefix_space=False,
        )
        return
    used = {piece.split(":")[0] for piece in f"{recipe.single} {recipe.pair}".split()}
    specials = sorted(used - {"$A", "$B"})
    backend.post_processor = processors.TemplateProcessing(
        single=recipe.single, pair=recipe.pair, special_tokens=ids(specials)
    )


_BUILDERS: dict[str, Callable[[Recipe, list[str]], Backend]] = {
    # bert-base-uncased: English-centred alphabet, so rare CJK characters become [UNK].
    "bert": _wordpiece(lowercase=True, limit_alphabet=300),
    "bert-chinese": _wordpiece(lowercase=False, limit_alphabet=None),
    "roberta": _byte_bpe,
    "gpt2": _byte_bpe,
    "gpt1": _char_bpe_gpt1,
    "t5": _unigram([]),
    # ALBERT: `` and '' become ", accents stripped, lower-cased (albert-base-v2 settings).
    # A typed "very [MASK]." reads "▁very", "[MASK]", "." as "very much." reads "▁very", "▁much", ".": [MASK] swallows
    # the space before it (as albert-base-v2's [MASK] does) and no "▁" is put after it.
    "albert": _unigram([normalizers.Replace("``", '"'), normalizers.Replace("''", '"'),
                        normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase()],
                       prepend="first", lstrip=("[MASK]",)),
    "glm": _unigram([]),
    "llama": _sentencepiece_bpe,
    "chatglm": _sentencepiece_bpe,
}
