"""The Qt-free arithmetic behind the Q/K/V view: every number it shows comes from the cache and adds up."""
import pytest

import engine
from explorer import session
from explorer.session import cell_arithmetic


@pytest.fixture(scope="module")
def t5_trace():
    return engine.load("t5-tiny").trace(text="translate English to German: The cat sat.", text_pair="Die Katze.")


def test_t5_cell_adds_the_stack_position_bias_to_q_dot_k(t5_trace):
    cache = t5_trace.cache
    head, i, j = 1, 3, 2
    a = cell_arithmetic(cache, "encoder.blocks.1.attn", head, i, j)   # layer 2 reuses layer 1's bias table
    assert a.scale is None   # T5 does not divide by sqrt(d_k)
    assert a.position_bias == pytest.approx(float(cache["encoder.blocks.0.attn.hook_position_bias"][0, head, i, j]))
    assert a.total + a.position_bias == pytest.approx(float(cache["encoder.blocks.1.attn.hook_attn_scores"][0, head, i, j]),
                                                      abs=1e-5)
    assert a.ok


def test_cross_attention_has_no_position_bias(t5_trace):
    a = cell_arithmetic(t5_trace.cache, "decoder.blocks.0.cross_attn", 0, 1, 1)
    assert a.position_bias is None and a.ok


@pytest.mark.parametrize("name", ["llama-tiny", "chatglm2-tiny", "gpt2-tiny", "t5-tiny"])
def test_the_cell_arithmetic_uses_the_q_and_k_that_make_the_scores(name):
    """LLaMA and ChatGLM rotate q and k (RoPE) and share k across query heads: the arithmetic must start from the
    rotated ones, per key/value head, to rebuild the recorded score."""

    cache = engine.load(name).trace(text="The cat sat on the mat because it was tired.").cache
    prefix = "encoder.blocks.1.attn" if name.startswith("t5") else "blocks.1.attn"
    for head in range(cache[f"{prefix}.hook_pattern"].shape[1]):
        arithmetic = session.cell_arithmetic(cache, prefix, head, 5, 2)
        assert arithmetic.ok, (name, head)
    if name in ("llama-tiny", "chatglm2-tiny"):
        assert session.qkv_step(prefix, "q", cache).endswith("hook_rot_q")
        assert session.qkv_step(prefix, "k", cache).endswith("hook_rot_k")
