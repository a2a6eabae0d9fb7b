"""Chinese that renders on a machine without a CJK font.

The chapter, half the lessons and many users' input are Chinese; a laptop without a CJK font would show empty boxes.
When no installed font covers Simplified Chinese, the app registers Noto Sans SC (Google's Noto project, SIL Open
Font License 1.1; the licence text ships beside the file) from the `justmytype-intl-cjk` package, and makes it the
fallback of the interface font, so menus, lessons, token labels and plots all find their glyphs.
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

BUNDLED_FAMILY_FILE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
SAMPLE = "词元掩码"   # characters a covering font must have


def bundled_font_path() -> Path | None:
    """The shipped Noto Sans SC file, or None when the package is missing."""
    try:
        root = importlib.resources.files("justmytype_intl_cjk")
    except ModuleNotFoundError:
        return None
    path = Path(str(root.joinpath(*BUNDLED_FAMILY_FILE)))
    return path if path.is_file() else None


def installed_cjk_families() -> list[str]:
    """Families the system offers for Simplified Chinese (fontconfig's view on Linux)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_cjk_font(app: QGuiApplication) -> str | None:
    """Make Chinese renderable; returns the family that covers it, or None when nothing could (then the caller says
    how to install one). Registers the bundled font only when the system has none."""
    installed = installed_cjk_families()
    if installed:
        return installed[0]
    path = bundled_font_path()
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = families[0]
    # The interface font keeps its Latin glyphs; anything it lacks comes from Noto Sans SC.
    QFont.insertSubstitution(app.font().family(), family)
    return family


MISSING_FONT_NOTE = ("No font on this computer shows Chinese, and the bundled Noto Sans SC is missing: reinstall the "
                     "app (pip install -e .) or install one, e.g. `sudo apt install fonts-noto-cjk`.")
