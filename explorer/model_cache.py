"""Loaded models kept between runs, up to a memory budget, least recently used unloaded first. Qt-free.

The key is what the user asked for, (name or folder, device), both when looking up and when storing, so a
checkpoint folder (whose LoadedModel is named after the folder) is found again. A model's size is the bytes of its
parameters and buffers (each tensor counted once: tied embeddings share one)."""
from __future__ import annotations

import os
from collections import OrderedDict

GIB = 2 ** 30
DEFAULT_CAP = 4 * GIB
BUDGET_ENV = "PLM_EXPLORER_CACHE_GIB"


def ram_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return None


def default_budget() -> int:
    """$PLM_EXPLORER_CACHE_GIB when set, else min(25% of the RAM, 4 GiB)."""
    value = os.environ.get(BUDGET_ENV)
    if value:
        try:
            return max(0, int(float(value) * GIB))
        except ValueError:
            pass
    ram = ram_bytes()
    return min(ram // 4, DEFAULT_CAP) if ram else DEFAULT_CAP


def model_bytes(loaded) -> int:
    """Bytes of a LoadedModel's parameters and buffers (shared tensors once)."""
    module = getattr(loaded, "module", None)
    if module is None:
        return 0
    seen, total = set(), 0
    for tensor in list(module.parameters()) + list(module.buffers()):
        key = (tensor.device.type, tensor.untyped_storage().data_ptr()) if tensor.numel() else id(tensor)
        if key in seen:
            continue
        seen.add(key)
        total += tensor.untyped_storage().nbytes() if tensor.numel() else 0
    return total


def format_gib(n_bytes: int) -> str:
    return f"{n_bytes / GIB:.3g} GiB"


class ModelCache:
    def __init__(self, budget: int | None = None):
        self.budget = default_budget() if budget is None else int(budget)
        self._models: OrderedDict[tuple[str, str], tuple[object, int]] = OrderedDict()

    @staticmethod
    def key(name: str, device: str) -> tuple[str, str]:
        return str(name), str(device or "cpu")

    def get(self, name: str, device: str):
        """The model loaded for (name, device), now the most recently used; None when not kept."""
        key = self.key(name, device)
        if key not in self._models:
            return None
        self._models.move_to_end(key)
        return self._models[key][0]

    def put(self, name: str, device: str, loaded) -> list[str]:
        """Keep a model; unload the least recently used others until the total fits the budget (the newest stays
        even when it alone is larger). Returns the names unloaded."""
        key = self.key(name, device)
        self._models[key] = (loaded, model_bytes(loaded))
        self._models.move_to_end(key)
        evicted = []
        while self.total_bytes > self.budget and len(self._models) > 1:
            (old_name, _device), _ = self._models.popitem(last=False)
            evicted.append(old_name)
        return evicted

    def remove(self, name: str, device: str) -> None:
        self._models.pop(self.key(name, device), None)

    def clear(self) -> None:
        self._models.clear()

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self._models.values())

    def names(self) -> list[tuple[str, str]]:
        """Keys, least recently used first."""
        return list(self._models)

    def __contains__(self, key) -> bool:
        return self.key(*key) in self._models

    def __len__(self) -> int:
        return len(self._models)
