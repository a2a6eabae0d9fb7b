"""Lesson texts: what each recorded step means, in English and Chinese, with the live numbers of the run (no Qt).

Every HookPoint carries a lesson `key` naming a concept ("attn.pattern", "logits", "block.attn_norm_pre"). One key
per concept: `assets/lessons/common.json` explains each shared concept in general terms; a family's own files
override those texts where the family does it its own way (GPT's `logits` is next-token prediction, BERT's is the
masked-LM guess) and add the concepts only that family has (`t5.buckets`, `glm.mask` ...). Which files a family
reads, most general first, is its spec's `lessons` tuple (e.g. chatglm -> ("common", "llama", "chatglm")).

Live numbers. An entry may carry a "live" list of sentences about the model on screen:

    "attn.scaled": {"en": "...general text...", "zh": "...",
                    "live": [{"en": "Here d_k = {head_dim}: the scores are divided by √{head_dim} = {sqrt_head_dim}.",
                              "zh": "..."},
                             {"when": {"ffn_kind": ["relu"]}, "en": "...", "zh": "..."}]}

`lesson_facts(loaded, trace)` reads those numbers from the loaded model's config, modules and tokenizer (never
recomputing the model). A live sentence is shown only when its `when` facts match and every {placeholder} in it
has a fact; otherwise the sentence is left out, so the general text stands alone (a placeholder is never shown as
is). The most specific file's "live" list for a key wins, whichever file the general text came from.
"""
from __future__ import annotations

import json
import math
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from engine.models import FAMILIES

LESSONS_DIR = Path(__file__).resolve().parents[1] / "assets" / "lessons"

# family name -> lesson file stems, most general first (read from each family's spec)
LESSON_FILES: dict[str, tuple[str, ...]] = {name: tuple(family.lessons) for name, family in FAMILIES.items()}

# keys that are not hook points: the explorer's first and last steps
SYNTHETIC_KEYS = frozenset({"tokenizer", "output"})
LIVE_HEADING = {"en": "In this run", "zh": "本次运行"}


@lru_cache(maxsize=None)
def lesson_file(stem: str) -> dict[str, dict[str, Any]]:
    """One file's texts, {key: {"en": ..., "zh": ..., "live": [...]}}; read once."""
    return json.loads((LESSONS_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def _stems(family: str | None) -> tuple[str, ...]:
    return LESSON_FILES.get(family, ("common",)) if family else ("common",)


def general_text(key: str, lang: str = "en", family: str | None = None) -> str:
    """The general text for `key` in `lang` as `family` tells it: its most specific file that has the key wins,
    common.json last. A missing language falls back to English; an unknown key gives ""."""
    for stem in reversed(_stems(family)):
        entry = lesson_file(stem).get(key)
        if entry:
            return entry.get(lang) or entry.get("en", "")
    return ""


def live_items(key: str, family: str | None = None) -> list[dict[str, Any]]:
    """The live sentences of `key` for `family`: the most specific file's list that has one."""
    for stem in reversed(_stems(family)):
        entry = lesson_file(stem).get(key)
        if entry and "live" in entry:
            return list(entry["live"])
    return []


def placeholders(text: str) -> set[str]:
    """The {names} a text asks for."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:   # an unbalanced brace: treat as asking for something no run has
        return {"?"}


def _matches(when: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> bool:
    for name, wanted in (when or {}).items():
        if name not in facts:
            return False
        choices = wanted if isinstance(wanted, list) else [wanted]
        if str(facts[name]) not in [str(c) for c in choices]:
            return False
    return True


def live_sentences(key: str, lang: str, family: str | None, facts: Mapping[str, Any]) -> list[str]:
    """The live sentences of `key` that this run can fill (its `when` holds and every placeholder has a fact)."""
    sentences = []
    for item in live_items(key, family):
        text = item.get(lang) or item.get("en", "")
        if not text or not _matches(item.get("when"), facts) or not placeholders(text) <= set(facts):
            continue
        try:
            sentences.append(text.format_map(facts))
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return sentences


def lesson_text(key: str, lang: str = "en", family: str | None = None,
                facts: Mapping[str, Any] | None = None) -> str:
    """The lesson for `key` in `lang` as `family` tells it, followed (when `facts` are given) by the live
    sentences about this run, after a blank line. An unknown key gives ""."""
    text = general_text(key, lang, family)
    if not text or not facts:
        return text
    live = live_sentences(key, lang, family, facts)
    return text + ("\n\n" + ("" if lang == "zh" else " ").join(live) if live else "")


def lesson_keys(family: str | None = None) -> set[str]:
    """Every key with a text for `family` (common.json's keys alone when family is None)."""
    keys: set[str] = set()
    for stem in _stems(family):
        keys |= set(lesson_file(stem))
    return keys


# ----------------------------------------------------------------------------------------------- facts
# The tokenizer's algorithm by the backend's kind: (name in English, in Chinese). A character-level BPE with byte
# fallback is SentencePiece's BPE (LLaMA 1/2, ChatGLM2); without, it is GPT-1's BPE with its </w> word ends.
ALGORITHMS = {
    "wordpiece": ("WordPiece", "WordPiece"),
    "byte-bpe": ("byte-level BPE", "字节级 BPE"),
    "unigram": ("SentencePiece Unigram", "SentencePiece Unigram"),
    "sp-bpe": ("SentencePiece BPE with byte fallback", "带字节回退的 SentencePiece BPE"),
    "char-bpe": ("character-level BPE", "字符级 BPE"),
}


# How each algorithm marks words in its tokens, in a few words (the tokens view's header)
MARKERS = {
    "wordpiece": ("## starts a piece that continues a word", "## 表示接续前一个片段"),
    "byte-bpe": ("Ġ is the space before a word", "Ġ 表示词前的空格"),
    "unigram": ("▁ is the space before a word", "▁ 表示词前的空格"),
    "sp-bpe": ("▁ is the space before a word; unknown characters become bytes",
               "▁ 表示词前的空格；未知字符拆成字节"),
    "char-bpe": ("</w> ends a word", "</w> 表示词尾"),
}


def tokenizer_kind(tokenizer) -> str | None:
    """"wordpiece", "byte-bpe", "unigram", "sp-bpe" or "char-bpe" for a tokenizer (None when unknown)."""
    kind = getattr(tokenizer, "kind", None)
    if kind == "char-bpe" and getattr(tokenizer, "byte_fallback", False):
        return "sp-bpe"
    return kind if kind in ALGORITHMS else None


def tokenizer_algorithm(tokenizer, lang: str = "en") -> str:
    """The algorithm's name ("WordPiece", "byte-level BPE" ...), or "" when the kind is not known."""
    kind = tokenizer_kind(tokenizer)
    if kind is None:
        return ""
    en, zh = ALGORITHMS[kind]
    return zh if lang == "zh" else en


def tokenizer_marker(tokenizer, lang: str = "en") -> str:
    """How this tokenizer's pieces mark words ("## starts a piece that continues a word"), or ""."""
    kind = tokenizer_kind(tokenizer)
    if kind is None:
        return ""
    en, zh = MARKERS[kind]
    return zh if lang == "zh" else en


def number(value: float) -> str:
    """1,234,567 for counts; 8 or 11.31 for a square root."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _first(config, *names):
    for name in names:
        value = getattr(config, name, None)
        if value is not None:
            return value
    return None


FFN_KINDS = {"relu": "ReLU", "gelu": "GELU", "gated-gelu": "gated GELU (GeGLU)", "swiglu": "SwiGLU"}


def ffn_kind(family: str, config) -> str | None:
    """"relu", "gelu", "gated-gelu" or "swiglu": the feed-forward this configuration builds."""
    if family in ("llama", "chatglm"):
        return "swiglu"
    if family == "t5":
        proj = str(getattr(config, "feed_forward_proj", "relu"))
        return "gated-gelu" if proj.startswith("gated") else ("gelu" if "gelu" in proj else "relu")
    act = str(_first(config, "hidden_act", "activation_function") or "")
    return "gelu" if "gelu" in act else ("relu" if act == "relu" else None)


_LAYER0 = re.compile(r"^(?:encoder\.)?(?:blocks\.0|layer_groups\.0\.0)\.")


def lesson_facts(loaded, trace=None) -> dict[str, Any]:
    """The numbers the lessons' live sentences may name, read from a loaded model (engine LoadedModel) and its
    trace. Values are ready to print (counts with thousands separators); a fact this model does not have is
    simply absent, and the sentences that need it are left out."""
    family, config = loaded.family.name, loaded.config
    facts: dict[str, Any] = {"model": loaded.name, "family": family}
    try:
        dims = loaded.family.attention_dims(config)
    except Exception:   # noqa: BLE001 - a half-written configuration: no numbers, the general text stands
        dims = None
    if dims is not None:
        facts.update(hidden=number(dims.hidden), heads=number(dims.heads), kv_heads=number(dims.kv_heads),
                     head_dim=number(dims.head_dim), sqrt_head_dim=number(round(math.sqrt(dims.head_dim), 2)),
                     vocab=number(dims.vocab), layers=number(dims.layers), n_ctx=number(dims.n_ctx),
                     heads_x_head_dim=number(dims.heads * dims.head_dim),
                     head_dim_split="yes" if dims.heads * dims.head_dim == dims.hidden else "no",
                     attention="MHA" if dims.kv_heads == dims.heads else ("MQA" if dims.kv_heads == 1 else "GQA"),
                     kv_group=number(dims.heads // max(dims.kv_heads, 1)))
        if dims.encoder_layers:
            facts["encoder_layers"] = number(dims.encoder_layers)
    ffn = _first(config, "intermediate_size", "n_inner", "d_ff")
    if ffn is None and dims is not None and family.startswith("gpt"):
        ffn = 4 * dims.hidden   # GPT's n_inner None means 4H
    kind = ffn_kind(family, config)
    if kind:
        facts.update(ffn_kind=kind, activation=FFN_KINDS[kind])
    if ffn and dims is not None:
        facts.update(ffn=number(ffn), ffn_ratio=number(round(ffn / dims.hidden, 2)))
    counts = _parameter_counts(loaded.module)
    if counts["ffn"]:
        facts["ffn_params"] = number(counts["ffn"])
    if counts["layer"]:
        facts["layer_params"] = number(counts["layer"])
    theta = _first(config, "rope_theta")
    if theta is not None and family in ("llama", "chatglm"):
        facts["rope_theta"] = number(theta)
        if dims is not None:
            facts["rotary_dims"] = number(int(dims.head_dim * float(_first(config, "partial_rotary_factor") or 1)))
    if family == "albert" and dims is not None:
        e = int(config.embedding_size)
        factored, direct = dims.vocab * e + e * dims.hidden, dims.vocab * dims.hidden
        facts.update(embedding_size=number(e), embed_factored=number(factored), embed_direct=number(direct),
                     embed_saving=f"{1 - factored / direct:.0%}",
                     shared_groups=number(int(getattr(config, "num_hidden_groups", 1) or 1)))
    elif dims is not None:
        facts["embed_params"] = number(dims.vocab * dims.hidden)
    if family == "glm":
        style = getattr(config, "norm_style", "pre")
        facts["norm_style"] = style
        if dims is not None:
            facts["deepnorm_alpha"] = number(round(math.sqrt(2 * dims.layers), 2))
    if family == "gpt3":
        facts["sparse_window"] = number(int(getattr(config, "sparse_window", 0) or 0))
    algorithm = tokenizer_kind(getattr(loaded, "tokenizer", None))
    if algorithm:
        facts["tokenizer_kind"] = algorithm
        facts["tokenizer_algorithm"] = ALGORITHMS[algorithm][0]
        facts["tokenizer_algorithm_zh"] = ALGORITHMS[algorithm][1]
    if trace is not None:
        facts["n_tokens"] = number(len(trace.tokens))
        example = next((t for t in trace.tokens if _marked(str(t), algorithm)), None)
        if example is not None:
            facts["example_token"] = str(example)
    return facts


def _marked(token: str, kind: str | None) -> bool:
    """A token showing its algorithm's word marker (## / Ġ / ▁ / </w>): the lesson's example."""
    return {"wordpiece": token.startswith("##"), "byte-bpe": token.startswith("Ġ"),
            "unigram": token.startswith("▁") and len(token) > 1, "sp-bpe": token.startswith("▁") and len(token) > 1,
            "char-bpe": token.endswith("</w>") and len(token) > 4}.get(kind or "", False)


def _parameter_counts(module) -> dict[str, int]:
    """Parameters of the first layer (of the encoder, for T5) and of its feed-forward: every layer of a stack has
    the same, and ALBERT's one shared layer is this one."""
    counts = {"ffn": 0, "layer": 0}
    for name, parameter in module.named_parameters():
        match = _LAYER0.match(name)
        if match is None:
            continue
        rest = name[match.end():]
        if rest.startswith("attn.relative_attention_bias"):   # T5: only layer 1 owns it
            continue
        counts["layer"] += parameter.numel()
        if rest.startswith(("mlp.", "ffn.")):
            counts["ffn"] += parameter.numel()
    return counts
