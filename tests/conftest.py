import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.append(str(Path(__file__).resolve().parent))  # for `from parity import ...`

from hypothesis import settings  # noqa: E402

# The same generated examples on every run: CI must not pass or fail by luck.
settings.register_profile("repeatable", derandomize=True, deadline=None, database=None)
settings.load_profile("repeatable")


def pytest_addoption(parser):
    group = parser.getgroup("plm-explorer")
    group.addoption("--monkey-actions", type=int, default=None,
                    help="random actions the explorer's monkey test takes (default 2000, or $PLM_MONKEY_ACTIONS)")
    group.addoption("--monkey-seed", type=int, default=None,
                    help="the monkey test's seed (default 20240917, or $PLM_MONKEY_SEED)")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _own_settings_file(tmp_path_factory, monkeypatch):
    """Every test reads and writes a settings file of its own, never the user's (a saved session, zoom or theme
    must not leak from one test into the next)."""
    if "PLM_EXPLORER_SETTINGS" not in os.environ:
        monkeypatch.setenv("PLM_EXPLORER_SETTINGS", str(tmp_path_factory.mktemp("settings") / "settings.ini"))
