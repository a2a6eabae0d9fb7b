"""The Architecture page (Ctrl+3): one drawn item per graph node and edge, laid out without overlaps; a folded block
unfolds into its N layers on a click; the current step's node is highlighted and follows navigation; a click on a
node moves the state to its step (and the window to the step-through); T5 draws its cross edges between the
encoder and decoder lanes; ALBERT's shared block and GPT-3's dense/banded layers say so; BERT vs LLaMA lists the
three changes; exports write files or say why not; the command line (--view graph, --compare) reaches the page."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine.graph import build_graph, node_for_step  # noqa: E402
from explorer.state import ExplorerState  # noqa: E402
from explorer.views.graph import GraphView, layer_subgraph, node_of_step, step_for_node  # noqa: E402
from explorer.widgets.arch_layout import layout  # noqa: E402
from explorer.widgets.arch_scene import BlockItem, EdgeItem, NodeItem, layer_list  # noqa: E402


@pytest.fixture
def view(qtbot, keep_open):
    v = keep_open(GraphView(ExplorerState()))
    v.resize(1300, 820)
    v.show()
    return v


def draw(qtbot, view, model, timeout=30000):
    with qtbot.waitSignal(view.ready, timeout=timeout):
        view.open("graph", model=model)
    assert not view.message.isVisible(), view.message.text()
    return view.drawing


def click(qtbot, canvas, item, where=None):
    """A left click (press and release in place) on a scene item, at its centre or at `where` (item coordinates)."""
    point = item.mapToScene(where) if where is not None else item.sceneBoundingRect().center()
    canvas.reveal(item)
    qtbot.mouseClick(canvas.viewport(), Qt.LeftButton, pos=canvas.mapFromScene(point))


# ---------------------------------------------------------------------------------------------- the layout (no Qt)
@pytest.mark.parametrize("name", ["bert-tiny", "t5-tiny", "albert-tiny", "gpt3-tiny", "llama-tiny", "glm-tiny"])
def test_the_layout_places_every_node_and_edge_without_overlaps(name):
    graph = build_graph(name)
    placed = layout(graph, lambda n: (26, 26) if graph.nodes[n]["kind"] == "add" else (150, 40))
    assert set(placed.boxes) == set(graph.nodes) and set(placed.routes) == set(graph.edges)
    leaves = [n for n in graph.nodes if graph.nodes[n]["kind"] != "block"]
    for i, a in enumerate(leaves):
        for b in leaves[i + 1:]:
            p, q = placed.boxes[a], placed.boxes[b]
            assert p.right <= q.left or q.right <= p.left or p.bottom <= q.top or q.bottom <= p.top, (a, b)
    for node, data in graph.nodes(data=True):   # components inside their block; top to bottom
        if data["parent"]:
            outer, inner = placed.boxes[data["parent"]], placed.boxes[node]
            assert outer.left < inner.left and inner.right < outer.right and outer.top < inner.top
    inputs = [placed.boxes[n].top for n, d in graph.nodes(data=True) if d["kind"] == "input"]
    heads = [placed.boxes[n].top for n, d in graph.nodes(data=True) if d["kind"] == "head"]
    assert max(inputs) < min(heads)
    for (u, v), route in placed.routes.items():
        kind = graph.edges[u, v]["kind"]
        if kind == "residual":   # beside the main path: left of both ends
            assert route.points[1][0] < min(placed.boxes[u].left, placed.boxes[v].left)


def test_layer_numbers_count_from_one():
    assert layer_list([0, 1, 2, 3]) == "1–4"
    assert layer_list([0, 2]) == "1, 3"
    assert layer_list(list(range(0, 96, 2))) == "1, 3, 5, … 95"


# ---------------------------------------------------------------------------------------------- the page
def test_the_page_draws_one_item_per_node_and_edge(qtbot, view):
    drawing = draw(qtbot, view, "bert-tiny")
    graph = view.graph
    assert graph.graph["name"] == "bert-tiny"
    assert set(drawing.nodes) == set(graph.nodes) and set(drawing.edges) == set(graph.edges)
    items = view.scene.items()
    assert sum(isinstance(i, (NodeItem, BlockItem)) for i in items) == graph.number_of_nodes()
    assert sum(isinstance(i, EdgeItem) for i in items) == graph.number_of_edges()
    blocks = [i for i in items if isinstance(i, BlockItem)]
    assert len(blocks) == 1 and blocks[0].lines[0] == "block × 4"   # bert-tiny's 4 layers, folded
    tip = drawing.nodes["blocks.0-3.mlp"].toolTip()
    assert "parameters:" in tip and "(batch, pos, hidden)" in tip
    residual = [e for e in drawing.edges.values() if e.kind == "residual"]
    assert residual and all(e.pen().style() != Qt.SolidLine for e in residual)
    view.state.set_setting("lang", "zh")
    assert view.tabs.tabText(0) == "模型结构图" and view.drawing is not drawing   # redrawn in Chinese


def test_a_click_on_a_block_unfolds_its_layers_and_folds_them_back(qtbot, view):
    drawing = draw(qtbot, view, "gpt3-tiny")
    attention = drawing.nodes["blocks.0-3.attn"]
    assert any("dense: 1, 3" in line and "banded: 2, 4" in line for line in attention.details)
    block = drawing.nodes["blocks.0-3"]
    with qtbot.waitSignal(view.ready, timeout=30000):
        click(qtbot, view.canvas, block, on_header(block))
    blocks = [i for i in view.drawing.nodes.values() if isinstance(i, BlockItem)]
    assert len(blocks) == 4 and view.expand == {"layers"} and view.unfold_box.isChecked()
    variants = [view.drawing.nodes[f"blocks.{i}.attn"].details[-1] for i in range(4)]
    assert variants == ["dense", "banded", "dense", "banded"]
    first = view.drawing.nodes["blocks.0"]
    with qtbot.waitSignal(view.ready, timeout=30000):
        click(qtbot, view.canvas, first, on_header(first))
    assert len([i for i in view.drawing.nodes.values() if isinstance(i, BlockItem)]) == 1


def on_header(block):
    """A point on a block's header (its first line), in the block's coordinates."""
    from PySide6.QtCore import QPointF
    return block.header + QPointF(12, 8)


def test_t5_draws_cross_edges_between_the_encoder_and_the_decoder(qtbot, view):
    drawing = draw(qtbot, view, "t5-tiny")
    cross = [e for e in drawing.edges.values() if e.kind == "cross"]
    assert [e.edge for e in cross] == [("encoder.final_norm", "decoder.blocks.0-1.cross_attn")]
    assert cross[0].pen().color().name() != drawing.edges[("decoder.final_norm", "lm_head")].pen().color().name()
    lanes = dict(drawing.layout.lanes)
    assert lanes["encoder"].right < lanes["decoder"].left   # side by side
    boxes = drawing.layout.boxes
    assert boxes["encoder.blocks.0-1"].right < boxes["decoder.blocks.0-1"].left
    assert boxes["lm_head"].left > lanes["encoder"].right


def test_albert_shows_one_shared_block_and_its_loop(qtbot, view):
    drawing = draw(qtbot, view, "albert-tiny")
    depth = view.graph.graph["stacks"]["layers"]["depth"]
    block = next(i for i in drawing.nodes.values() if isinstance(i, BlockItem))
    assert block.lines[0] == f"block: shared × {depth} (1 parameter set)"
    loops = [e for e in drawing.edges.values() if e.kind == "repeat"]
    assert loops and any(e.label == f"shared × {depth}" for e in loops)
    first, last = loops[0].points[0], loops[0].points[-1]
    assert last[1] < first[1]   # back up into the first component


def test_the_current_step_is_highlighted_follows_and_a_click_opens_a_step(qtbot, view):
    import engine

    state = view.state
    loaded = engine.load("bert-tiny")
    trace = loaded.trace(text="The cat sat on the mat.")
    state.set_trace(loaded, trace, "The cat sat on the mat.")
    with qtbot.waitSignal(view.ready, timeout=30000):
        view.refresh(force=True)
    drawing = view.drawing
    assert view.matches_state() and view.current_node() == "input.input_ids"   # the tokens
    state.go_to("blocks.1.attn.hook_pattern")
    node = node_for_step(view.graph, "blocks.1.attn.hook_pattern")
    assert view.current_node() == node == "blocks.0-3.attn" and drawing.nodes[node].current
    assert drawing.nodes["blocks.0-3"].note == "now: layer 2"
    state.next()
    assert view.current_node() == node_of_step(view.graph, state.step)
    state.go_to("embeddings.hook_embed")
    assert view.current_node() == "embeddings.token" and not drawing.nodes[node].current
    state.set_layer(1)   # layer 2: a click on the folded feed-forward opens its step in layer 2
    with qtbot.waitSignal(view.step_opened, timeout=5000):
        click(qtbot, view.canvas, drawing.nodes["blocks.0-3.mlp"])
    assert state.step == "blocks.1.mlp.hook_pre" and view.current_node() == "blocks.0-3.mlp"
    assert step_for_node(view.graph.nodes["blocks.0-3.mlp"], state.steps) == "blocks.0.mlp.hook_pre"


def test_a_click_on_a_preset_not_loaded_asks_the_window_to_run_it(qtbot, view):
    drawing = draw(qtbot, view, "gpt2-tiny")
    with qtbot.waitSignal(view.run_requested, timeout=5000) as signal:
        click(qtbot, view.canvas, drawing.nodes["lm_head"])
    assert signal.args == ["gpt2-tiny", "lm_head.hook_logits"]
    view.model_combo.setCurrentIndex(view.model_combo.findData("llama-2-70b"))   # too large to run: said
    qtbot.waitUntil(lambda: view.graph is not None and view.graph.graph["name"] == "llama-2-70b", timeout=30000)
    click(qtbot, view.canvas, view.drawing.nodes["lm_head"])
    assert "too large to run" in view.message.text()


def test_bert_vs_llama_names_the_three_changes(qtbot, view):
    with qtbot.waitSignal(view.ready, timeout=30000):
        view.open("compare", compare=["bert-base-uncased", "llama-2-7b"])
    aspects = view.comparisons[0].aspects()
    for aspect in ("norm", "norm placement", "feed-forward", "position"):
        assert aspect in aspects
    text = view.differences_text()
    assert "The three changes" in text
    for words in ("pre-norm with RMSNorm", "SwiGLU", "RoPE", "LayerNorm", "GELU", "learned absolute positions"):
        assert words in text
    left, right = view.compare_drawings
    assert {d["kind"] for _, d in right.graph.nodes(data=True)} >= {"position", "norm", "mlp", "attention"}
    assert right.nodes["blocks.0-31.mlp"].badges and right.nodes["rotary_emb"].badges   # numbered on the drawing
    with qtbot.waitSignal(view.ready, timeout=30000):   # GPT-1 vs GPT-2: where the norm goes
        view.quick[1].click()
    assert view.comparisons[0].aspects() == ["norm placement", "final norm"]
    with qtbot.waitSignal(view.ready, timeout=30000):   # GLM's three norm styles, side by side
        view.quick[2].click()
    assert [d.graph.graph["name"] for d in view.compare_drawings] == ["glm-tiny", "glm-post-tiny",
                                                                      "glm-deepnorm-tiny"]
    assert "residual scale" in view.comparisons[1].aspects()


def test_layer_subgraph_holds_one_block_and_its_neighbours():
    sub = layer_subgraph(build_graph("t5-tiny"))
    assert [n for n, d in sub.nodes(data=True) if d["kind"] == "block"] == ["encoder.blocks.0-1"]
    assert "encoder.final_norm" in sub and not any(n.startswith("decoder") for n in sub)


def test_exports_write_the_whole_picture_or_say_why_not(qtbot, view, tmp_path, bad_paths):
    from PySide6.QtGui import QImage

    draw(qtbot, view, "bert-tiny")
    png = view.export_picture("png", str(tmp_path / "graph"))
    assert png == tmp_path / "graph.png" and QImage(str(png)).width() > 400
    svg = view.export_picture("svg", str(tmp_path / "graph.svg"))
    assert svg.read_text().rstrip().endswith("</svg>")
    assert view.export_picture("png", str(bad_paths["missing folder"])) is None
    assert view.message.isVisible() and "Wrote" not in view.message.text()


def test_the_command_line_and_ctrl_3_reach_the_page(qtbot, keep_open, tmp_path):
    from PySide6.QtWidgets import QApplication

    from explorer.app import Screenshot, build_window, parse_args

    window = keep_open(build_window(parse_args(["--view", "graph", "--model", "t5-tiny"])))
    assert window.pages.currentWidget() is window.graph_view and window.graph_view.current_tab() == "graph"
    out = tmp_path / "t5.png"
    shot = Screenshot(window, str(out), 60)
    window.show()
    window.start()   # the page draws its graph in its worker; nothing runs in the step-through
    qtbot.waitUntil(lambda: shot.done, timeout=60000)
    shot.watchdog.cancel()
    assert shot.exit_code == 0 and out.exists()
    assert window.graph_view.graph.graph["name"] == "t5-tiny" and window.state.trace is None
    QApplication.processEvents()

    window = keep_open(build_window(parse_args(["--view", "graph", "--compare", "openai-gpt,gpt2"])))
    assert window.graph_view.current_tab() == "compare" and window.pages.currentWidget() is window.graph_view
    assert window.graph_view.compare_names == ["openai-gpt", "gpt2"]
    action = next(a for a in window.menuBar().actions()[2].menu().actions() if a.text() == "Architecture")
    assert action.shortcut().toString() == "Ctrl+3"
    window.show_step_through()
    action.trigger()
    assert window.pages.currentWidget() is window.graph_view


def test_in_the_window_a_click_opens_the_step_in_the_step_through(qtbot, open_window):
    from tests.explorer.helpers import run_and_wait

    window = open_window("bert-tiny")
    run_and_wait(qtbot, window)
    view = window.show_graph()
    qtbot.waitUntil(lambda: view.drawing is not None and view.matches_state(), timeout=30000)
    assert view.current_node() == node_of_step(view.graph, window.state.step)
    with qtbot.waitSignal(view.step_opened, timeout=5000):
        click(qtbot, view.canvas, view.drawing.nodes["blocks.0-3.attn"])
    assert window.pages.currentIndex() == 0 and window.state.step == "blocks.0.attn.hook_q"
    assert window.current_view() is not view
