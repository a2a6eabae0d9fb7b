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
    ) -> None:
        self.backend = backend
        self.kind = kind
        self.recipe = recipe
        self.byte_fallback = byte_fallback
        self.description = description
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
        encoded = self.backend.encode(text, pair, add_special_tokens=add_special_tokens)
        return self._convert(encoded)

    def encode_batch(self, texts: list[str], add_special_tokens: bool = True) -> list[Encoding]:
        for text in texts:
            check_unicode(text, "text")
        return [self._convert(e) for e in self.backend.encode_batch(list(texts), add_special_tokens=add_special_tokens)]

    def _convert(self, encoded) -> Encoding:
        ids = list(encoded.ids)
        special = [i in self._special_ids for i in ids]
        # An added token's string in `encoded.tokens` can carry the space it stripped (RoBERTa's
        # " <mask>"); show the vocabulary's spelling instead.
        tokens = [self.backend.id_to_token(i) if is_special else token
                  for i, token, is_special in zip(ids, encoded.tokens, special)]
        return Encoding(
            tokens=tokens,
            ids=ids,
            offsets=[(int(start), int(end)) for start, end in encoded.offsets],
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
