"""The recorder keeps the forward pass's own tensors (copy-on-write) and keeps recipes for the steps it can recompute
exactly from others (the scaled / raw and masked attention scores, residual sums, the MLP's activation and gated
product, repeated keys / values): same values, same API, less memory."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from engine.cache import Derived
from engine.hooks import HookPoint, Recorder, name_hook_points, record
from engine.layers.activations import RECOMPUTES_EXACTLY
from engine.layers.attention import Attention
from engine.layers.masks import causal_mask, padding_mask, to_additive
from engine.models import FAMILIES
from engine.models.bert import BertMLP


class Writer(nn.Module):
    """Records a value, then changes it in place in one of the ways torch allows."""

    def __init__(self, how: str):
        super().__init__()
        self.how = how
        self.hook = HookPoint(("batch", "hidden"), "test.value")

    def forward(self, x):
        y = self.hook(x * 2)
        view = y[:, :2]          # a view shares the memory: writing through it must not reach the cache either
        if self.how == "iadd":
            y += 100
        elif self.how == "method":
            y.mul_(0)
        elif self.how == "setitem":
            y[0, 0] = -1
        elif self.how == "view":
            view.fill_(7)
        elif self.how == "out":
            torch.sub(x, x, out=y)
        elif self.how == "inplace_kwarg":
            F.relu(y.neg_(), inplace=True)
        return y


WAYS_TO_WRITE_IN_PLACE = ["iadd", "method", "setitem", "view", "out", "inplace_kwarg"]


@pytest.mark.parametrize("how", WAYS_TO_WRITE_IN_PLACE)
def test_with_copy_on_write_an_in_place_change_after_recording_never_reaches_the_cache(how):
    model = Writer(how)
    name_hook_points(model)
    x = torch.arange(6.0).reshape(2, 3)
    with record(copy_on_write=True) as cache:
        y = model(x)
    assert torch.equal(cache["hook"], x * 2)
    assert not torch.equal(y, x * 2)


@pytest.mark.parametrize("how", WAYS_TO_WRITE_IN_PLACE)
def test_without_copy_on_write_an_in_place_change_during_recording_is_an_error_not_a_wrong_value(how):
    model = Writer(how)
    name_hook_points(model)
    with pytest.raises(RuntimeError, match="recorded step hook was changed in place"):
        with record():
            model(torch.arange(6.0).reshape(2, 3))


def named_hook() -> HookPoint:
    hook = HookPoint(("batch", "hidden"), "test.value")
    hook.name = "hook"
    return hook


def test_a_change_after_the_block_is_seen_by_the_cache_and_raises_nothing():
    hook = named_hook()
    x = torch.zeros(2, 3)
    with record() as cache:
        hook(x)
    x += 1
    assert torch.equal(cache["hook"], torch.ones(2, 3))


def test_a_value_nobody_changes_is_kept_without_a_copy():
    hook = named_hook()
    x = torch.randn(2, 3)
    with record() as cache:
        hook(x)
    assert cache["hook"].data_ptr() == x.data_ptr()
    assert cache.nbytes() == x.numel() * x.element_size()


class Core(Attention):
    def forward(self, q, k, v, allowed, scale, bias=None):
        return self.attend(q, k, v, allowed, scale, bias)


def explicit(q, k, v, allowed, scale, bias):
    """The recipe, written out: what each recorded step must equal bit for bit."""
    scores = q @ k.transpose(-1, -2)
    scaled = scores * scale if scale is not None else scores
    masked = scaled + bias if bias is not None else scaled
    if allowed is not None:
        masked = masked + to_additive(allowed, masked.dtype)
    pattern = torch.softmax(masked, dim=-1)
    return scores, scaled, masked, pattern, pattern @ v


@pytest.mark.parametrize("masking", ["causal", "padding", "all visible", "none"])
@pytest.mark.parametrize("scale, with_bias", [(0.125, False), (None, True), (0.3, True)])
def test_derived_attention_steps_are_the_forward_pass_values_bit_for_bit(masking, scale, with_bias):
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 3, 5, 4) for _ in range(3))
    allowed = {"causal": causal_mask(5, 5), "padding": padding_mask(torch.tensor([[1, 1, 1, 0, 0], [1] * 5])),
               "all visible": padding_mask(torch.ones(2, 5, dtype=torch.long)), "none": None}[masking]
    bias = torch.randn(1, 3, 5, 5) if with_bias else None
    core = Core()
    name_hook_points(core)
    with torch.no_grad(), record() as cache:
        z = core(q, k, v, allowed, scale, bias)
    scores, scaled, masked, pattern, expected_z = explicit(q, k, v, allowed, scale, bias)
    assert torch.equal(cache["hook_scores"], scores)
    if scale is not None:
        # one of the two is stored: the scaled scores where the scale is a power of two (computed as
        # (Q x scale) K^T), the raw ones otherwise; the other is a recipe over it
        assert cache.step("hook_scores").derived == (scale == 0.125) != cache.step("hook_scaled").derived
        assert torch.equal(cache["hook_scaled"], scaled)
    assert "hook_scaled" in cache or scale is None
    assert cache.step("hook_attn_scores").derived
    assert torch.equal(cache["hook_attn_scores"], masked)
    assert cache.step("hook_attn_scores").shape == tuple(masked.shape)
    assert torch.equal(cache["hook_pattern"], pattern)
    assert torch.equal(z, expected_z)
    assert cache.names() == [n for n in ["hook_q", "hook_k", "hook_v", "hook_scores", "hook_scaled", "hook_mask",
                                         "hook_attn_scores", "hook_pattern", "hook_z"]
                             if (n != "hook_scaled" or scale is not None) and (n != "hook_mask" or allowed is not None)]
    # the fused path (no recording) computes the same output
    with torch.no_grad():
        fused = core(q, k, v, allowed, scale, bias)
    assert torch.allclose(fused, z, atol=1e-6)


def test_derived_steps_take_no_memory_of_their_own_and_read_like_any_other():
    torch.manual_seed(0)
    q, k, v = (torch.randn(1, 2, 16, 4) for _ in range(3))
    core = Core()
    name_hook_points(core)
    with torch.no_grad(), record() as cache:
        core(q, k, v, causal_mask(16, 16), 0.5)
    step = cache.step("hook_attn_scores")
    assert isinstance(step.stored, Derived)
    assert step.nbytes == 2 * 16 * 16 * 4 and step.dtype == torch.float32
    assert cache.nbytes() < cache.nominal_bytes()
    first = cache["hook_attn_scores"]
    assert cache["hook_attn_scores"] is first            # read twice, computed once
    arrays = cache.to_numpy_dict()
    assert (arrays["hook_scaled"] == (cache["hook_scores"] * 0.5).numpy()).all()
    assert (arrays["hook_scores"] == (q @ k.transpose(-1, -2)).numpy()).all()


def test_only_some_names_still_derives_a_step_whose_inputs_are_not_recorded():
    torch.manual_seed(0)
    q, k, v = (torch.randn(1, 2, 6, 4) for _ in range(3))
    core = Core()
    name_hook_points(core)
    with torch.no_grad(), record(names={"hook_attn_scores"}) as cache:
        core(q, k, v, causal_mask(6, 6), 0.5)
    assert cache.names() == ["hook_attn_scores"]
    assert torch.equal(cache["hook_attn_scores"], explicit(q, k, v, causal_mask(6, 6), 0.5, None)[2])


def store_every_step(monkeypatch):
    """Make the recorder keep every value itself, never a recipe: the reference derived steps must match."""
    original = Recorder.record

    def record_value(self, hook, value, derive=None, computed=True):
        if derive is not None and not computed:   # a value the forward pass never computed (HookPoint.derived)
            value = derive[0](*derive[1:])
        original(self, hook, value)

    monkeypatch.setattr(Recorder, "record", record_value)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_reads_the_same_bits_from_its_recipes_as_from_stored_steps(family, monkeypatch):
    spec = FAMILIES[family]
    preset = next(iter(spec.tiny_presets.values()))
    torch.manual_seed(0)
    model = spec.model_cls(spec.config(preset)).eval()
    name_hook_points(model)
    ids = torch.randint(5, 60, (1, 7))
    inputs = spec.inputs_from_ids(None, model.config, ids).inputs
    with torch.no_grad(), record() as lean:
        model(**inputs)
    with monkeypatch.context() as patched:
        store_every_step(patched)
        with torch.no_grad(), record() as full:
            model(**inputs)
    assert lean.names() == full.names()
    derived = [n for n in lean.names() if lean.step(n).derived]
    # at least the residual sums and the masked scores (and the MLP's output where its activation recomputes
    # exactly, one of the raw / scaled scores, the repeated keys and values of grouped-query attention)
    assert any(n.endswith("hook_resid_mid") for n in derived)
    assert any(n.endswith("hook_attn_scores") for n in derived)
    for name in lean.names():
        assert torch.equal(lean[name], full[name]), name
    assert lean.nbytes() < full.nbytes()


@pytest.mark.parametrize("act", sorted(RECOMPUTES_EXACTLY, key=lambda f: f.__name__))
def test_an_activation_kept_as_a_recipe_gives_the_same_bits_on_every_kernel_path(act):
    # an element must come out the same whether it lies inside a long tensor or near the end of a short piece
    # (how the work is split among threads differs from run to run); one-element tensors are never recipes
    torch.manual_seed(0)
    x = torch.randn(20000) * 4
    whole = act(x)
    for size in (2, 3, 7, 8, 9, 15, 16, 17, 33, 65):
        pieces = torch.cat([act(piece.clone()) for piece in x[:size * 300].split(size)])
        assert torch.equal(pieces, whole[:size * 300]), size


def test_a_recipe_only_portable_arithmetic_makes_is_derived_on_another_device_than_the_run():
    torch.manual_seed(0)
    mlp = BertMLP(4, 8, "gelu")
    name_hook_points(mlp)
    x = torch.randn(1, 3, 4)
    with torch.no_grad(), record(device="meta") as cache:   # the run on the CPU, the cache elsewhere
        mlp(x)
    assert not cache.step("hook_post").derived   # GELU may round otherwise on another device: kept as a value
    assert cache.step("hook_post").stored.device.type == "meta"
    core = Core()
    name_hook_points(core)
    with torch.no_grad(), record(device="meta") as cache:
        core(*(torch.randn(1, 2, 3, 4) for _ in range(3)), causal_mask(3, 3), 0.125)
    assert cache.step("hook_scores").derived and cache.step("hook_attn_scores").derived


def test_what_is_known_of_a_mask_goes_with_the_mask():
    from engine.layers import attention

    core = Core()
    name_hook_points(core)
    allowed = causal_mask(6, 6)
    with torch.no_grad():
        core(*(torch.randn(1, 2, 6, 4) for _ in range(3)), allowed, 0.5)
        with record():
            core(*(torch.randn(1, 2, 6, 4) for _ in range(3)), allowed, 0.5)
    assert any(ref() is allowed and ("additive", torch.float32) in answers
               for ref, _, answers in attention._known_masks)
    del allowed
    attention._known(causal_mask(2, 2), ("all",), lambda: False)
    assert len(attention._known_masks) == 1   # the first mask is gone, and with it its additive form
