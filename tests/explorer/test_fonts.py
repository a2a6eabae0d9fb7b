"""Chinese renders on a machine without a CJK font: the bundled Noto Sans SC is found and used as the fallback."""
import os
import subprocess
import sys
import textwrap

from explorer.fonts import bundled_font_path

# Run in a fresh process whose fontconfig knows only a folder of Latin fonts (or none), like a bare laptop: the
# test's own process may already have loaded the system's CJK fonts.
PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    from PySide6.QtGui import QTextLayout
    from explorer.fonts import ensure_cjk_font, installed_cjk_families

    app = QApplication([])
    before = installed_cjk_families()
    family = ensure_cjk_font(app)
    layout = QTextLayout("词元掩码 token", app.font())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    used = {}
    for run in layout.glyphRuns():
        used[run.rawFont().familyName().lower()] = min(run.glyphIndexes())
    print(repr((before, family, used)))
""")


def probe_without_system_fonts(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    env = dict(os.environ, FONTCONFIG_FILE=str(config), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return eval(done.stdout.strip().splitlines()[-1])   # noqa: S307 - our own repr


def test_the_bundled_font_and_its_licence_are_installed():
    path = bundled_font_path()
    assert path is not None and path.stat().st_size > 1_000_000
    assert "SIL OPEN FONT LICENSE" in (path.parent / "OFL.txt").read_text(encoding="utf-8").upper()


def test_without_any_cjk_font_the_chinese_glyphs_come_from_noto_sans_sc(tmp_path):
    before, family, used = probe_without_system_fonts(tmp_path)
    assert before == []                       # the bare machine really has no Chinese font
    assert family == "Noto Sans SC"
    assert "noto sans sc" in used             # the Chinese characters were shaped with it
    assert used["noto sans sc"] > 0           # with real glyphs, not glyph 0 (the empty box)
