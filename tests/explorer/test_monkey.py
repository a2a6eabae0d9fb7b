"""A monkey at the window: thousands of seeded random actions with the tiny presets (texts from a catalogue of
awkward inputs, Run and Cancel, stepping, views, heads, layers, model switches, exports to bad paths, the tokenizer
dialog, the error details, memory pressure). It fails on any unhandled exception (in a slot, an event handler or a
thread), on any "Something went wrong" (a bug shown as a message: every bad input must get a reason), on an export
that says "Saved" without a file or leaves a temporary behind, and when the process grows by more than
RSS_GROWTH_MIB after the warm-up.

    pytest tests/explorer/test_monkey.py --monkey-actions=20000 --monkey-seed=7 -s    # a longer run
    PLM_MONKEY_ACTIONS=20000 PLM_MONKEY_SEED=7 pytest tests/explorer/test_monkey.py -s
"""
from __future__ import annotations

import ctypes
import gc
import os
import random
import sys
import threading
import time
from collections import deque
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.i18n import translate

DEFAULT_ACTIONS = 2000
DEFAULT_SEED = 20240917
WARM_UP = 300                # actions before the memory baseline (every tiny model loaded, every view drawn once)
RSS_GROWTH_MIB = 500          # bounded: the unbounded model cache grew past 8 GiB
RUN_WAIT_MS = 15000

TINY = ["bert-tiny", "roberta-tiny", "albert-tiny", "t5-tiny", "gpt1-tiny", "gpt2-tiny", "gpt3-tiny", "llama-tiny",
        "glm-tiny", "chatglm2-tiny", "glm-post-tiny"]

TEXTS = [
    "",                                               # empty
    "    \t  \n ",                                    # only spaces
    "The cat sat on the [MASK].",
    "[CLS] [SEP] [MASK] [PAD] [UNK]",                 # only special tokens (BERT's)
    "<s></s><pad><unk><mask>",                        # only special tokens (RoBERTa's)
    "</s><pad>",                                      # T5's
    "[MASK]",                                         # [MASK] where it means nothing (GPT, LLaMA)
    "[gMASK] [sMASK] [MASK] <|endoftext|>",
    "The cat [sat on the mat",                        # malformed GLM brackets
    "]] The [[cat]] sat [ on ] [",
    "a\x01b\x02c\x7fd\x1b[31m red",                   # control characters
    "\x00",                                           # NUL alone
    "The\x00cat\x00sat",
    "a\ud800b\udfffc",                                # lone surrogates (the text box drops them)
    "مرحبا بالعالم · שלום עולם · The cat",            # right to left
    "\u202eThe cat sat\u202c",                        # a bidi override
    "👩‍👩‍👧‍👦 👍🏽 🏳️‍🌈 family",                            # emoji with ZWJ sequences and modifiers
    "\u200b\u200c\u200d\ufeff",                       # zero-width only
    "e\u0301" * 40,                                   # combining marks
    "猫坐在垫子上。你好，世界！",                          # Chinese
    "猫坐在垫子上。" * 712,                            # near the 5,000 character limit: too long for most
    "The cat sat on the mat. " * 200,                 # 4,800 characters
    "x" * 5001,                                       # over the limit: refused before anything runs
    "word",
    "A short sentence, and another one.",
]
PAIRS = ["", "", "", "Die Katze saß.", "猫", "[MASK] [SEP]", "\x00", "👩‍👩‍👧‍👦"]


def rss_bytes() -> int | None:
    """Resident memory after handing freed heap pages back to the system: what glibc merely keeps cached after
    a burst of large tensors is not growth (on a noisy two-core machine it was 100-300 MiB of the reading)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def setting(request, option: str, env: str, default: int) -> int:
    value = request.config.getoption(option, default=None)
    if value is None:
        value = os.environ.get(env)
    return int(value) if value not in (None, "") else default


class Monkey:
    def __init__(self, qtbot, window, rng: random.Random, tmp_path: Path, bad_paths: dict):
        self.qtbot, self.window, self.rng, self.tmp = qtbot, window, rng, tmp_path
        self.bad_paths = bad_paths
        self.good = tmp_path / "good"
        self.good.mkdir()
        self.log: deque[str] = deque(maxlen=40)
        self.counts: dict[str, int] = {}
        self.said = 0
        self.actions = [
            (self.set_text, 10), (self.set_pair, 3), (self.run, 8), (self.run_no_wait, 3), (self.cancel, 3),
            (self.step, 20), (self.key, 8), (self.view, 10), (self.head, 6), (self.layer, 6), (self.select, 4),
            (self.model, 6), (self.export, 6), (self.copy_csv, 3), (self.hover, 3), (self.details, 2),
            (self.attention_only, 2), (self.memory_pressure, 1), (self.tokenizers, 0.4), (self.language, 1),
            (self.play, 1), (self.page, 1),
        ]

    def say(self, text: str) -> None:
        self.log.append(text)
        self.said += 1

    def pick(self):
        functions, weights = zip(*self.actions)
        return self.rng.choices(functions, weights)[0]

    def act(self) -> None:
        action = self.pick()
        said = self.said
        action()
        if self.said != said:   # it did something: count it
            self.counts[action.__name__] = self.counts.get(action.__name__, 0) + 1
        QApplication.processEvents()

    # ------------------------------------------------------------------ actions
    def set_text(self):
        text = self.rng.choice(TEXTS)
        self.say(f"text {text[:30]!r}{'…' if len(text) > 30 else ''} ({len(text)} chars)")
        self.window.text_edit.setPlainText(text)

    def set_pair(self):
        pair = self.rng.choice(PAIRS)
        self.say(f"pair {pair!r}")
        self.window.pair_edit.setText(pair)

    def run(self):
        self.say(f"run {self.window.model_name()}")
        with self.qtbot.waitSignal(self.window.ready, timeout=RUN_WAIT_MS, raising=False):
            self.window.run()

    def run_no_wait(self):
        self.say(f"run (no wait) {self.window.model_name()}")
        self.window.run()

    def cancel(self):
        self.say("cancel")
        self.window.cancel()

    def step(self):
        move = self.rng.choice(["next", "previous", "first", "last", "go_to"])
        state = self.window.state
        if move == "go_to":
            if state.steps:
                name = self.rng.choice(state.steps)
                self.say(f"go_to {name}")
                self.window.go_to(name)
        else:
            self.say(move)
            getattr(self.window, move)()

    def key(self):
        key = self.rng.choice([Qt.Key_Right, Qt.Key_Left, Qt.Key_PageDown, Qt.Key_PageUp, Qt.Key_Home, Qt.Key_End,
                               Qt.Key_Down, Qt.Key_Up, Qt.Key_Escape])
        self.say(f"key {key}")
        self.window.activateWindow()
        self.qtbot.keyClick(self.window, key)

    def view(self):
        tabs = self.window.tabs
        visible = [i for i in range(tabs.count()) if tabs.isTabVisible(i)]
        if not visible:
            return
        index = self.rng.choice(visible)
        self.say(f"view {tabs.widget(index).name}")
        tabs.setCurrentIndex(index)

    def head(self):
        head = self.rng.randint(-1, 9)
        self.say(f"head {head}")
        view = self.window.current_view()
        box = getattr(getattr(view, "bar", None), "head", None) or getattr(view, "head_box", None)
        if box is not None and self.rng.random() < 0.5:
            box.setValue(head + 1)
        else:
            self.window.state.set_head(max(head, 0))

    def layer(self):
        layer = self.rng.randint(0, 9)
        self.say(f"layer {layer}")
        if self.rng.random() < 0.5:
            self.window.layer_box.setValue(layer)
        else:
            self.window.state.set_layer(layer - 1)

    def select(self):
        n = max(self.window.state.token_count(), 1)
        query, key = self.rng.randint(0, n - 1), self.rng.randint(0, n - 1)
        self.say(f"select {query},{key}")
        self.window.state.select(query, key)

    def model(self):
        name = self.rng.choice(TINY)
        self.say(f"model {name}")
        self.window.select_model(name)
        if self.rng.random() < 0.5:
            self.run()

    def export(self):
        kind = self.rng.choice(["npz", "png", "svg"])
        bad = self.rng.random() < 0.6
        where = self.rng.choice(sorted(self.bad_paths)) if bad else "good"
        path = str(self.bad_paths[where]) if bad else str(self.good / f"out.{kind}")
        self.say(f"export {kind} to {where}")
        window = self.window
        written = window.save_npz(path) if kind == "npz" else window.export_view(kind, path)
        status = window.statusBar().currentMessage()
        if bad:
            assert written is None, (kind, where, written)
            assert window.last_error and "\n" not in window.last_error
            assert translate("app", "Saved {path}").format(path=path) not in status
        elif written is not None:
            saved = translate("app", "Saved {path}").format(path=written)   # (the monkey switches languages)
            assert Path(written).stat().st_size > 0 and window.message.text() == saved
        else:   # nothing to export yet (no Run, a page not drawn yet): said so
            assert window.last_error and translate("app", "Saved {path}").format(path=path) not in status, \
                (kind, window.last_error)

    def copy_csv(self):
        self.say("copy csv")
        self.window.copy_csv()

    def hover(self):
        view = self.window.views["tokens"]
        if view.chips:
            index = self.rng.randrange(len(view.chips))
            self.say(f"hover chip {index}")
            view.highlight(index)
            assert view.marked_text() == view.highlighted_text() or not view.highlighted_text().strip()

    def details(self):
        window = self.window
        if window.details_button.isVisibleTo(window):
            self.say("details")
            dialog = window.show_details()
            assert window.message.text() in dialog.text.toPlainText()
            dialog.close()

    def attention_only(self):
        window = self.window
        if window.message_action.isVisibleTo(window):
            self.say("record attention only")
            with self.qtbot.waitSignal(window.ready, timeout=RUN_WAIT_MS, raising=False):
                window.message_action.click()

    def memory_pressure(self):
        limit = self.rng.choice([None, None, 300_000, 3_000_000])
        self.say(f"max trace bytes {limit}")
        self.window.max_trace_bytes = limit

    def tokenizers(self):
        window = self.window
        dialog = window.tokenizers_dialog
        if dialog is not None and dialog.isVisible() and self.rng.random() < 0.7:
            self.say("close the tokenizer dialog")
            dialog.close()
        else:
            self.say("open the tokenizer dialog")
            window.open_tokenizers(window.text_edit.toPlainText()[:200] or None)

    def language(self):
        index = self.rng.randrange(self.window.lang_combo.count())
        self.say(f"language {index}")
        self.window.lang_combo.setCurrentIndex(index)

    def play(self):
        self.say("play/pause")
        self.window.play_button.toggle()

    def page(self):
        pages = getattr(self.window, "pages", None)
        if pages is not None and pages.count() > 1:
            index = self.rng.choice([0, 0, 0, self.rng.randrange(pages.count())])
            self.say(f"page {index}")
            pages.setCurrentIndex(index)


@pytest.mark.qt_no_exception_capture
def test_monkey(qtbot, open_window, tmp_path, bad_paths, request):
    actions = setting(request, "--monkey-actions", "PLM_MONKEY_ACTIONS", DEFAULT_ACTIONS)
    seed = setting(request, "--monkey-seed", "PLM_MONKEY_SEED", DEFAULT_SEED)
    rng = random.Random(seed)
    unhandled: list[str] = []

    def hook(kind, error, tb):
        import traceback
        unhandled.append("".join(traceback.format_exception(kind, error, tb)))

    def thread_hook(args):
        import traceback
        unhandled.append("".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))

    previous, previous_thread = sys.excepthook, threading.excepthook
    sys.excepthook, threading.excepthook = hook, thread_hook
    window = open_window("bert-tiny", "The cat sat on the [MASK].")
    monkey = Monkey(qtbot, window, rng, tmp_path, bad_paths)
    started = time.monotonic()
    baseline = peak = None
    try:
        for i in range(actions):
            if i == min(WARM_UP, actions // 3):
                import gc
                gc.collect()
                baseline = rss_bytes()
            try:
                monkey.act()
            except Exception as error:   # noqa: BLE001 - an action that raised into the test: a failure
                pytest.fail(f"action {i} (seed {seed}) raised {type(error).__name__}: {error}\n"
                            + "\n".join(monkey.log))
            if unhandled:
                pytest.fail(f"unhandled exception at action {i} (seed {seed}):\n{unhandled[0]}\nlast actions:\n"
                            + "\n".join(monkey.log))
            if window.last_error.startswith("Something went wrong"):
                pytest.fail(f"a bug shown as a message at action {i} (seed {seed}): {window.last_error}\n"
                            f"{window.message_details}\nlast actions:\n" + "\n".join(monkey.log))
            if baseline is not None and i % 50 == 0:
                rss = rss_bytes()
                peak = max(peak or 0, rss or 0)
                if os.environ.get("PLM_MONKEY_VERBOSE") and i % 500 == 0:
                    print(f"monkey: action {i}, {time.monotonic() - started:.0f} s, RSS {rss / 2**20:.0f} MiB",
                          flush=True)
        # let the last jobs finish, then measure
        for runner in window.runners():
            runner.wait(30)
        QApplication.processEvents()
        import gc
        gc.collect()
        final = rss_bytes()
        took = time.monotonic() - started
        leftovers = [p for p in tmp_path.rglob("*") if ".part" in p.name]
        assert not leftovers, leftovers
        growth = None if baseline is None or final is None else (final - baseline) / 2**20
        print(f"\nmonkey: {actions} actions, seed {seed}, {took:.1f} s; RSS {baseline and baseline / 2**20:.0f} MiB "
              f"after the warm-up, {final and final / 2**20:.0f} MiB at the end (peak {peak and peak / 2**20:.0f}), "
              f"growth {growth if growth is None else round(growth)} MiB; actions: "
              + ", ".join(f"{k} {v}" for k, v in sorted(monkey.counts.items())))
        if growth is not None:
            assert growth < RSS_GROWTH_MIB, f"RSS grew by {growth:.0f} MiB after the warm-up (seed {seed})"
    finally:
        sys.excepthook, threading.excepthook = previous, previous_thread
        dialog = window.tokenizers_dialog
        if dialog is not None:
            dialog.close()
