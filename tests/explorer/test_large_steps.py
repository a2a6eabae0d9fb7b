"""Large steps stay quick to show: a logits-sized matrix is drawn reduced (from a worker), the head lines are
chosen with numpy and capped, the all-heads grid is one image that a head change only reframes."""
import numpy as np
import pytest

from tests.explorer.helpers import run_and_wait


@pytest.mark.parametrize("shape, limit, factors", [((70, 230), (30, 50), (3, 5)),     # pooled, ragged blocks
                                                   ((64, 300), (64, 100), (1, 3))])   # small whole blocks
def test_a_reduced_image_keeps_each_blocks_largest_magnitude_and_never_writes_into_the_data(shape, limit, factors):
    from explorer.widgets.heatmap import reduced_image

    rng = np.random.default_rng(0)
    data = rng.standard_normal(shape).astype(np.float32)
    before = data.copy()
    image, (fr, fc) = reduced_image(data, limit)
    assert (fr, fc) == factors and image.shape == (-(-shape[0] // fr), -(-shape[1] // fc))
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            block = data[i * fr:(i + 1) * fr, j * fc:(j + 1) * fc]
            assert image[i, j] == block.flat[np.abs(block).argmax()]
    assert np.array_equal(data, before)
    small, factors = reduced_image(data[:10, :10], (30, 50))
    assert factors == (1, 1) and np.array_equal(small, data[:10, :10])


def test_a_logits_sized_matrix_is_drawn_from_a_corner_first_then_whole(qtbot):
    from explorer.widgets.heatmap import Heatmap

    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    data = np.random.default_rng(1).standard_normal((300, 20000)).astype(np.float32)
    heatmap.set_matrix(data)
    assert heatmap.value_at(299, 19999) == data[299, 19999]           # hovering reads every cell exactly
    assert "drawing all" in heatmap.caption.text()
    qtbot.waitUntil(lambda: "drawing all" not in heatmap.caption.text(), timeout=30000)
    assert heatmap.image.image.shape[1] < 20000 and "reduced" in heatmap.caption.text()
    assert heatmap.image.mapRectToParent(heatmap.image.boundingRect()).width() == pytest.approx(20000)


def test_head_lines_keep_each_querys_strongest_links_and_a_hovered_row_shows_all_of_its_own(qtbot):
    from explorer.views.attention import LinesCanvas

    canvas = LinesCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 400)
    weights = np.full((300, 300), 0.05, dtype=np.float32)
    weights[7, 11] = 0.9
    canvas.set_data([str(i) for i in range(300)], [str(i) for i in range(300)], {0: weights})
    rows, cols, values, left_out = canvas.lines_of(0, None)
    k = canvas.top_k(300)
    assert len(values) == k * 300 and left_out == 300 * 300 - k * 300
    assert np.bincount(rows, minlength=300).max() == k                 # at most k of each query token
    assert (rows[-1], cols[-1]) == (7, 11)                             # the strongest, drawn last (on top)
    canvas.grab()                                                      # paints
    assert canvas.hidden == left_out
    rows, cols, values, left_out = canvas.lines_of(0, 7)
    assert len(values) == 300 and left_out == 0


def test_the_grid_is_one_image_that_a_head_change_only_reframes(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to("blocks.1.attn.hook_pattern", "grid")
    grid = window.views["grid"]
    image = grid.image.image
    assert len(grid.cells) == 4 * 4 and image.dtype == np.uint8
    window.state.set_head(3)
    assert grid.image.image is image                                   # not redrawn
    frame = grid.frame.rect()
    thumb = next(c[0] for c in grid.cells if c[1] == 1 and c[2] == 3)
    assert (frame.x(), frame.y()) == thumb.origin()
    window.go_to("blocks.1.attn.hook_scores", "grid")
    assert grid.image.image is not image                               # another step: recoloured
