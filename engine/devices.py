"""Which devices torch can use here, and a clear message for one that is not there."""
from __future__ import annotations

import torch

from engine.errors import DeviceError


def available_devices() -> list[str]:
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return devices


def describe_device(name: str) -> str:
    if name.startswith("cuda"):
        index = int(name.split(":")[1]) if ":" in name else 0
        props = torch.cuda.get_device_properties(index)
        return f"{name}: {props.name} ({props.total_memory / 2**30:.0f} GiB)"
    return {"cpu": "cpu: the processor", "mps": "mps: Apple GPU"}.get(name, name)


def resolve_device(device: str | torch.device | None) -> torch.device:
    available = available_devices()
    try:
        device = torch.device(device or "cpu")
    except (RuntimeError, TypeError, ValueError):
        raise DeviceError(f"{device!r} is not a device name. Available here: {', '.join(available)}.") from None
    name = str(device)
    if device.type == "cuda" and device.index is None:
        name = "cuda:0"
    if name not in available:
        raise DeviceError(f"Device {str(device)!r} is not available here. Available: {', '.join(available)}.")
    return torch.device(name)


def free_bytes(device: torch.device) -> int | None:
    """Memory that can still be allocated on `device`, or None when it cannot be told."""
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return free
    if device.type == "cpu":
        try:
            with open("/proc/meminfo") as meminfo:
                for line in meminfo:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
    return None


def check_fits(n_bytes: int, device: torch.device, headroom: float = 1.2) -> None:
    """Refuse, with the numbers, a model whose weights alone would not fit in the device's free memory."""
    free = free_bytes(device)
    if free is not None and n_bytes * headroom > free:
        raise DeviceError(f"The weights need {n_bytes / 2**30:.1f} GiB but only {free / 2**30:.1f} GiB is free "
                          f"on {device}. Pick a smaller model or another device.")
