"""`python -m engine trace` on every tiny preset: the ordered steps with shapes, as text and as JSON."""
import json

import pytest

from engine.__main__ import main
from engine.presets import all_presets

TINY = sorted(name for name, preset in all_presets().items() if preset.is_tiny)
TEXT = "The cat sat on the mat."


def test_every_family_has_a_tiny_preset():
    assert set(TINY) >= {"bert-tiny", "roberta-tiny", "albert-tiny", "t5-tiny", "gpt1-tiny", "gpt2-tiny",
                         "gpt3-tiny", "llama-tiny", "glm-tiny", "chatglm2-tiny"}


@pytest.mark.parametrize("name", TINY)
def test_trace_json_lists_every_step_with_shape_and_dims(name, capsys):
    assert main(["trace", "--model", name, "--text", TEXT, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"] and len(data["steps"]) > 10
    for step in data["steps"]:
        assert len(step["shape"]) == len(step["dims"])
    names = [s["name"] for s in data["steps"]]
    assert any(n.endswith("attn.hook_pattern") for n in names)
    if name.startswith("t5"):
        assert any(n.startswith("encoder.") for n in names)
        assert any(".cross_attn.hook_pattern" in n for n in names)
        assert any(n.startswith("decoder.") and ".attn.hook_pattern" in n for n in names)


def test_trace_text_output_is_one_line_per_step(capsys):
    assert main(["trace", "--model", "bert-tiny", "--text", TEXT]) == 0
    out = capsys.readouterr().out
    assert "blocks.0.attn.hook_pattern" in out and "(batch, head, q_pos, k_pos)" in out


def test_bad_input_is_a_message_not_a_traceback(capsys):
    assert main(["trace", "--model", "no-such-model", "--text", TEXT]) == 2
    assert "No model, preset or folder" in capsys.readouterr().err
    assert main(["trace", "--model", "bert-tiny", "--text", "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["trace", "--model", "bert-tiny", "--text", "word " * 400]) == 2
    assert "at most 256" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["gpt2-tiny", "llama-tiny", "t5-tiny", "glm-tiny", "chatglm2-tiny"])
def test_generate_continues_a_text_greedily_with_and_without_the_kv_cache(name, capsys):
    assert main(["generate", "--model", name, "--text", TEXT, "--max-new-tokens", "5", "--json"]) == 0
    cached = json.loads(capsys.readouterr().out)
    assert main(["generate", "--model", name, "--text", TEXT, "--max-new-tokens", "5", "--no-cache", "--json"]) == 0
    uncached = json.loads(capsys.readouterr().out)
    assert 1 <= len(cached["new_ids"]) <= 5 and cached["new_ids"] == uncached["new_ids"]
    assert len(cached["new_tokens"]) == len(cached["new_ids"]) and cached["prompt_tokens"]


def test_generate_explains_why_an_encoder_cannot_continue_a_text(capsys):
    assert main(["generate", "--model", "bert-tiny", "--text", TEXT]) == 2
    err = capsys.readouterr().err
    assert "encoder" in err and err.count("\n") == 1
    assert main(["generate", "--model", "gpt2-tiny", "--text", TEXT, "--max-new-tokens", "0"]) == 2
    assert "max_new_tokens" in capsys.readouterr().err
