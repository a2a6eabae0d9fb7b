"""Devices and memory: a device that is not there, or a model too big for it, gets a message with the numbers."""
import pytest
import torch
import transformers

import engine
from engine import devices
from engine.errors import DeviceError


def test_the_cpu_is_always_listed():
    assert devices.available_devices()[0] == "cpu"


def test_a_device_that_is_not_there_is_refused_with_the_list_of_those_that_are():
    with pytest.raises(DeviceError, match=r"'cuda:7' is not available here\. Available: cpu"):
        engine.load("bert-tiny", device="cuda:7")


def test_weights_bigger_than_free_memory_are_refused_with_both_sizes(monkeypatch):
    monkeypatch.setattr(devices, "free_bytes", lambda device: 50 * 2**20)   # pretend 50 MiB are free
    with pytest.raises(DeviceError, match=r"need .* GiB but only 0\.0 GiB is free on cpu"):
        devices.check_fits(10**9, torch.device("cpu"))


def test_a_published_size_far_beyond_this_machine_is_refused(monkeypatch):
    monkeypatch.setattr(devices, "free_bytes", lambda device: 8 * 2**30)
    from engine.presets import all_presets
    assert "llama-2-70b" in all_presets()
    with pytest.raises(DeviceError, match="Pick a smaller model"):
        engine.load("llama-2-70b")


def test_a_half_precision_checkpoint_runs_in_float32_on_the_cpu(tmp_path):
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=50, n_embd=16, n_layer=2, n_head=2, n_positions=32)
    reference = transformers.GPT2LMHeadModel(config).to(torch.bfloat16).eval()
    reference.save_pretrained(tmp_path)
    loaded = engine.load(tmp_path)
    assert all(p.dtype == torch.float32 for p in loaded.module.parameters())
    ids = torch.tensor([[3, 14, 15, 9, 2]])
    with torch.no_grad():
        expected = reference.float()(input_ids=ids).logits   # the same bf16 weights, computed in float32
    assert torch.allclose(loaded.forward(input_ids=ids)["lm"], expected, atol=1e-4)
