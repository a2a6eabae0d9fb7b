"""The translation sources hold together: every interface string of the window is extracted as a literal, has a
finished Chinese translation in its part's .ts file that keeps its {fields} and tags, the shipped .qm says what the
.ts files say, the glossary's forbidden words appear nowhere, and switching languages switches the text."""
from __future__ import annotations

import ast
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from explorer import i18n
from explorer.i18n_build import EXPLORER, PARTS, ts_file

MARKERS = {"translate", "QT_TRANSLATE_NOOP"}
FORBIDDEN = {"遮罩": "掩码", "遮盖": "掩码", "令牌": "词元", "隐状态": "隐藏状态", "前归一化": "前置归一化",
             "后归一化": "后置归一化", "词汇表": "词表"}


def _calls(path: Path):
    """(marker, context node, text node, line) of every translate / QT_TRANSLATE_NOOP call in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id in ("QCoreApplication", "QApplication", "i18n"):   # not painter.translate(x, y)
            name = func.attr
        if name in MARKERS:
            yield name, node.args[0], node.args[1], node.lineno


def _modules():
    """explorer/'s modules, and the engine modules a part names (../engine/...: words composed there from templates)."""
    engine_side = {(EXPLORER / name).resolve() for names in PARTS.values() for name in names if name.startswith("../")}
    return sorted({p for p in EXPLORER.rglob("*.py") if p.name not in ("i18n.py", "i18n_build.py")} | engine_side)


def _literal_strings() -> dict[Path, set[tuple[str, str]]]:
    found: dict[Path, set[tuple[str, str]]] = {}
    for path in _modules():
        for _name, context, text, _line in _calls(path):
            if isinstance(context, ast.Constant) and isinstance(text, ast.Constant):
                found.setdefault(path, set()).add((context.value, text.value))
    return found


def _ts_messages(part: str) -> dict[tuple[str, str], str | None]:
    """(context, source) -> the finished translation, or None where it is unfinished or empty."""
    out = {}
    for ctx in ET.parse(ts_file(part)).getroot().iter("context"):
        for msg in ctx.iter("message"):
            translation = msg.find("translation")
            done = translation is not None and translation.get("type") != "unfinished" and (translation.text or "")
            out[(ctx.findtext("name") or "", msg.findtext("source") or "")] = translation.text if done else None
    return out


def test_every_translated_text_is_a_literal_never_an_fstring():
    """lupdate extracts literals only, and an f-string's text would match no translation at run time."""
    bad = []
    for path in _modules():
        for name, context, text, line in _calls(path):
            where = f"{path.relative_to(EXPLORER.parent)}:{line}"
            if not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                bad.append(f"{where}: {name} context is not a string literal")
            if name == "QT_TRANSLATE_NOOP" and not isinstance(text, ast.Constant):
                bad.append(f"{where}: QT_TRANSLATE_NOOP text is not a literal")
            if isinstance(text, (ast.JoinedStr, ast.BinOp, ast.Call)):
                bad.append(f"{where}: {name} text is built at run time (f-string, + or a call); translate a "
                           f"literal with {{fields}} and .format() the result")
    assert not bad, "\n".join(bad)


def test_every_module_that_translates_belongs_to_one_part():
    owners: dict[str, list[str]] = {}
    for part, names in PARTS.items():
        for name in names:
            owners.setdefault(name, []).append(part)
    assert not {n: p for n, p in owners.items() if len(p) > 1}
    orphans = [os.path.relpath(p, EXPLORER) for p in _literal_strings() if os.path.relpath(p, EXPLORER) not in owners]
    assert not orphans, f"modules with interface strings but no part in explorer/i18n_build.PARTS: {orphans}"


def test_every_interface_string_has_a_chinese_translation():
    missing = []
    for part, names in PARTS.items():
        known = _ts_messages(part) if ts_file(part).exists() else {}
        for name in names:
            for context, source in sorted(_literal_strings().get((EXPLORER / name).resolve(), ())):
                if not known.get((context, source)):
                    missing.append(f"{part}.ts [{context}] {source[:90]!r}")
    assert not missing, (f"{len(missing)} strings without a translation (python -m explorer.i18n_build --todo PART):\n"
                         + "\n".join(missing[:60]))


def _all_messages():
    return [(part, key, text) for part in PARTS if ts_file(part).exists()
            for key, text in _ts_messages(part).items() if text]


def test_translations_keep_their_fields_and_tags():
    fields = re.compile(r"\{(\w*)[^}]*\}")
    tags = re.compile(r"</?(\w+)")
    bad = []
    for part, (context, source), text in _all_messages():
        if sorted(set(fields.findall(source))) != sorted(set(fields.findall(text))):
            bad.append(f"{part} [{context}] fields differ: {source[:60]!r} -> {text[:60]!r}")
        if sorted(tags.findall(source)) != sorted(tags.findall(text)):
            bad.append(f"{part} [{context}] tags differ: {source[:60]!r} -> {text[:60]!r}")
    assert not bad, "\n".join(bad[:40])


def test_translations_use_the_glossary_words():
    bad = [f"{part} [{ctx}] {word!r} (say {FORBIDDEN[word]}): {text[:60]!r}"
           for part, (ctx, _source), text in _all_messages() for word in FORBIDDEN if word in text]
    assert not bad, "\n".join(bad[:40])


def test_the_shipped_qm_says_what_the_ts_files_say():
    """The compiled file the app loads is current (python -m explorer.i18n_build recompiles it)."""
    translator = QTranslator()
    assert translator.load(str(i18n.QM_FILE)), f"{i18n.QM_FILE} does not load"
    stale = [f"{part} [{ctx}] {source[:60]!r}" for part, (ctx, source), text in _all_messages()
             if translator.translate(ctx, source) != text]
    assert not stale, "the .qm is older than the .ts files:\n" + "\n".join(stale[:20])


def test_switching_languages_switches_the_text(qapp):
    context, source, text = next(((c, s, t) for _p, (c, s), t in _all_messages() if "{" not in s), (None,) * 3)
    if context is None:
        pytest.skip("no translations yet")
    assert i18n.use("zh") and i18n.current() == "zh"
    assert i18n.translate(context, source) == text
    assert i18n.use("en") and i18n.current() == "en"
    assert i18n.translate(context, source) == source


def test_an_engine_message_is_translated_by_its_shape(qapp, monkeypatch):
    template = "text has {count} tokens; {model} allows {limit}"
    monkeypatch.setattr(i18n, "translate", lambda _c, t: {template: "文本有 {count} 个词元；{model} 最多 {limit} 个"}[t])
    monkeypatch.setattr(i18n, "_current", "zh")
    message = "text has 600 tokens; bert-base allows 512"
    assert i18n.translate_message("engine", message, [template]) == "文本有 600 个词元；bert-base 最多 512 个"
    assert i18n.translate_message("engine", "something else", [template]) == "something else"
    monkeypatch.setattr(i18n, "_current", "en")
    assert i18n.translate_message("engine", message, [template]) == message


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.use("fr")


def _is_zh_test(node) -> bool:
    return any(isinstance(n, ast.Compare) and any(isinstance(c, ast.Constant) and c.value == "zh"
                                                  for c in [n.left, *n.comparators]) for n in ast.walk(node))


def test_the_interface_has_one_way_to_speak_chinese():
    """No hand-made switches left beside Qt's translator: no `pick(lang, en, zh)` / `t(en, zh)` helpers and no
    `"中文" if lang == "zh" else "English"` pairs in the window's code (lessons and tours carry both languages as
    data and are read by language name)."""
    found = []
    for path in _modules():
        if path.name == "tours.py":   # a tour file is data written in both languages: its note is read by language
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("pick", "t"):
                found.append(f"{path.relative_to(EXPLORER.parent)}:{node.lineno}: def {node.name}")
            if isinstance(node, ast.IfExp) and _is_zh_test(node.test) and \
                    all(isinstance(branch, (ast.Constant, ast.JoinedStr)) for branch in (node.body, node.orelse)):
                found.append(f"{path.relative_to(EXPLORER.parent)}:{node.lineno}: inline Chinese/English pair")
    assert not found, "\n".join(found)
