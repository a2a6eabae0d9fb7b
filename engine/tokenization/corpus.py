"""The bilingual training text shipped in assets/corpus/ (written for this project).

With no checkpoint, every tokenizer is trained on these files, so the same text always gives the
same vocabulary. Files are read in sorted order; each non-empty line is one training sample.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[2] / "assets" / "corpus"


def corpus_files() -> list[Path]:
    files = sorted(CORPUS_DIR.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no training corpus found: expected *.txt files in {CORPUS_DIR}")
    return files


@lru_cache(maxsize=1)
def corpus_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in corpus_files())


def corpus_lines() -> list[str]:
    return [line.strip() for line in corpus_text().splitlines() if line.strip()]


@lru_cache(maxsize=1)
def corpus_digest() -> str:
    """Changes whenever any corpus file's name or content changes (part of the cache key)."""
    digest = hashlib.sha256()
    for path in corpus_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
