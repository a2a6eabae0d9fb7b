"""The interface's two languages, through Qt's translation system.

Every user-facing string of the window is written in English inside `translate("context", "text")` (Qt's own
`QCoreApplication.translate`, the spelling `pyside6-lupdate` extracts). The Chinese lives in `.ts` sources under
`assets/i18n/zh_CN/` (one file per part of the window), compiled into `assets/i18n/plm_explorer_zh_CN.qm`, which
ships; `python -m explorer.i18n_build` refreshes both after a string changes.

Values go in after translation, by name, so a translation can move them: `translate("tokens", "{count} tokens")
.format(count=n)`. Never an f-string inside translate (the source would differ every call and match nothing).

Switching at run time: `use("zh")` installs the translator (Qt then sends every widget a LanguageChange event) and
the window's state announces the `lang` setting, on which each page sets its texts again.

The module itself loads no Qt (the state, the session helpers and the generation stepper use it without a window):
until PySide6 is loaded no translator can be installed, so `translate` gives the English as it is.

What stays English in the Chinese window, by design: model and tensor names, code, tokens, the user's own text and
corpora, units and the acronyms the chapter itself keeps (BERT, MLM, FFN, RoPE, ...). A widget that shows such data
is marked with `mark_data(widget)`, so the test that walks the Chinese window for English skips it.
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

LANGS = ("en", "zh")
I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
TS_DIR = I18N_DIR / "zh_CN"
QM_FILE = I18N_DIR / "plm_explorer_zh_CN.qm"
DATA_PROPERTY = "plm_data"   # a widget whose text is data (tokens, user text, code), not interface

_translator = None   # the installed QTranslator, when Chinese is on
_current = "en"


def translate(context: str, text: str, comment: str | None = None, n: int = -1) -> str:
    """The text in the interface's language (English when no translation is installed or known)."""
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is None:   # no Qt loaded, so no translator installed: the English is the answer
        return text
    return qt_core.QCoreApplication.translate(context, text, comment, n)


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:   # noqa: N802 - Qt's spelling, which lupdate reads
    """Mark a literal for lupdate where it is defined (a table); translate(context, value) where it is shown."""
    return text


def current() -> str:
    """The language of the interface now: "en" or "zh"."""
    return _current


def system_language() -> str:
    """The default: Chinese when the system locale is Chinese, else English."""
    from PySide6.QtCore import QLocale

    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def use(lang: str) -> bool:
    """Install (zh) or remove (en) the Chinese translator. Returns False when the compiled translations are
    missing or unreadable (the interface then stays English, and the caller says so)."""
    global _translator, _current
    from PySide6.QtCore import QCoreApplication, QTranslator

    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    app = QCoreApplication.instance()
    if lang == _current and (lang == "en" or _translator is not None):
        return True
    if _translator is not None:
        if app is not None:
            app.removeTranslator(_translator)
        _translator = None
    _current = "en"
    if lang == "en":
        return True
    translator = QTranslator()
    if not translator.load(str(QM_FILE)):
        return False
    if app is not None:
        app.installTranslator(translator)
    _translator, _current = translator, "zh"
    return True


def mark_data(widget, is_data: bool = True):
    """Say that a widget's text is data (tokens, user text, code, a corpus), not interface; returns the widget."""
    widget.setProperty(DATA_PROPERTY, is_data)
    return widget


@functools.lru_cache(maxsize=None)   # a page matches its messages against hundreds of templates on every redraw
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)   # literal, field, literal, field, ...
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex + r"\Z", re.S)


def translate_message(context: str, message: str, templates) -> str:
    """A message the engine wrote in English (it knows no Qt) in the interface's language: the first template
    (declared with QT_TRANSLATE_NOOP(context, "... {field} ...") so lupdate collects it) whose shape matches the
    message is translated and its fields put back; a message no template matches stays as it is."""
    if _current == "en":
        return message
    for template in templates:
        found = _pattern(template).match(message)
        if found:
            return translate(context, template).format(**found.groupdict())
    return message


class ComposedTexts:
    """Labels whose text is composed from a result ("layer 3, position 5: ..."): shown now, and composed again in
    the new language when the language changes (recompose, from the page's retranslate)."""

    def __init__(self):
        self._composers: dict[int, tuple[object, object]] = {}

    def say(self, label, compose) -> None:
        self._composers[id(label)] = (label, compose)
        label.setText(compose())

    def forget(self, label) -> None:
        """The label is set another way from now on (the page composes it itself)."""
        self._composers.pop(id(label), None)

    def recompose(self) -> None:
        for label, compose in self._composers.values():
            label.setText(compose())
