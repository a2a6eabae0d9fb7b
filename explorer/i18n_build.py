"""Refresh the Chinese translation sources and the compiled file the app ships (a developer's tool, not run time).

    python -m explorer.i18n_build [PART ...]          # lupdate each part's .ts from its sources, lrelease them all
    python -m explorer.i18n_build --todo PART         # the part's untranslated strings, as JSON to fill in
    python -m explorer.i18n_build --fill PART F.json  # write {"context": {"source": "翻译"}} into the part's .ts

`pyside6-lupdate` (shipped with PySide6) collects every `translate("context", "text")` of a part's modules into
`assets/i18n/zh_CN/<part>.ts`, keeping the translations already written and dropping strings no longer in the code;
`pyside6-lrelease` compiles all parts into the one `.qm` the app loads. Translations are written in the .ts files
(by hand or Qt Linguist); tests/explorer/test_i18n.py checks that every string has one and that the .qm is current.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from explorer.i18n import QM_FILE, TS_DIR

ROOT = Path(__file__).resolve().parent.parent
EXPLORER = ROOT / "explorer"

# part -> its modules (relative to explorer/; an engine module that composes words for the window from templates
# is named as ../engine/...); every module that calls translate belongs to exactly one part
PARTS: dict[str, tuple[str, ...]] = {
    "window": ("app.py", "presenting.py", "tour_player.py", "remember.py", "session.py", "workers.py",
               "model_cache.py", "state.py", "error_texts.py", "views/base.py", "fonts.py", "tours.py",
               "widgets/lazy_tabs.py"),
    "steps": ("views/tokens.py", "views/attention.py", "views/qkv.py", "views/mask.py", "views/vectors.py",
              "views/output.py", "widgets/heatmap.py", "widgets/bars.py", "widgets/plots.py", "widgets/text_lines.py",
              "widgets/token_axis.py", "widgets/flow.py"),
    "params": ("views/params.py", "params_model.py", "widgets/param_table.py"),
    "graph": ("views/graph.py", "widgets/arch_scene.py", "widgets/arch_layout.py", "views/tokenizers.py"),
    "generate": ("views/generate.py", "stepping.py", "widgets/generation.py"),
    "train": ("views/training.py", "views/lab_finetune.py", "views/lab_induction.py", "widgets/curves.py",
              "../engine/experiments.py"),   # the experiments' readings: composed by the engine, translated here
    "inspect": ("views/inspect.py", "views/inspect_demos.py", "widgets/inspect_parts.py"),
}


def tool(name: str) -> str:
    """A Qt tool beside this Python (the venv's bin) or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: it ships with PySide6 (pip install PySide6)")
    return found


def ts_file(part: str) -> Path:
    return TS_DIR / f"{part}.ts"


def sources(part: str) -> list[Path]:
    return [EXPLORER / name for name in PARTS[part] if (EXPLORER / name).exists()]


def update(part: str) -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", "-target-language", "zh_CN",
                    *map(str, sources(part)), "-ts", str(ts_file(part))], check=True, stdout=subprocess.DEVNULL)


def release(out: Path = QM_FILE) -> None:
    parts = [str(ts_file(p)) for p in PARTS if ts_file(p).exists()]
    partial = out.with_name(f"{out.name}.{os.getpid()}")   # written aside, then renamed: a reader never sees half
    subprocess.run([tool("pyside6-lrelease"), "-silent", *parts, "-qm", str(partial)], check=True)
    os.replace(partial, out)


def messages(part: str) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message of a part's .ts."""
    tree = ET.parse(ts_file(part))
    return [(ctx.findtext("name") or "", msg.findtext("source") or "", msg.find("translation"))
            for ctx in tree.getroot().iter("context") for msg in ctx.iter("message")]


def todo(part: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for context, source, translation in messages(part):
        if translation is None or translation.get("type") == "unfinished" or not (translation.text or ""):
            out.setdefault(context, {})[source] = ""
    return out


def fill(part: str, table: dict[str, dict[str, str]]) -> int:
    """Write translations into a part's .ts; returns how many were set. Unknown strings are reported."""
    tree = ET.parse(ts_file(part))
    known = set()
    count = 0
    for ctx in tree.getroot().iter("context"):
        context = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            known.add((context, source))
            text = table.get(context, {}).get(source)
            if text:
                translation = msg.find("translation")
                translation.text = text
                translation.attrib.pop("type", None)
                count += 1
    for context, entries in table.items():
        for source in entries:
            if (context, source) not in known:
                print(f"not in {part}.ts (run the update first?): [{context}] {source!r}", file=sys.stderr)
    ET.indent(tree)
    with open(ts_file(part), "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
    return count


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--todo"] and len(args) == 2 and args[1] in PARTS:
        print(json.dumps(todo(args[1]), ensure_ascii=False, indent=1))
        return 0
    if args[:1] == ["--fill"] and len(args) == 3 and args[1] in PARTS:
        update(args[1])
        count = fill(args[1], json.loads(Path(args[2]).read_text(encoding="utf-8")))
        update(args[1])   # lupdate writes the file back in its own layout: a later update changes no line of it
        release()
        print(f"{count} translations written to {ts_file(args[1]).relative_to(ROOT)}; compiled")
        return 0
    chosen = args or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        print(f"unknown part {unknown[0]!r}; parts: {', '.join(PARTS)}", file=sys.stderr)
        return 2
    for part in chosen:
        update(part)
    release()
    print(f"updated {', '.join(chosen)}; compiled {QM_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
