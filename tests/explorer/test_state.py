"""The explorer's state, driven with no QApplication and no widget: a full step-through, layer and head changes, a
selection, a model switch that clamps the head, T5's decoder labels, the model cache. Nothing here needs Qt."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from explorer import session
from explorer.model_cache import GIB, ModelCache, default_budget, format_gib, model_bytes
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP
from explorer.state import Event, ExplorerState, Notice, StepContext

ROOT = Path(__file__).absolute().parents[2]


@pytest.fixture(scope="module")
def bert():
    loaded = engine.load("bert-tiny")
    return loaded, loaded.trace(text="The cat sat on the mat.")


@pytest.fixture(scope="module")
def minilm():
    try:
        loaded = engine.load("minilm")
    except Exception as error:   # noqa: BLE001 - the checkpoint package is optional here
        pytest.skip(f"MiniLM not available: {error}")
    return loaded, loaded.trace(text="The quick brown fox jumps over the lazy dog near the river bank today.")


def recorded(state: ExplorerState) -> list[tuple[str, object]]:
    log: list[tuple[str, object]] = []
    for event in state.events:
        event.connect(lambda value, name=event.name: log.append((name, value)))
    return log


def names(log, kind):
    return [value for name, value in log if name == kind]


def test_the_state_loads_no_qt():
    code = ("import sys, explorer.state, explorer.model_cache, explorer.session; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_events_hold_bound_methods_weakly():
    event = Event("step")

    class Listener:
        def __init__(self):
            self.seen = []

        def on(self, value):
            self.seen.append(value)

    listener = Listener()
    event.connect(listener.on)
    event.emit(1)
    assert listener.seen == [1] and len(event) == 1
    del listener
    assert len(event) == 0
    event.emit(2)   # nobody left: nothing happens


def test_an_event_tells_everyone_then_raises():
    event, seen = Event("x"), []

    def bad(_value):
        raise ValueError("boom")

    event.connect(bad)
    event.connect(seen.append)
    with pytest.raises(ValueError):
        event.emit(3)
    assert seen == [3]


def test_full_step_through(bert):
    loaded, trace = bert
    state = ExplorerState()
    log = recorded(state)
    state.set_trace(loaded, trace, "The cat sat on the mat.")
    assert state.steps == [TOKENIZER_STEP] + trace.cache.names() + [OUTPUT_STEP]
    assert names(log, "trace") == [trace]
    assert state.step == TOKENIZER_STEP and state.view == "tokens"
    assert names(log, "step") == [TOKENIZER_STEP] and names(log, "view") == ["tokens"]
    log.clear()
    seen = [state.step]
    while state.next() and state.step != seen[-1]:
        seen.append(state.step)
    assert seen == state.steps
    assert names(log, "step") == state.steps[1:]
    assert names(log, "layer") == [1, 2, 3]            # the layer follows the steps: blocks.1, .2, .3
    assert state.step == OUTPUT_STEP and state.view == "output"
    assert state.next() and names(log, "step")[-1] == OUTPUT_STEP and len(names(log, "step")) == len(seen) - 1
    state.previous()
    assert state.step == state.steps[-2]
    state.first()
    assert state.step == TOKENIZER_STEP
    state.last()
    assert state.step == OUTPUT_STEP


def test_layers_heads_and_views(bert):
    loaded, trace = bert
    state = ExplorerState()
    state.set_trace(loaded, trace, "The cat sat on the mat.")
    log = recorded(state)
    assert state.go_to("blocks.1.attn.hook_pattern", "grid")
    assert state.layer == 1 and state.view == "grid"
    assert names(log, "layer") == [1] and names(log, "view") == ["grid"]
    assert state.set_layer(3) and state.step == "blocks.3.attn.hook_pattern" and state.view == "grid"
    assert not state.set_view("vectors")   # an attention step has no vectors view
    assert state.set_view("attention") and names(log, "view")[-1] == "attention"
    # out of range: clamped, and said
    assert state.set_layer(9) and state.step == "blocks.3.attn.hook_pattern"
    assert "layer 10 does not exist in bert-tiny (4 layers): showing layer 4" in state.notices[-1].text
    # from a step outside the layers: that layer's first step
    state.first()
    assert state.set_layer(2) and session.layer_of(state.step) == ("blocks", 2)
    assert state.step == next(s for s in state.steps if session.layer_of(s) == ("blocks", 2))
    # heads: 0-based inside, clamped to the step's heads
    state.go_to("blocks.0.attn.hook_scores")
    assert state.head_count() == 4
    assert state.set_head(2) == 2 and names(log, "head")[-1] == 2
    assert state.set_head(10) == 3 and state.head == 3
    assert state.context().head == 3
    # the mask's broadcast head axis of 1 is not "one head"
    assert state.head_count("blocks.0.attn.hook_mask") == 4


def test_selection(bert):
    loaded, trace = bert
    state = ExplorerState()
    state.set_trace(loaded, trace, "The cat sat on the mat.")
    log = recorded(state)
    state.select(4, 2)
    state.select(4, 2)
    assert names(log, "selection") == [(4, 2)]
    ctx = state.context("blocks.0.attn.hook_pattern")
    assert (ctx.query, ctx.key) == (4, 2)


def test_model_switch_clamps_head_layer_and_selection(bert, minilm):
    small, small_trace = bert
    big, big_trace = minilm
    state = ExplorerState()
    state.set_trace(big, big_trace, "long")
    state.go_to("blocks.5.attn.hook_pattern", "attention")
    assert state.set_head(11) == 11
    state.select(15, 14)
    log = recorded(state)
    state.set_trace(small, small_trace, "The cat sat on the mat.")
    assert state.head == 3                         # bert-tiny has 4 heads
    assert names(log, "head") == [3]
    assert "head 12 does not exist in bert-tiny (4 heads): showing head 4" in [n.text for n in state.notices]
    assert state.step == "blocks.3.attn.hook_pattern" and state.view == "attention"   # its last layer
    n = len(small_trace.tokens)
    assert state.query == n - 1 and state.key == n - 1 and names(log, "selection") == [(n - 1, n - 1)]
    # every step of the new model can be drawn with the state's head and selection
    for name in state.steps:
        ctx = state.context(name)
        if ctx.step is not None and "head" in ctx.step.dims:
            assert ctx.head < ctx.step.shape[ctx.step.dims.index("head")] or ctx.step.shape[1] == 1
    # a step that exists in both is kept
    state.go_to("blocks.1.attn.hook_q")
    state.set_trace(big, big_trace, "long")
    assert state.step == "blocks.1.attn.hook_q" and state.head == 3


def test_set_trace_opens_a_requested_step_or_says_it_is_unknown(bert):
    loaded, trace = bert
    state = ExplorerState()
    state.set_trace(loaded, trace, "x", step="blocks.2.attn.hook_pattern")
    assert state.step == "blocks.2.attn.hook_pattern" and state.view == "attention"
    state.set_trace(loaded, trace, "x", step="hook_scaled")   # a part of a name: its first match
    assert state.step == "blocks.0.attn.hook_scaled"
    state.set_trace(loaded, trace, "x", view="qkv")          # a view alone: the first step it shows
    assert state.view == "qkv"
    state.set_trace(loaded, trace, "x", step="no.such.step")
    assert state.step == TOKENIZER_STEP
    assert state.notices[-1] == Notice("No step called 'no.such.step' in this trace; showing the tokens.", True)


def test_head_before_any_trace_is_kept_then_clamped(bert):
    loaded, trace = bert
    state = ExplorerState()
    state.set_head(8)                 # main.py --head 9
    assert state.head == 8
    state.set_trace(loaded, trace, "x")
    assert state.head == 3
    assert state.notices[-1].text == "head 9 does not exist in bert-tiny (4 heads): showing head 4"


def test_t5_decoder_steps_are_labelled_with_decoder_tokens():
    text = "Das Haus ist klein."
    loaded = engine.load("t5-tiny")
    trace = loaded.trace(text=text, text_pair=text)   # same length on both sides: no guessing by length
    encoder, decoder = list(trace.tokens), list(trace.extras["decoder_tokens"])
    assert len(encoder) == len(decoder) and encoder != decoder
    n = len(encoder)
    ctx = StepContext(trace, "decoder.blocks.0.attn.hook_pattern")
    assert ctx.tokens_for("q_pos", n) == decoder and ctx.tokens_for("k_pos", n) == decoder
    ctx = StepContext(trace, "decoder.blocks.1.cross_attn.hook_pattern")
    assert ctx.tokens_for("q_pos", n) == decoder and ctx.tokens_for("k_pos", n) == encoder
    assert StepContext(trace, "decoder.blocks.0.cross_attn.hook_k").tokens_for("k_pos", n) == encoder
    assert StepContext(trace, "decoder.blocks.0.cross_attn.hook_q").tokens_for("q_pos", n) == decoder
    assert StepContext(trace, "decoder.blocks.0.hook_resid_post").tokens_for("pos", n) == decoder
    assert StepContext(trace, "lm_head.hook_logits").tokens_for("pos", n) == decoder
    assert StepContext(trace, "encoder.blocks.0.attn.hook_pattern").tokens_for("q_pos", n) == encoder
    assert StepContext(trace, "encoder.blocks.0.hook_resid_post").tokens_for("pos", n) == encoder
    assert StepContext(trace, "encoder.blocks.0.hook_resid_post").tokens_for("pos", n + 1) == [str(i) for i in range(n + 1)]


# ----------------------------------------------------------------------------------------------- the model cache
def test_model_cache_keeps_models_within_a_budget_least_recently_used_first():
    a, b, c = engine.load("bert-tiny"), engine.load("gpt2-tiny"), engine.load("t5-tiny")
    size = {m.name: model_bytes(m) for m in (a, b, c)}
    assert all(s > 0 for s in size.values())
    assert model_bytes(a) == sum(t.numel() * t.element_size() for t in
                                 {id(t): t for t in list(a.module.parameters()) + list(a.module.buffers())}.values())
    cache = ModelCache(budget=size["bert-tiny"] + size["gpt2-tiny"])
    assert cache.put("bert-tiny", "cpu", a) == [] and cache.put("gpt2-tiny", "cpu", b) == []
    assert cache.get("bert-tiny", "cpu") is a          # bert-tiny is now the most recently used
    assert cache.put("t5-tiny", "cpu", c) == ["gpt2-tiny"]
    assert cache.names() == [("bert-tiny", "cpu"), ("t5-tiny", "cpu")]
    assert cache.get("gpt2-tiny", "cpu") is None
    assert cache.total_bytes <= cache.budget or len(cache) == 1
    # the key is what was asked for, on both sides: a folder's model is found under the folder
    cache.put("/some/folder", "cpu", a)
    assert cache.get("/some/folder", "cpu") is a and cache.get(a.name, "cpu") is None
    # a model larger than the whole budget stays, alone
    tiny = ModelCache(budget=1)
    tiny.put("bert-tiny", "cpu", a)
    assert tiny.put("gpt2-tiny", "cpu", b) == ["bert-tiny"] and len(tiny) == 1


def test_default_budget(monkeypatch):
    monkeypatch.delenv("PLM_EXPLORER_CACHE_GIB", raising=False)
    assert 0 < default_budget() <= 4 * GIB
    monkeypatch.setenv("PLM_EXPLORER_CACHE_GIB", "0.5")
    assert default_budget() == GIB // 2 and ModelCache().budget == GIB // 2
    assert format_gib(4 * GIB) == "4 GiB"


def test_the_picker_and_the_masks_comparison_read_the_registry(monkeypatch):
    """A family added to the engine's registry appears in the picker (its group and title) and in the masks
    comparison (its first tiny preset) without any explorer change."""
    import dataclasses

    from engine import models, presets

    assert session.groups() == tuple(models.GROUPS)
    real = presets.all_presets()
    assert [name for name, _ in session.compare_presets()] == [
        next(p.name for p in real.values() if p.family == f and p.is_tiny) for f in models.FAMILIES
        if any(p.family == f and p.is_tiny for p in real.values())]
    toy = dataclasses.replace(models.FAMILIES["t5"], name="toy", title="Toy")
    monkeypatch.setitem(models.FAMILIES, "toy", toy)
    extra = dict(real)
    extra["toy-tiny"] = dataclasses.replace(real["t5-tiny"], name="toy-tiny", family="toy")
    monkeypatch.setattr(presets, "all_presets", lambda: extra)
    entries = {e.name: e for e in session.catalogue()}
    assert (entries["toy-tiny"].group, entries["toy-tiny"].title) == (toy.group, "Toy")
    assert session.compare_presets()[-1] == ("toy-tiny", True)   # encoder-decoder: gets the text as its target
