"""What the explorer remembers between launches: the session (model, text, step, view, layer, head, language,
device) and the recent checkpoints and tours, in the same QSettings as the Generate page's folders (the
PLM_EXPLORER_SETTINGS environment variable points them at an .ini file: the tests use their own).

Reading is Qt-free (`read_session` checks plain values); a value that is not what it should be is dropped and
named in a notice, never trusted, so a corrupt settings file opens the app as on a first launch.
"""
from __future__ import annotations

from dataclasses import dataclass

from explorer import session
from explorer.session import QT_TRANSLATE_NOOP

SESSION = "session/"
RECENT = "recent/"
RECENT_MAX = 8
LANGS = ("en", "zh")
# the notices load_session gives (in English: the language is known once the session is read), as the window says them
NOTICES = (QT_TRANSLATE_NOOP("remember", "The saved settings could not be read; the app opens as on a first launch."),
           QT_TRANSLATE_NOOP("remember", "Some saved settings could not be read and were ignored: {names}."),
           QT_TRANSLATE_NOOP("remember", "The last session's model {model} is not here any more; opened the default "
                                         "model."))


def notice_text(notice: str) -> str:
    """A notice of load_session (or the window's restore) in the interface's language."""
    from explorer import i18n

    return i18n.translate_message("remember", notice, NOTICES)


@dataclass(frozen=True)
class Session:
    model: str | None = None
    text: str | None = None
    pair: str | None = None
    step: str | None = None
    view: str | None = None
    layer: int | None = None   # 0-based, as in the state
    head: int | None = None    # 0-based
    lang: str | None = None
    device: str | None = None


def _text(value, limit: int = session.MAX_CHARS) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError
    return value


def _index(value) -> int:
    number = int(value)   # an .ini file gives "3"
    if number < 0 or number > 100_000 or str(number) != str(value).strip():
        raise ValueError
    return number


CHECKS = {"model": lambda v: _text(v, 4096) or None, "text": lambda v: _text(v) if _text(v).strip() else None,
          "pair": lambda v: _text(v) or None, "step": lambda v: _text(v, 400) or None,
          "view": lambda v: _text(v, 40) or None, "layer": _index, "head": _index,
          "lang": lambda v: v if v in LANGS else _fail(), "device": lambda v: _text(v, 40) or None}


def _fail():
    raise ValueError


def read_session(values: dict) -> tuple[Session, list[str]]:
    """A Session from stored values ({"model": ..., "layer": "3"}), and the names of those that were unreadable
    (dropped)."""
    good, bad = {}, []
    for name, check in CHECKS.items():
        if name not in values or values[name] is None:
            continue
        try:
            good[name] = check(values[name])
        except (TypeError, ValueError):
            bad.append(name)
    return Session(**good), bad


def session_values(state, model: str, device: str) -> dict:
    """What to store of a window's state."""
    values = {"model": model, "text": state.text or None, "pair": state.pair, "step": state.step,
              "view": state.view, "layer": state.layer, "head": state.head, "lang": state.lang, "device": device}
    return {k: v for k, v in values.items() if v is not None}


# ----------------------------------------------------------------------------------------------- QSettings
def settings():
    from explorer.views.generate import settings as shared_settings   # one settings file for the whole app

    return shared_settings()


def load_session() -> tuple[Session | None, str]:
    """The saved session (None when there is none) and a notice ("" when everything read well)."""
    from PySide6.QtCore import QSettings

    store = settings()
    if store.status() != QSettings.NoError:
        return None, "The saved settings could not be read; the app opens as on a first launch."
    names = [k[len(SESSION):] for k in store.allKeys() if k.startswith(SESSION)]
    if not names:
        return None, ""
    saved, bad = read_session({name: store.value(SESSION + name) for name in names})
    notice = (f"Some saved settings could not be read and were ignored: {', '.join(bad)}." if bad else "")
    return saved, notice


def save_session(values: dict) -> None:
    store = settings()
    store.remove(SESSION.rstrip("/"))
    for name, value in values.items():
        store.setValue(SESSION + name, value)
    store.sync()


def recent(kind: str) -> list[str]:
    """The recent "checkpoints" or "tours", the latest first (unreadable entries dropped)."""
    value = settings().value(RECENT + kind, [])
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v][:RECENT_MAX]


def add_recent(kind: str, path: str) -> list[str]:
    items = [path] + [p for p in recent(kind) if p != path]
    store = settings()
    store.setValue(RECENT + kind, items[:RECENT_MAX])
    store.sync()
    return items[:RECENT_MAX]
