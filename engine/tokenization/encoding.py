"""The result of tokenizing one text (or one pair of texts), in plain Python types."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Encoding:
    """One row per token; every list has the same length.

    offsets are (start, end) character offsets into the original text. For a pair, each token's offsets
    point into its own segment's text (use `segments` to know which). Special tokens added by the
    post-processor have the offsets (0, 0).
    """

    tokens: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    offsets: list[tuple[int, int]] = field(default_factory=list)
    special: list[bool] = field(default_factory=list)
    unknown: list[bool] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def to_json(self) -> dict:
        return {
            "tokens": list(self.tokens),
            "ids": list(self.ids),
            "offsets": [[start, end] for start, end in self.offsets],
            "special": list(self.special),
            "unknown": list(self.unknown),
            "segments": list(self.segments),
        }
