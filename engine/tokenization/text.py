"""Text the tokenizers can take."""
from __future__ import annotations

from engine.errors import InputError


def check_unicode(text: str, what: str = "text") -> None:
    """Lone surrogates (invalid UTF-8 on a command line, "\\ud800" from code) cannot be tokenized: say so."""
    if not isinstance(text, str):
        raise InputError(f"The {what} must be a string, not {type(text).__name__}.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(f"The {what} holds a character that is not valid Unicode ({text[error.start]!r} at "
                         f"position {error.start}, a lone surrogate: invalid UTF-8?). Remove it or retype it."
                         ) from None
