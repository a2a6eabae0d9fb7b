"""The recorder: ordered, protected from in-place changes, scoped, and invisible when not recording."""
import pytest
import torch
from torch import nn

from engine.hooks import HookPoint, name_hook_points, record, is_recording, renamed


class Doubler(nn.Module):
    def __init__(self, in_place: bool = False):
        super().__init__()
        self.in_place = in_place
        self.hook_in = HookPoint(("batch", "hidden"), "test.in")
        self.hook_out = HookPoint(("batch", "hidden"), "test.out")

    def forward(self, x):
        x = self.hook_in(x)
        y = x * 2
        self.hook_out(y)
        if self.in_place:
            y += 100        # an in-place change after recording: it must not reach the cache
        else:
            y = y + 100
        return y


def make(in_place: bool = False):
    model = nn.Sequential(Doubler(in_place), Doubler(in_place))
    name_hook_points(model)
    return model


def test_steps_come_in_computation_order_with_module_path_names():
    with record() as cache:
        make()(torch.ones(1, 3))
    assert cache.names() == ["0.hook_in", "0.hook_out", "1.hook_in", "1.hook_out"]
    assert cache.step("0.hook_out").dims == ("batch", "hidden")
    assert cache.step("0.hook_out").key == "test.out"


def test_with_copy_on_write_recorded_tensors_are_untouched_by_later_in_place_ops():
    with record(copy_on_write=True) as cache:
        make(in_place=True)(torch.ones(1, 3))
    assert torch.equal(cache["0.hook_out"], torch.full((1, 3), 2.0))
    assert torch.equal(cache["1.hook_in"], torch.full((1, 3), 102.0))


def test_recording_stops_when_the_scope_ends_even_after_an_error():
    model = make()
    with pytest.raises(RuntimeError):
        with record():
            assert is_recording()
            raise RuntimeError("boom")
    assert not is_recording()
    with record() as cache:
        pass
    model(torch.ones(1, 3))
    assert len(cache) == 0


def test_a_reused_module_is_recorded_under_each_new_name():
    block = Doubler()
    model = nn.ModuleDict({"shared": block})
    name_hook_points(model)
    with record() as cache:
        x = torch.ones(1, 2)
        for i in range(3):
            with renamed("shared", f"blocks.{i}"):
                x = block(x)
    assert cache.names() == [f"blocks.{i}.hook_{w}" for i in range(3) for w in ("in", "out")]


def test_recording_only_some_names():
    with record(names={"1.hook_out"}) as cache:
        make()(torch.ones(1, 3))
    assert cache.names() == ["1.hook_out"]


def test_a_hook_point_is_the_identity():
    x = torch.randn(2, 3)
    assert HookPoint(("a", "b"), "k")(x) is x
