"""Exact parameter accounting: totals, a breakdown by component, sharing, weight memory, KV cache and FLOPs.

How the count is made
    The family's own module is built on the meta device (`with torch.device("meta")`: shapes, no memory) and its
    parameters are counted, each tensor once (tied weights are listed with all their names). To keep it fast,
    each stack of layers is built only two layers deep (the "probe"): layers 1 .. N-1 are the same module type
    with the same shapes, so their count is layer 1's times N-1, while layer 0 keeps whatever only the first
    layer owns (T5's relative position bias). `account(..., full=True)` builds every layer instead; the tests
    check that both agree and that both equal the reference classes of `transformers` for every preset.

    A second, independent check is each family's `param_formula` (its FamilySpec): one closed formula written
    from the architecture (V*H + L*(4H^2 + ...)), not from the module.

Breakdown categories come from our parameter names through the two small tables `GLOBAL_PARTS` and
`LAYER_PARTS` below. Fused projections are split into their parts by rows: GPT's `c_attn` and GLM's
`query_key_value` into equal thirds q | k | v, ChatGLM's `gate_up_proj` into halves gate | up.

Heads are what sits on top of the body: `mlm_head`, `nsp_head`, `sop_head`, `classifier_head`, `lm_head`. The
pooler belongs to the body, as in BertModel / AlbertModel. `total` is the body, `total_with_heads` everything.

FLOPs per token follow Kaplan et al. 2020 (Scaling Laws, Table 1): C_forward = 2 N + 2 n_layer n_ctx d_attn,
N the non-embedding parameters *applied* to each token (ALBERT's shared layer counts once per application).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from engine.construction import meta_build
from engine.errors import InputError, UnknownModelError
from engine.models import FAMILIES
from engine.models.family import AttentionDims, FamilySpec

BYTES = {"fp32": 4, "fp16": 2, "bf16": 2, "int8": 1}
KV_DTYPE = "fp16"   # the top-level kv_cache_bytes_per_token is for 16-bit keys and values (fp16 / bf16)
HEAD_PREFIXES = ("mlm_head.", "nsp_head.", "sop_head.", "classifier_head.", "lm_head.")
RUNNABLE_LIMIT = 400_000_000   # about what random-initialises comfortably on a laptop

# --- Where each parameter belongs (read from our parameter names; first match wins) --------------------------

# Outside the layers. A T5 name first loses its "encoder." / "decoder." prefix (kept as the stack).
GLOBAL_PARTS = [
    (r"^(embeddings\.(token|wte)|shared)\.", "embeddings.token"),
    (r"^embeddings\.(position|wpe)\.", "embeddings.position"),
    (r"^embeddings\.block_position\.", "embeddings.block_position"),   # GLM's second position row
    (r"^embeddings\.segment\.", "embeddings.segment"),
    (r"^embeddings\.norm\.", "embeddings.norm"),
    (r"^embed_proj\.", "embeddings.projection"),                       # ALBERT's E -> H
    (r"^(final_norm|ln_f|norm|final_layernorm)\.", "final_norm"),
    (r"^pooler\.", "pooler"),
    (r"^(mlm|nsp|sop|classifier|lm)_head\.", r"heads.\1"),
]

# Inside a layer (the name after `blocks.N.` or ALBERT's `layer_groups.G.J.`).
LAYER_PARTS = [
    (r"^(attn|cross_attn)\.(query|q_proj|q)\.", r"\1.q"),
    (r"^(attn|cross_attn)\.(key|k_proj|k)\.", r"\1.k"),
    (r"^(attn|cross_attn)\.(value|v_proj|v)\.", r"\1.v"),
    (r"^(attn|cross_attn)\.(output|o_proj|o|c_proj|dense)\.", r"\1.o"),
    (r"^attn\.(c_attn|query_key_value)\.", "attn.qkv"),          # fused, split into thirds below
    (r"^attn\.relative_attention_bias\.", "attn.relative_bias"),  # T5: first layer of each stack only
    (r"^mlp\.(gate_proj|wi_0)\.", "mlp.gate"),
    (r"^mlp\.(up_proj|wi_1)\.", "mlp.up"),
    (r"^mlp\.gate_up_proj\.", "mlp.gate_up"),                     # fused, split into halves below
    (r"^mlp\.(intermediate|c_fc|wi|dense_h_to_4h)\.", "mlp.in"),
    (r"^mlp\.(output|c_proj|wo|down_proj|dense_4h_to_h)\.", "mlp.out"),
    (r"(^|_)(norm|ln_\d|layernorm)\.", "norms"),
]

FUSED = {"attn.qkv": ("attn.q", "attn.k", "attn.v"), "mlp.gate_up": ("mlp.gate", "mlp.up")}

_LAYER = re.compile(r"^(?:(?P<stack>encoder|decoder)\.)?blocks\.(?P<index>\d+)\.(?P<rest>.+)$")
_SHARED_LAYER = re.compile(r"^layer_groups\.(?P<group>\d+)\.(?P<inner>\d+)\.(?P<rest>.+)$")   # ALBERT
_STACK = re.compile(r"^(?P<stack>encoder|decoder)\.(?P<rest>.+)$")

def category(rest: str, table) -> str:
    for pattern, name in table:
        match = re.search(pattern, rest)
        if match:
            return match.expand(name)
    return "other"


# --- The parameter list: from the module on meta, or written out for an architecture we have no class for ------

@dataclass(frozen=True)
class Tensor:
    name: str                       # first name under which the module holds it
    count: int
    aliases: tuple[str, ...] = ()   # further names of the same (tied) tensor


@dataclass(frozen=True)
class Probe:
    tensors: tuple[Tensor, ...]
    depths: dict[str, int]          # stack -> full depth, for stacks built two layers deep; empty: built whole
    built: str                      # what was built, in words


def config_of(family: FamilySpec | str, values: dict | Any):
    family = FAMILIES[family] if isinstance(family, str) else family
    return values if not isinstance(values, dict) else family.config_cls.from_dict(values)


def module_probe(family: FamilySpec, config, full: bool = False) -> Probe:
    """Build the family's model on the meta device (every stack two layers deep unless `full`) and list its
    parameters once each, with the names of tied copies."""
    import torch

    depths, cut = {}, {}
    if not full:
        for stack, (field_name, attribute) in family.depth.items():
            depths[stack] = getattr(config, attribute)
            cut[field_name] = min(depths[stack], 2)
    built_config = config.replace(**cut) if cut else config
    with torch.device("meta"), meta_build():
        module = family.model_cls(built_config)
    return Probe(_tensors(module), depths, f"{family.model_class} on the meta device"
                 + (", each stack two layers deep" if cut else ""))


def _tensors(module) -> tuple[Tensor, ...]:
    names: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for name, param in module.named_parameters(remove_duplicate=False):
        names.setdefault(id(param), []).append(name)
        counts[id(param)] = param.numel()
    return tuple(Tensor(n[0], counts[key], tuple(n[1:])) for key, n in names.items())


def _linear(name: str, n_in: int, n_out: int, bias: bool = True) -> list[Tensor]:
    return [Tensor(f"{name}.weight", n_in * n_out)] + ([Tensor(f"{name}.bias", n_out)] if bias else [])


def _layernorm(name: str, size: int) -> list[Tensor]:
    return [Tensor(f"{name}.weight", size), Tensor(f"{name}.bias", size)]


def chatglm1_probe(config) -> Probe:
    """ChatGLM-6B as released (THUDM/chatglm-6b, tensor names renamed to ours): word_embeddings; per layer
    input_layernorm, attention.query_key_value (+bias), attention.dense (+bias), post_attention_layernorm,
    mlp.dense_h_to_4h / dense_4h_to_h (+biases, FFN 4H); final_layernorm; lm_head tied to word_embeddings.
    RoPE carries both position rows: no position tables."""
    hidden, ffn = config.hidden_size, config.intermediate_size
    tensors = [Tensor("embeddings.token.weight", config.vocab_size * hidden, ("lm_head.weight",))]
    for i in range(min(config.num_layers, 2)):
        layer = f"blocks.{i}."
        tensors += _layernorm(layer + "input_layernorm", hidden)
        tensors += _linear(layer + "attn.query_key_value", hidden, 3 * hidden)
        tensors += _linear(layer + "attn.dense", hidden, hidden)
        tensors += _layernorm(layer + "post_attention_layernorm", hidden)
        tensors += _linear(layer + "mlp.dense_h_to_4h", hidden, ffn)
        tensors += _linear(layer + "mlp.dense_4h_to_h", ffn, hidden)
    tensors += _layernorm("final_layernorm", hidden)
    return Probe(tuple(tensors), {"layers": config.num_layers}, "ChatGLM-6B's released tensor shapes (analytic)")


def glm130b_probe(config) -> Probe:
    """GLM-130B's architecture (Zeng et al. 2022): GLM's attention (fused query_key_value and dense, with biases),
    a GeGLU feed-forward (dense_h_to_4h to 2 x FFN: gate | up, then dense_4h_to_h), two LayerNorms per layer
    (DeepNorm), a final LayerNorm, RoPE (no position tables), output tied to the word embeddings."""
    hidden, ffn = config.hidden_size, config.intermediate_size
    tensors = [Tensor("embeddings.token.weight", config.vocab_size * hidden, ("lm_head.weight",))]
    for i in range(min(config.num_layers, 2)):
        layer = f"blocks.{i}."
        tensors += _linear(layer + "attn.query_key_value", hidden, 3 * hidden)
        tensors += _linear(layer + "attn.dense", hidden, hidden)
        tensors += _layernorm(layer + "input_layernorm", hidden)
        tensors += _linear(layer + "mlp.gate_up_proj", hidden, 2 * ffn)
        tensors += _linear(layer + "mlp.dense_4h_to_h", ffn, hidden)
        tensors += _layernorm(layer + "post_attention_layernorm", hidden)
    tensors += _layernorm("final_layernorm", hidden)
    return Probe(tuple(tensors), {"layers": config.num_layers}, "GLM-130B's architecture (analytic)")


ANALYTIC_PROBES = {"chatglm1": chatglm1_probe, "glm130b": glm130b_probe}


# --- Closed formulas of the analytic architectures (each family's own formula lives in its module) -----------

def formula_chatglm1(c) -> tuple[int, int, str]:
    h, i = c.hidden_size, c.intermediate_size
    body = c.vocab_size * h + c.num_layers * (4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h) + 2 * h
    return body, body, "VH + L(4H² + 4H + 2HI + I + H + 4H) + 2H; RoPE, no tables; head tied"


def formula_glm130b(c) -> tuple[int, int, str]:
    h, i = c.hidden_size, c.intermediate_size
    body = c.vocab_size * h + c.num_layers * (4 * (h * h + h) + (2 * h * i + 2 * i) + (i * h + h) + 4 * h) + 2 * h
    return body, body, "VH + L(4H² + 4H + 3HI + 2I + H + 4H) + 2H; GeGLU, RoPE; head tied"


ANALYTIC_FORMULAS = {"chatglm1": formula_chatglm1, "glm130b": formula_glm130b}


# --- Attention shapes, for the KV cache and the FLOPs ----------------------------------------------------------

Dims = AttentionDims   # the name the accounting has always used


def formula(family: str, config, architecture: str | None = None) -> tuple[int, int, str]:
    """(body, with heads, the formula in words): the family's closed formula, or an analytic architecture's."""
    return ANALYTIC_FORMULAS[architecture](config) if architecture else FAMILIES[family].param_formula(config)


def dims(family: str, config) -> AttentionDims:
    return FAMILIES[family].attention_dims(config)


def attention_kind(heads: int, kv_heads: int) -> str:
    return "MHA" if kv_heads == heads else ("MQA" if kv_heads == 1 else "GQA")


def kv_cache(d: Dims) -> dict[str, Any]:
    """Bytes of keys and values a generating model keeps per token: 2 (K and V) x layers x kv_heads x head_dim x
    bytes, beside what full multi-head attention (kv_heads = heads) and multi-query attention (one kv head)
    would keep."""
    def per_token(kv_heads: int, dtype: str = KV_DTYPE) -> int:
        return 2 * d.layers * kv_heads * d.head_dim * BYTES[dtype]

    if d.kind == "encoder":
        return {"bytes_per_token": None,
                "note": "An encoder reads the whole text at once and generates nothing: it keeps no KV cache."}
    result = {
        "formula": "2 x layers x kv_heads x head_dim x bytes",
        "layers": d.layers, "heads": d.heads, "kv_heads": d.kv_heads, "head_dim": d.head_dim,
        "attention": attention_kind(d.heads, d.kv_heads),
        "bytes_per_token": per_token(d.kv_heads),
        "by_dtype": {dtype: per_token(d.kv_heads, dtype) for dtype in BYTES},
        "compare": {"MHA": per_token(d.heads), "this model": per_token(d.kv_heads), "MQA": per_token(1)},
        "saving_vs_mha": 1 - d.kv_heads / d.heads,
        "bytes_at_full_context": per_token(d.kv_heads) * d.n_ctx,
        "n_ctx": d.n_ctx,
    }
    if d.kind == "encoder-decoder":
        result["note"] = ("Decoder self-attention, per generated token. Cross-attention keys and values of the "
                          "source take the same again per source token, computed once per input.")
        result["cross_attention_bytes_per_source_token"] = per_token(d.heads)
    return result


# --- The account ----------------------------------------------------------------------------------------------

@dataclass
class Account:
    name: str
    family: str
    total: int                                   # the body: everything but the heads
    total_with_heads: int
    breakdown: dict[str, int]                    # whole model, by component; sums to total_with_heads
    per_layer: dict[str, dict]                   # stack -> one layer's components, depth, parameter sets
    tied: list[dict]
    heads: dict[str, int]
    formula: dict[str, Any]
    dims: Dims
    built: str
    non_embedding_applied: int                   # N of Kaplan et al., with shared layers counted per use
    n_ctx: int
    preset: Any = None
    albert: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def memory_bytes(self) -> dict[str, int]:
        return {dtype: self.total_with_heads * size for dtype, size in BYTES.items()}

    @property
    def kv_cache(self) -> dict[str, Any]:
        result = kv_cache(self.dims)
        if self.dims.kv_note:
            result["note"] = self.dims.kv_note
        return result

    @property
    def flops(self) -> dict[str, Any]:
        d = self.dims
        attention_layers = d.layers + (d.encoder_layers + d.layers if d.kind == "encoder-decoder" else 0)
        attention = 2 * attention_layers * self.n_ctx * d.d_attn
        forward = 2 * self.non_embedding_applied + attention
        result = {
            "formula": "C_forward = 2N + 2 n_layer n_ctx d_attn (Kaplan et al. 2020, Table 1)",
            "N_non_embedding": self.non_embedding_applied, "n_layer": attention_layers, "n_ctx": self.n_ctx,
            "d_attn": d.d_attn, "attention_term": attention, "flops_per_token": forward,
            "with_output_layer": forward + 2 * d.hidden * d.vocab,
            "note": ("N leaves out the embedding tables (token, position, segment) and the pooler, and counts a "
                     "shared layer once per use; with_output_layer adds the 2·d·V of the vocabulary projection, "
                     "which the formula leaves out."),
        }
        if d.kind == "encoder-decoder":
            result["note"] += (" For T5, n_layer counts attention sub-layers (encoder self, decoder self and "
                               "cross) and a token is counted through both stacks.")
        if d.kind == "decoder":
            result["note"] += " Attention is taken at full context n_ctx, as the formula does."
        return result

    def to_json(self) -> dict[str, Any]:
        preset = self.preset
        kv = self.kv_cache
        data = {
            "name": self.name, "family": self.family, "group": FAMILIES[self.family].group,
            "total": self.total, "total_with_heads": self.total_with_heads,
            "breakdown": dict(self.breakdown), "per_layer": self.per_layer, "heads": self.heads, "tied": self.tied,
            "memory_bytes": self.memory_bytes,
            "kv_cache_bytes_per_token": kv["bytes_per_token"], "kv_cache": kv,
            "flops_per_token": self.flops["flops_per_token"], "flops": self.flops,
            "formula": self.formula, "method": self.built,
        }
        if preset is not None:
            data.update(source=preset.source, notes=preset.notes, runnable=preset.runnable,
                        stated=preset.extra.get("stated"))
        if self.albert is not None:
            data["albert"] = self.albert
        data.update(self.extra)
        return data


def _split(categories: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for name, count in categories.items():
        parts = FUSED.get(name)
        if parts:
            for part in parts:
                out[part] += count // len(parts)
        else:
            out[name] += count
    return dict(out)


def tally(family: str, config, probe: Probe, name: str = "") -> Account:
    """Sort a probe's tensors into the breakdown, multiply the probed layers up to full depth, and total."""
    layer_sets: dict[str, dict[Any, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    outside: dict[str, int] = defaultdict(int)
    tied, tied_heads = [], {}
    for tensor in probe.tensors:
        match = _LAYER.match(tensor.name) or _SHARED_LAYER.match(tensor.name)
        if match:
            groups = match.groupdict()
            stack = groups.get("stack") or "layers"
            index = int(groups["index"]) if "index" in groups else (int(groups["group"]), int(groups["inner"]))
            layer_sets[stack][index][category(groups["rest"], LAYER_PARTS)] += tensor.count
        else:
            stack_match = _STACK.match(tensor.name)
            stack, rest = (stack_match["stack"], stack_match["rest"]) if stack_match else ("", tensor.name)
            part = category(rest, GLOBAL_PARTS)
            outside[f"{stack}.{part}" if stack and not part.startswith("embeddings") else part] += tensor.count
        if tensor.aliases:
            tied.append({"name": tensor.name, "tied_to": list(tensor.aliases), "count": tensor.count})
            for alias in tensor.aliases:
                if alias.startswith(HEAD_PREFIXES):
                    tied_heads[alias.split("_head.")[0]] = tensor.name

    breakdown: dict[str, int] = dict(outside)
    per_layer: dict[str, dict] = {}
    for stack, sets in layer_sets.items():
        indices = sorted(sets)
        full_depth = probe.depths.get(stack)
        if full_depth is not None:   # probed: layer 0 once, the last probed layer for all the others
            repeats = {indices[0]: 1}
            if len(indices) > 1:
                repeats[indices[-1]] = full_depth - 1
            depth, parameter_sets = full_depth, full_depth
        else:
            repeats = {index: 1 for index in indices}
            parameter_sets = len(indices)
            # built whole: each set once, but a shared set may be applied more than once (ALBERT)
            depth = dims(family, config).layers if stack == "layers" else parameter_sets
        for index, times in repeats.items():
            for part, count in _split(sets[index]).items():
                breakdown[f"{stack}.{part}"] = breakdown.get(f"{stack}.{part}", 0) + times * count
        each = _ordered(_split(sets[indices[-1]] if len(indices) > 1 else sets[indices[0]]))
        first = _split(sets[indices[0]])
        extra = {k: first.get(k, 0) - each.get(k, 0) for k in set(first) | set(each)
                 if first.get(k, 0) != each.get(k, 0)}
        per_layer[stack] = {"depth": depth, "parameter_sets": parameter_sets, "each": each,
                            "each_total": sum(each.values()), "first_layer_extra": extra,
                            "all_layers": sum(times * sum(_split(sets[i]).values()) for i, times in repeats.items())}
    for head, owner in tied_heads.items():
        breakdown.setdefault(f"heads.{head}", 0)

    heads = {key.split(".", 1)[1]: count for key, count in breakdown.items() if key.startswith("heads.")}
    total_with_heads = sum(breakdown.values())
    total = total_with_heads - sum(heads.values())
    embedding_tables = sum(count for key, count in breakdown.items()
                           if key in ("embeddings.token", "embeddings.position", "embeddings.block_position",
                                      "embeddings.segment") or key.endswith("attn.relative_bias"))
    # shared layers: count each parameter set once per use
    applied = total - embedding_tables - breakdown.get("pooler", 0)
    for stack, view in per_layer.items():
        applied += view["all_layers"] * (view["depth"] / view["parameter_sets"] - 1)
    d = dims(family, config)
    account = Account(name or family, family, total, total_with_heads, _ordered(breakdown), per_layer, tied,
                      heads, {}, d, probe.built,
                      int(applied), d.n_ctx)
    account.extra["tied_heads"] = tied_heads
    view = per_layer.get("layers")
    if view is not None and (view["depth"] > view["parameter_sets"] or hasattr(config, "embedding_size")):   # ALBERT
        account.albert = albert_sharing(config, account)
    return account


# The order the breakdown is shown in: the model from input to output.
ORDER = ("embeddings.token", "embeddings.position", "embeddings.block_position", "embeddings.segment",
         "embeddings.norm", "embeddings.projection",
         "attn.q", "attn.k", "attn.v", "attn.o", "attn.relative_bias", "cross_attn.q", "cross_attn.k",
         "cross_attn.v", "cross_attn.o", "mlp.in", "mlp.gate", "mlp.up", "mlp.out", "norms", "final_norm",
         "pooler", "heads.mlm", "heads.nsp", "heads.sop", "heads.classifier", "heads.lm")
STACKS = ("embeddings", "layers", "encoder", "decoder")


def _order_key(key: str) -> tuple:
    stack, _, rest = key.partition(".")
    if stack in STACKS[1:]:        # layers / encoder / decoder, each ending with its final norm
        section = STACKS.index(stack)
    else:
        rest = key
        section = {"embeddings": 0, "final_norm": 4, "pooler": 5, "heads": 6}.get(stack, 7)
    return section, ORDER.index(rest) if rest in ORDER else len(ORDER), key


def _ordered(breakdown: dict[str, int]) -> dict[str, int]:
    return dict(sorted(breakdown.items(), key=lambda kv: _order_key(kv[0])))


def albert_sharing(c, account: Account) -> dict[str, Any]:
    """ALBERT's two savings, each against BERT with the same H: one shared layer instead of N, and the
    factorised embedding V x E + E x H instead of V x H."""
    view = account.per_layer["layers"]
    layer = view["each_total"]
    unshared_layers = layer * view["depth"]
    extra_if_unshared = unshared_layers - view["all_layers"]
    v, e, h = c.vocab_size, c.embedding_size, c.hidden_size
    unfactorised, factorised = v * h, v * e + e * h
    return {
        "shared_total": account.total, "unshared_total": account.total + extra_if_unshared,
        "shared_total_with_heads": account.total_with_heads,
        "unshared_total_with_heads": account.total_with_heads + extra_if_unshared,
        "layer_params": layer, "depth": view["depth"], "parameter_sets": view["parameter_sets"],
        "saved_by_sharing": extra_if_unshared,
        "embedding": {"V": v, "E": e, "H": h, "VxH": unfactorised, "VxE+ExH": factorised,
                      "projection_bias": h, "saving": 1 - factorised / unfactorised,
                      "seed_claim": "about 80%"},
    }


# --- Public entry points --------------------------------------------------------------------------------------

def _preset(name_or_preset):
    from engine.presets import Preset, get_preset

    if isinstance(name_or_preset, Preset):
        return name_or_preset
    preset = get_preset(name_or_preset)
    if preset is None:
        from engine.presets import all_presets
        import difflib

        close = difflib.get_close_matches(str(name_or_preset), list(all_presets()), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " `python -m engine presets` lists them."
        raise UnknownModelError(f"No preset called {name_or_preset!r}.{hint}")
    return preset


def account_config(family: str, config, name: str = "", full: bool = False, n_ctx: int | None = None,
                   architecture: str | None = None) -> Account:
    """Account a configuration (a config dataclass or a dict of config.json fields) of a family. `architecture`
    names an analytic probe (ANALYTIC_PROBES) for a model no class of ours builds exactly."""
    family_info = FAMILIES[family]
    config = config_of(family_info, config)
    if architecture:
        probe = ANALYTIC_PROBES[architecture](config)
    else:
        probe = module_probe(family_info, config, full)
    account = tally(family, config, probe, name)
    body, with_heads, text = formula(family, config, architecture)
    account.formula = {"total": body, "total_with_heads": with_heads, "text": text,
                       "agrees": body == account.total and with_heads == account.total_with_heads}
    if n_ctx:
        account.n_ctx = n_ctx
        account.dims = Dims(**{**account.dims.__dict__, "n_ctx": n_ctx})
    return account


@lru_cache(maxsize=256)
def _account_cached(name: str, full: bool, n_ctx: int | None) -> Account:
    return _account(_preset(name), full, n_ctx)


def _account(preset, full: bool, n_ctx: int | None) -> Account:
    architecture = preset.extra.get("analytic")
    account = account_config(preset.family, preset.config, preset.name, full, n_ctx, architecture)
    account.preset = preset
    if architecture:
        account.extra["analytic"] = True
    if preset.runnable:
        recipe = preset.tokenizer or FAMILIES[preset.family].tokenizer_recipe
        if recipe.startswith("released-"):
            reads = (f"its text goes through the released vocabulary ('{recipe}'): the ids are those of the "
                     f"released model.")
        else:
            reads = (f"its text goes through the app's own small '{recipe}' tokenizer, which uses only the first "
                     f"few thousand of the V embedding rows: the ids are not the released ones.")
        account.extra["vocab_note"] = (f"Counted with V = {account.dims.vocab:,} (the config's). engine.load "
                                       f"random-initialises this preset at exactly this size; {reads}")
    if preset.extra.get("module_approximation"):   # what our class builds for this config, shown beside
        module = account_config(preset.family, preset.config, preset.name, full, n_ctx)
        account.extra["module_total"] = module.total_with_heads
        account.extra["module_formula"] = module.formula
        account.extra["module_class"] = FAMILIES[preset.family].model_class
    return account


def parse_setting(text: str) -> tuple[str, Any]:
    """"num_hidden_layers=6" -> ("num_hidden_layers", 6): numbers, true/false and null read as JSON, the rest as
    text (norm_style=post)."""
    import json

    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise InputError(f"--set takes KEY=VALUE (e.g. num_hidden_layers=6), not {text!r}.")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip(), value


def edit_preset(name_or_preset, settings: dict[str, Any]):
    """The preset with some config.json fields changed, or an InputError naming an unknown key or saying what
    makes the combination impossible."""
    import dataclasses
    import difflib

    preset = _preset(name_or_preset)
    family = FAMILIES[preset.family]
    if preset.extra.get("analytic"):
        raise InputError(f"{preset.name} is counted analytically from its released tensors; it cannot be edited. "
                         f"Start from a preset this app builds.")
    known = {f.name for f in dataclasses.fields(family.config_cls)}
    for key in settings:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise InputError(f"{family.title} configs have no field {key!r}.{hint}")
    values = {**preset.config, **settings}
    problems = family.config_problems(values)
    if problems:
        raise InputError(f"{preset.name} with {', '.join(f'{k}={v}' for k, v in settings.items())} cannot be "
                         f"built: " + "; ".join(problems) + ".")
    changed = ", ".join(f"{k}={v}" for k, v in settings.items())
    return dataclasses.replace(preset, name=f"{preset.name} [{changed}]", config=values,
                               source=f"{preset.source}; edited: {changed}",
                               extra={k: v for k, v in preset.extra.items() if k != "stated"})


def account(name_or_preset, full: bool = False, n_ctx: int | None = None) -> Account:
    """The account of a preset (by name, cached, or a Preset)."""
    if isinstance(name_or_preset, str):
        return _account_cached(name_or_preset, full, n_ctx)
    return _account(_preset(name_or_preset), full, n_ctx)


def account_all() -> dict[str, Account]:
    from engine.presets import all_presets

    return {name: account(name) for name in all_presets()}


# --- Text -----------------------------------------------------------------------------------------------------

def human(n: float | None) -> str:
    """12,345,678 -> '12.3M'."""
    if n is None:
        return "-"
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= size:
            return f"{n / size:.4g}{unit}"
    return str(int(n))


def human_bytes(n: float | None) -> str:
    if n is None:
        return "-"
    for size, unit in ((2 ** 40, "TiB"), (2 ** 30, "GiB"), (2 ** 20, "MiB"), (2 ** 10, "KiB")):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return f"{int(n)} B"


def human_flops(n: float) -> str:
    for size, unit in ((1e12, "TFLOP"), (1e9, "GFLOP"), (1e6, "MFLOP")):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return f"{int(n)} FLOP"


def describe(a: Account) -> str:
    """The account as the command line prints it."""
    lines = [f"{a.name}: {FAMILIES[a.family].title} ({FAMILIES[a.family].group})"]
    if a.preset is not None:
        lines.append(f"  source: {a.preset.source}")
        if a.preset.notes:
            lines.append(f"  notes:  {a.preset.notes}")
    stated = a.preset.extra.get("stated") if a.preset is not None else None
    lines.append(f"  total (body, no heads): {a.total:,} ({human(a.total)})")
    lines.append(f"  total with heads:       {a.total_with_heads:,} ({human(a.total_with_heads)})"
                 + (f"   stated: {stated}" if stated else ""))
    if a.extra.get("module_total") is not None:
        lines.append(f"  this app's {a.extra['module_class']} class builds {a.extra['module_total']:,} "
                     f"({human(a.extra['module_total'])}) for this config (see the notes)")
    lines.append(f"  formula: {a.formula['text']}  -> {a.formula['total_with_heads']:,} "
                 f"({'agrees' if a.formula['agrees'] else 'DISAGREES'})")
    lines.append(f"  counted from: {a.built}")
    if a.extra.get("vocab_note"):
        lines.append(f"  vocabulary: {a.extra['vocab_note']}")
    lines.append("")
    width = max(len(k) for k in a.breakdown)
    lines.append("  breakdown (whole model)")
    for key, count in a.breakdown.items():
        share = count / a.total_with_heads if a.total_with_heads else 0
        head = key.split(".", 1)[1] if key.startswith("heads.") else None
        tied = f"  (+ its output weight, tied to {a.extra['tied_heads'][head]})" \
            if head in a.extra["tied_heads"] else ""
        lines.append(f"    {key:<{width}}  {count:>16,}  {share:6.1%}{tied}")
    for stack, view in a.per_layer.items():
        shared = (f", {view['parameter_sets']} parameter set(s) shared" if view["parameter_sets"] != view["depth"]
                  else "")
        lines.append(f"  one {'' if stack == 'layers' else stack + ' '}layer "
                     f"(x{view['depth']}{shared}): {view['each_total']:,}")
        lines.append("    " + ", ".join(f"{k} {v:,}" for k, v in view["each"].items()))
        if view["first_layer_extra"]:
            lines.append("    layer 0 also has: " + ", ".join(f"{k} {v:,}" for k, v in
                                                           view["first_layer_extra"].items()))
    if a.tied:
        lines.append("  tied (counted once): " + "; ".join(
            f"{t['name']} = {', '.join(t['tied_to'])} ({t['count']:,})" for t in a.tied))
    if a.albert:
        al = a.albert
        emb = al["embedding"]
        lines.append(f"  ALBERT sharing: {al['shared_total']:,} shared vs {al['unshared_total']:,} if each of the "
                     f"{al['depth']} layers had its own ({al['layer_params']:,} per layer)")
        lines.append(f"  ALBERT embedding: V·H = {emb['VxH']:,} vs V·E + E·H = {emb['VxE+ExH']:,}: "
                     f"{emb['saving']:.1%} smaller (the chapter says {emb['seed_claim']})")
    lines.append("")
    lines.append("  weights: " + ", ".join(f"{k} {human_bytes(v)}" for k, v in a.memory_bytes.items()))
    kv = a.kv_cache
    if kv["bytes_per_token"] is None:
        lines.append(f"  KV cache: none. {kv['note']}")
    else:
        comp = kv["compare"]
        lines.append(f"  KV cache ({KV_DTYPE}): {human_bytes(kv['bytes_per_token'])} per token "
                     f"({kv['attention']}: {kv['kv_heads']} kv heads for {kv['heads']} query heads), "
                     f"{human_bytes(kv['bytes_at_full_context'])} at {kv['n_ctx']} tokens; "
                     f"MHA would keep {human_bytes(comp['MHA'])}, MQA {human_bytes(comp['MQA'])}; "
                     f"saving vs MHA {kv['saving_vs_mha']:.1%}")
    f = a.flops
    lines.append(f"  forward FLOPs per token: {human_flops(f['flops_per_token'])} = 2N + 2·n_layer·n_ctx·d_attn "
                 f"with N = {f['N_non_embedding']:,}, n_layer {f['n_layer']}, n_ctx {f['n_ctx']}, d_attn "
                 f"{f['d_attn']} ({human_flops(f['with_output_layer'])} with the output layer)")
    return "\n".join(lines)
