"""Saving a model as a Hugging Face checkpoint folder, the inverse of engine.checkpoint.load_checkpoint:

    config.json               the family's config (its fields already carry the Hugging Face names), model_type
                              and architectures, so transformers and engine.load both know what to build
    model.safetensors         every parameter under its Hugging Face name (tied copies once, as transformers saves)
    tokenizer.json            the model's tokenizer as it is, with tokenizer_config.json and special_tokens_map.json
                              naming its special tokens' roles

Each family's FamilySpec.hf_renames maps Hugging Face names onto ours; its hf_save_names, beside it in the family's
module, is the way back (our name -> Hugging Face name, plus GPT's transpose: its Conv1D stores (in, out)). Every
save checks itself: the names it writes are run through the family's own hf_renames, and must come back as exactly
the parameters saved, tensor for tensor. A table that drifts from its family fails loudly, never writes a folder
that reopens wrong.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import torch

from engine.errors import ExportError
from engine.weights import rename

# tokenizer_config.json keys for our token roles
TOKEN_ROLES = {"cls": "cls_token", "sep": "sep_token", "pad": "pad_token", "unk": "unk_token", "mask": "mask_token",
               "bos": "bos_token", "eos": "eos_token"}


@dataclass
class Saved:
    """What save_pretrained wrote, and whether engine.load reads it back as the same family."""
    folder: Path
    files: list[str] = field(default_factory=list)
    tensors: int = 0
    parameters: int = 0
    reopens: bool = True
    note: str = ""


def hf_state_dict(loaded) -> dict[str, torch.Tensor]:
    """{Hugging Face name: tensor (CPU, float32, contiguous)} of every parameter of `loaded`, tied copies once
    (under the first name the module registers: the embedding table, not the head that shares it)."""
    family = loaded.family.name
    if not loaded.family.hf_save_names:
        raise ExportError(f"Saving {loaded.family.title} models in the Hugging Face format is not supported yet.")
    rules = [(re.compile(rule[0]), rule[1], rule[2] if len(rule) > 2 else None)
             for rule in loaded.family.hf_save_names]
    state, unnamed = {}, []
    for name, parameter in loaded.module.named_parameters():   # tied parameters appear once
        for pattern, replacement, transform in rules:
            if pattern.search(name):
                tensor = parameter.detach().to("cpu", torch.float32)
                state[pattern.sub(replacement, name)] = (transform(tensor) if transform else tensor).contiguous()
                break
        else:
            unnamed.append(name)
    if unnamed:
        raise ExportError(f"{loaded.name}: no Hugging Face name for {', '.join(unnamed[:6])}"
                          f"{' ...' if len(unnamed) > 6 else ''} ({loaded.family.title} is saved with its "
                          f"{'pre-norm layout only' if family == 'glm' else 'released layout'}).")
    _check_round_trip(loaded, state)
    return state


def _check_round_trip(loaded, state: dict[str, torch.Tensor]) -> None:
    """The family's own loading table must map the names back onto exactly the saved parameters."""
    renamed, report = rename(state, loaded.family.hf_renames)
    ours = {name: p for name, p in loaded.module.named_parameters()}
    problems = report.unexpected + report.dropped + sorted(set(ours) ^ set(renamed))
    if not problems:
        problems = [name for name, tensor in renamed.items()
                    if not torch.equal(tensor, ours[name].detach().to("cpu", torch.float32))]
    if problems:
        raise ExportError(f"Saving {loaded.name} would not load back the same weights (the save table of "
                          f"{loaded.family.title} disagrees with its loading table at {', '.join(problems[:6])}).")


def hf_config(loaded) -> dict:
    """config.json: the config's fields (already Hugging Face names), model_type and architectures."""
    family = loaded.family
    values = json.loads(json.dumps(loaded.config.to_dict(), default=list))   # tuples -> lists
    config = {"model_type": family.hf_model_types[0] if family.hf_model_types else family.name}
    if family.hf_save_class:   # (GPT-3 has none: never released)
        config["architectures"] = [family.hf_save_class]
    config.update(values)
    config["torch_dtype"] = "float32"
    return config


def _reopen_note(loaded, config: dict) -> tuple[bool, str]:
    from engine.models import family_for_config

    found = family_for_config(config)
    if found is loaded.family:
        return True, ""
    reads = f"reads it as {found.title}" if found is not None else "does not know its model_type"
    return False, (f"engine.load cannot reopen this {loaded.family.title} folder yet: config.json says model_type "
                   f"{config['model_type']!r} and the app {reads} (the {loaded.family.title} family lists no "
                   f"model_type of its own). The weights are saved under their Hugging Face names.")


def _write_json(path: Path, data: dict) -> None:
    from engine.files import atomic_write

    def write(temporary: Path) -> None:
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    atomic_write(path, write)


def save_pretrained(loaded, folder: str | Path, extra: dict[str, dict] | None = None) -> Saved:
    """Write `loaded` into `folder` (created when missing; files of the same names replaced) as a Hugging Face
    checkpoint. extra: more JSON files to write beside it ({"training.json": {...}})."""
    from safetensors.torch import save_file

    from engine.files import atomic_write

    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; give the name of a folder to save into.")
    state = hf_state_dict(loaded)            # checked before anything is written
    config = hf_config(loaded)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot create the folder {folder}: {error.strerror or error}.") from None
    saved = Saved(folder, tensors=len(state), parameters=sum(t.numel() for t in state.values()))
    _write_json(folder / "config.json", config)
    atomic_write(folder / "model.safetensors",
                 lambda temporary: save_file(state, str(temporary), metadata={"format": "pt"}))
    saved.files += ["config.json", "model.safetensors"]
    tokenizer = loaded.tokenizer
    if tokenizer is not None:
        atomic_write(folder / "tokenizer.json", lambda temporary: tokenizer.backend.save(str(temporary)))
        roles = {key: tokenizer.special_tokens[role] for role, key in TOKEN_ROLES.items()
                 if role in tokenizer.special_tokens}
        limit = loaded.max_length
        _write_json(folder / "tokenizer_config.json",
                    {"tokenizer_class": "PreTrainedTokenizerFast", **roles,
                     **({"model_max_length": limit} if limit is not None else {})})
        _write_json(folder / "special_tokens_map.json", roles)
        saved.files += ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    for name, data in (extra or {}).items():
        _write_json(folder / name, data)
        saved.files.append(name)
    saved.reopens, saved.note = _reopen_note(loaded, config)
    return saved
