"""The window, driven by a script on the offscreen platform; prints one JSON line.

    QT_QPA_PLATFORM=offscreen python -m bench.window views '{"length": 512, "samples": 12}'
    QT_QPA_PLATFORM=offscreen python -m bench.window launch '{"start": <time.time() of the parent>}'
    python -m bench.window bare '{"start": ...}'

views: a bert-base-uncased (random weights) run of `length` tokens; the longest event-loop stall while it runs
(a 2 ms timer's largest gap); then, for each view kind, the time from a change (step, head, layer) to the view
repainted (the window's repaint() returns once every widget has painted); opening the all-heads grid on a
128-token run, and changing its head.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

MODEL = "bert-base-uncased"
BUDGET_S = 60.0   # the most one kind of change is timed for


def _threads() -> None:
    threads = os.environ.get("PLM_BENCH_THREADS")
    if threads:
        import torch
        torch.set_num_threads(int(threads))


def text_of(length: int) -> str:
    """A text bert-base-uncased's tokenizer cuts into `length` tokens ([CLS] and [SEP] included)."""
    from engine.api import model_tokenizer

    tokenizer = model_tokenizer(MODEL)
    vocabulary = ("the cat sat on the mat because it was tired and the dog watched it from the door while rain "
                  "fell outside on the quiet street").split()
    words = [vocabulary[i % len(vocabulary)] for i in range(length)]

    def count(k: int) -> int:   # the tokenizer adds [CLS] and [SEP] itself
        return len(tokenizer.encode(" ".join(words[:k])).ids)

    low, high = 0, length   # the most words that fit
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if count(middle) <= length else (low, middle - 1)
    text = " ".join(words[:low])
    while len(tokenizer.encode(text + " a").ids) <= length:
        text += " a"
    return text


def log(message: str) -> None:
    print(f"[{time.perf_counter():10.1f}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {"median_ms": 1e3 * statistics.median(values), "p95_ms": 1e3 * percentile(values, 95),
            "max_ms": 1e3 * max(values), "n": len(values)}


class Ticker:
    """A 2 ms timer; its largest gap while `active` is how long the event loop could not answer."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def start(self):
        self.times = [time.perf_counter()]
        self.timer.start()

    def stop(self, until: float | None = None) -> float:
        self.timer.stop()
        times = [t for t in self.times if until is None or t <= until]
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)


def wait_ready(app, window, timeout_s: float = 600.0, ticker: Ticker | None = None) -> dict:
    """Run and wait for the result; the stall while the worker computes (until the result reaches the window)."""
    from PySide6.QtCore import QEventLoop, QTimer

    shown = {}
    original = window._on_result

    def on_result(result):
        shown["result_at"] = time.perf_counter()
        original(result)
        shown["shown_at"] = time.perf_counter()

    window._on_result = on_result
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if ticker is not None:
        ticker.start()
    start = time.perf_counter()
    window.run()
    loop.exec()
    end = time.perf_counter()
    window.ready.disconnect(loop.quit)
    window._on_result = original
    stall = ticker.stop(shown.get("result_at", end)) if ticker is not None else None
    if window.last_error:
        raise RuntimeError(window.last_error)
    return {"run_s": shown.get("result_at", end) - start, "stall_s": stall,
            "show_s": shown.get("shown_at", end) - shown.get("result_at", end)}


_PAINTS: list = []


class Paints:
    """Counts paint events anywhere in the application."""

    def __init__(self, app):
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self.filter = Filter()
        app.installEventFilter(self.filter)


def timed(app, window, action) -> float:
    """Seconds from the change to the view repainted: the change, then the event loop's pending work (layouts,
    the paints of what changed), as the running app does it; a change that painted nothing is painted at once
    (window.repaint) so it is never timed for free."""
    paints = _PAINTS[0]
    before = paints.count
    start = time.perf_counter()
    action()
    app.processEvents()
    if paints.count == before:
        window.repaint()
    return time.perf_counter() - start


# head changes are the cheapest and have the tightest target (one frame): three times the samples, so that their p95
# is a 95th percentile and not the slowest of twenty
HEAD_SAMPLES = 3


def views(length: int = 512, samples: int = 12, grid_length: int = 128) -> dict:
    _threads()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    _PAINTS[:] = [Paints(app)]
    from explorer.app import MainWindow

    window = MainWindow(MODEL, text_of(length), autorun=False)
    window.resize(1440, 900)
    window.show()
    app.processEvents()
    out = {"length": length}
    log("run")
    out["run"] = wait_ready(app, window, ticker=Ticker())
    log(f"run done {out['run']}")
    out["tokens"] = len(window.state.trace.tokens)
    state = window.state
    layers = state.layers
    results: dict[str, dict] = {}

    def measure(kind: str, change: str, actions):
        log(f"{kind}: {change}")
        times = []
        for action in actions:   # a change slower than BUDGET_S in all: what was measured is reported
            times.append(timed(app, window, action))
            if sum(times) > BUDGET_S:
                break
        results.setdefault(kind, {})[change] = summary(times)
        out["views"] = results
        _print(out)   # the results so far (a run stopped from outside still reports them)

    def cycle(n, values):
        return [values[i % len(values)] for i in range(n)]

    attn = lambda layer, what="hook_pattern": f"blocks.{layer}.attn.{what}"   # noqa: E731
    # attention heatmap: step changes (pattern / scores / masked scores), head and layer changes
    for kind in ("attention", "lines"):
        state.go_to(attn(0), kind)
        app.processEvents()
        window.repaint()
        steps = cycle(samples, [attn(1, "hook_scores"), attn(1, "hook_attn_scores"), attn(1, "hook_pattern"),
                                attn(1, "hook_scaled")])
        measure(kind, "step", [lambda s=s: state.go_to(s, kind) for s in steps])
        heads = cycle(HEAD_SAMPLES * samples, list(range(1, 12)) + [0])
        measure(kind, "head", [lambda h=h: state.set_head(h) for h in heads])
        measure(kind, "layer", [lambda l=l: state.set_layer(l) for l in cycle(samples, list(range(1, layers)) + [0])])
    # vectors: the residual stream (512 x 768) and the logits (512 x 30522)
    state.go_to("blocks.0.hook_resid_pre", "vectors")
    app.processEvents()
    window.repaint()
    steps = cycle(samples, ["blocks.0.hook_resid_mid", "blocks.0.mlp.hook_pre", "blocks.0.hook_attn_out",
                            "blocks.0.hook_resid_pre"])
    measure("vectors", "step", [lambda s=s: state.go_to(s, "vectors") for s in steps])
    measure("vectors", "layer", [lambda l=l: state.set_layer(l) for l in cycle(samples, list(range(1, layers)) + [0])])
    state.go_to("blocks.0.attn.hook_q", "vectors")
    app.processEvents()
    window.repaint()
    heads = cycle(HEAD_SAMPLES * samples, list(range(1, 12)) + [0])
    measure("vectors", "head", [lambda h=h: state.set_head(h) for h in heads])
    logits = next(n for n in state.steps if n.endswith("hook_logits") and "mlm" in n)
    measure("vectors (logits)", "step",
            [lambda s=s: state.go_to(s, "vectors") for s in cycle(samples, [logits, "mlm_head.hook_transform"])])
    measure("output", "step",
            [lambda s=s: state.go_to(s, "output") for s in cycle(samples, [logits, "nsp_head.hook_logits"])
             if s in state.steps])
    out["views"] = results

    # the all-heads grid on a shorter run: opening it, and a head change inside it
    window.text_edit.setPlainText(text_of(grid_length))
    wait_ready(app, window)
    state.go_to("blocks.0.hook_resid_pre", "vectors")
    app.processEvents()
    window.repaint()
    log("grid")
    opening = []
    for i in range(max(3, samples // 3)):
        state.go_to("blocks.0.hook_resid_pre", "vectors")
        app.processEvents()
        window.repaint()
        opening.append(timed(app, window, lambda i=i: state.go_to(attn(i % layers), "grid")))
    grid = {"open": summary(opening)}
    grid["head"] = summary([timed(app, window, lambda h=h: state.set_head(h))
                            for h in cycle(HEAD_SAMPLES * samples, list(range(1, 12)) + [0])])
    grid["layer"] = summary([timed(app, window, lambda l=l: state.set_layer(l))
                             for l in cycle(samples, list(range(1, layers)) + [0])])
    out["grid"] = grid
    out["grid_tokens"] = len(state.trace.tokens)
    window.close()
    app.processEvents()
    return out


def launch(start: float) -> dict:
    """The app as main.py opens it: seconds from the process's start to the window's first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    painted = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint and "t" not in painted:
                painted["t"] = time.time()
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    from explorer.app import build_window, parse_args

    window = build_window(parse_args([]))
    window.show()
    QTimer.singleShot(0, window.start)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    app.removeEventFilter(watcher)
    seconds = painted.get("t", time.time()) - start
    window.runner.cancel_all()
    os._exit(_print({"seconds": seconds}))


def bare(start: float) -> dict:
    import PySide6.QtWidgets  # noqa: F401
    import torch  # noqa: F401

    return {"seconds": time.time() - start}


def _print(result) -> int:
    print(json.dumps(result, default=float), flush=True)
    return 0


def main() -> None:
    section, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    result = {"views": views, "launch": launch, "bare": bare}[section](**args)
    _print(result)
    os._exit(0)   # no teardown: the window's workers are done, the measurement is printed


if __name__ == "__main__":
    main()
