"""Views of a T x T or T x d picture stay readable at any length: axis labels thin out instead of overprinting,
head lines keep only each query's strongest links on long inputs, the all-heads grid says which colour scale it
uses, and the window builds each page and view only when it is first shown."""
import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from tests.explorer.helpers import run_and_wait


def drawn_labels(axis):
    """(rect, text) of every tick label the axis draws now, as pyqtgraph lays them out for painting."""
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in texts]


def overlapping(rects) -> bool:
    return any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


@pytest.mark.parametrize("length", [1, 13, 512])
def test_heatmap_axis_labels_thin_out_and_never_overlap(qtbot, length):
    from explorer.widgets.heatmap import Heatmap

    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(700, 600)
    heatmap.show()
    tokens = [f"token{i}" for i in range(length)]
    heatmap.set_matrix(np.random.default_rng(0).random((length, length)), tokens, tokens, mode="prob")
    qtbot.wait(50)
    item = heatmap.plot.getPlotItem()
    for side in ("left", "bottom"):
        labels = drawn_labels(item.getAxis(side))
        assert labels and not overlapping([rect for rect, _ in labels])
        pixels = item.vb.height() if side == "left" else item.vb.width()
        assert len(labels) <= pixels / 10                              # bounded by the room, not by the length
        if length <= 13 and side == "left":
            assert [text for _, text in labels] == tokens              # short inputs: every token named
    if length == 512:
        shown = len(drawn_labels(item.getAxis("left")))
        assert shown < 100
        heatmap.show_rows(100, 131)                                    # zoomed in: the labels come back
        qtbot.wait(50)
        near = drawn_labels(item.getAxis("left"))
        assert len(near) >= 16 and not overlapping([rect for rect, _ in near])
        assert all(100 <= int(text.split()[0] if " " in text else text[5:]) <= 131 for _, text in near)
        heatmap.reset_view()
        assert heatmap.shown_rows()[1] - heatmap.shown_rows()[0] > 500


def test_head_lines_draw_at_most_k_per_token_and_say_the_rule(qtbot):
    from explorer.views.attention import LinesCanvas

    canvas = LinesCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(700, 600)
    n = 512
    weights = np.random.default_rng(1).dirichlet(np.full(n, 0.05), size=n).astype(np.float32)
    tokens = [f"t{i}" for i in range(n)]
    canvas.set_data(tokens, tokens, {0: weights, 3: weights[::-1].copy()})
    canvas.grab()
    k = canvas.top_k(n)
    assert canvas.drawn <= k * n * 2                                   # two heads, k lines per token each
    assert f"top {k} link" in canvas.rule() and "per query token" in canvas.rule()
    assert canvas.top_k(100) > k                                       # fewer tokens, more links each
    for side in ("left", "right"):
        rects = canvas.label_rects[side]
        assert 0 < len(rects) < n and not overlapping(rects)
    canvas.set_data(tokens[:10], tokens[:10], {0: weights[:10, :10] / weights[:10, :10].sum(1, keepdims=True)})
    canvas.grab()
    assert canvas.rule().startswith("every link") and len(canvas.label_rects["left"]) == 10


def test_the_grid_shares_one_colour_scale_by_default_or_gives_each_thumbnail_its_own(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_scores", "grid")
    grid = window.views["grid"]
    assert grid.scaling.currentData() == "shared"
    shared = grid.shown_range
    cache = window.state.trace.cache
    largest = max(float(cache[f"blocks.{layer}.attn.hook_scores"].max()) for layer in range(window.state.layers))
    assert shared[1] == pytest.approx(largest, rel=1e-5)              # the scale: the largest score of all
    assert "max" in grid.scale_text.text() and "same for every" in grid.scale_text.text()
    image = grid.image.image.copy()
    grid.scaling.setCurrentIndex(grid.scaling.findData("own"))
    assert "its own" in grid.scale_text.text()
    assert not np.array_equal(grid.image.image, image)                 # recoloured: each thumbnail stretched


def test_pages_and_views_are_built_when_first_shown(qtbot, open_window):
    from explorer.widgets.lazy_tabs import Placeholder

    window = open_window()
    for key in ("params_view", "graph_view", "generate_view"):
        assert not window.lazy_pages.is_built(key)
    assert isinstance(window.pages.widget(1), Placeholder)
    page = window.show_params()
    assert window.lazy_pages.is_built("params_view") and window.pages.currentWidget() is page
    assert window.pages.indexOf(page) == 1 and "Parameters" in window.pages.tabText(1)
    assert not window.lazy_pages.is_built("graph_view")
    window.pages.setCurrentIndex(2)                                    # the user clicks the Architecture tab
    assert window.lazy_pages.is_built("graph_view") and window.pages.currentWidget() is window.graph_view
    window.show_step_through()
    run_and_wait(qtbot, window)
    lazy = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert any(isinstance(w, Placeholder) for w in lazy)               # views never shown: not built
    window.go_to("blocks.0.attn.hook_pattern", "grid")
    grid = window.tabs.currentWidget()
    assert not isinstance(grid, Placeholder) and grid is window.views["grid"] and grid.cells   # built and drawn


def test_graph_views_names_match_the_graph_page():
    from explorer import app
    from explorer.views import graph

    assert app.GRAPH_VIEWS == graph.VIEW_NAMES


def test_a_signed_colour_range_is_a_round_bound_that_covers_the_values_and_stays_across_similar_heads(qtbot):
    from explorer.widgets.heatmap import Heatmap, nice_ceiling

    assert [nice_ceiling(v) for v in (0.93, 1.0, 1.01, 3.7, 0.0042, 71)] == [1.0, 1.0, 1.2, 4.0, 0.005, 80]
    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    rng = np.random.default_rng(0)
    heatmap.set_matrix(rng.uniform(-3.3, 3.1, (20, 16)), mode="signed")
    assert heatmap.bar.levels() == (-4.0, 4.0)                      # symmetric, every value inside, zero in the middle
    heatmap.set_matrix(rng.uniform(-3.6, 2.9, (20, 16)), mode="signed")
    assert heatmap.bar.levels() == (-4.0, 4.0)                      # another head of the same size: the same scale
    heatmap.set_matrix(rng.uniform(-0.2, 0.11, (20, 16)), mode="signed")
    assert heatmap.bar.levels() == (-0.2, 0.2)
