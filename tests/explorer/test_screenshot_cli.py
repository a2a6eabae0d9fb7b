"""`python main.py ... --screenshot FILE` opens, runs, goes to the step, saves the window and exits; layers and heads
on the command line count from 1."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).absolute().parents[2]


def shoot(*args, timeout=180):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_screenshot_of_a_step_is_written_and_the_app_exits(tmp_path):
    out = tmp_path / "shot.png"
    result = shoot("--model", "gpt2-tiny", "--text", "The cat sat on the mat.", "--step", "blocks.1.attn.hook_mask",
                   "--size", "1200x800", "--screenshot", out)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


def test_an_unknown_model_exits_with_a_message_not_a_traceback(tmp_path):
    result = shoot("--model", "no-such-model", "--screenshot", tmp_path / "x.png")
    assert "Traceback" not in result.stderr
    assert "No model, preset or folder called 'no-such-model'" in result.stdout + result.stderr


def test_a_head_the_model_lacks_is_clamped_and_the_app_exits(tmp_path):
    """bert-tiny has 4 heads: --head 9 shows head 4, says so, and the screenshot is still taken."""
    out = tmp_path / "qkv.png"
    result = shoot("--model", "bert-tiny", "--head", "9", "--view", "qkv", "--screenshot", out, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: head 9 does not exist in bert-tiny (4 heads): showing head 4" in result.stdout
    assert out.exists()


def test_layers_and_heads_count_from_one_on_the_command_line(qtbot):
    from explorer.app import build_window, parse_args

    assert parse_args(["--head", "1"]).head == 1
    with pytest.raises(SystemExit):
        parse_args(["--head", "0"])
    with pytest.raises(SystemExit):
        parse_args(["--layer", "0"])
    window = build_window(parse_args(["--model", "bert-tiny", "--head", "2", "--layer", "3", "--step",
                                      "blocks.0.attn.hook_pattern"]))
    qtbot.addWidget(window)
    assert window.state.head == 1
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.run()
    assert window.state.step == "blocks.2.attn.hook_pattern" and window.layer_box.value() == 3
    assert window.views["attention"].bar.head.value() == 2
    window.close()
