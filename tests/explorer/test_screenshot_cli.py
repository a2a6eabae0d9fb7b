"""`python main.py ... --screenshot FILE` opens, runs, goes to the step, saves the window and exits."""
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_of_a_step_is_written_and_the_app_exits(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--model", "gpt2-tiny", "--text", "The cat sat on the mat.",
                             "--step", "blocks.1.attn.hook_mask", "--size", "1200x800", "--screenshot", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


def test_an_unknown_model_exits_with_a_message_not_a_traceback(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--model", "no-such-model", "--screenshot",
                             str(tmp_path / "x.png")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert "Traceback" not in result.stderr
    assert "No model, preset or folder called 'no-such-model'" in result.stdout + result.stderr
