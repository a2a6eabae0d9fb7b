"""What the Parameters view shows: tables built from engine.params accounts, ALBERT's two switches, the scaling
series with their sources, the study notes' slips, and the config editor's fields.

Every number here is read from `engine.params.account(...)` (or from `engine.published` presets); this module only
groups and arranges them. The view (explorer.views.params) draws these tables and runs the accounting in workers;
the tests check these functions against the engine directly, preset by preset.

Texts go through Qt's translation (explorer.i18n.translate: English while no translator is installed), so build a
Table on the GUI thread, at the moment it is shown; the numbers (accounts, scaling_rows) can come from a worker.
What the engine writes in English (preset sources and notes, config problems, the KV and FLOPs notes) is translated
by its shape with ENGINE_TEMPLATES.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer.i18n import current, translate, translate_message


# ----------------------------------------------------------------------------------------------- text
def shown(text: str) -> str:
    """A text of this module (declared with QT_TRANSLATE_NOOP("params_model", ...)) in the interface's language."""
    return translate("params_model", text)


def human(n: float | None) -> str:
    from engine.params import human as engine_human
    return engine_human(n)


def human_bytes(n: float | None) -> str:
    from engine.params import human_bytes as engine_human_bytes
    return engine_human_bytes(n)


def human_flops(n: float | None) -> str:
    from engine.params import human_flops as engine_human_flops
    return "-" if n is None else engine_human_flops(n)


# What engine/ writes in English and this page shows: the most specific shape first (a field matches anything).
ENGINE_TEMPLATES = (
    # preset sources, one "; "-separated part at a time (engine/presets.py, engine/published.py)
    QT_TRANSLATE_NOOP("engine_params", "{repo} config.json (Hugging Face hub)"),
    QT_TRANSLATE_NOOP("engine_params", "Liu et al. 2019 (RoBERTa uses BERT-BASE / BERT-LARGE shapes)"),
    QT_TRANSLATE_NOOP("engine_params", "model card: {size} ('{chinese}')"),
    QT_TRANSLATE_NOOP("engine_params", "fields renamed to transformers' GlmConfig ({fields})"),
    QT_TRANSLATE_NOOP("engine_params", "fields renamed to transformers' GlmConfig"),
    QT_TRANSLATE_NOOP("engine_params", "Du et al. 2022 (GLM), Table 2 / section 3"),
    QT_TRANSLATE_NOOP("engine_params", "Touvron et al. 2023a, Table 2 (dim, heads, layers)"),
    QT_TRANSLATE_NOOP("engine_params", "FFN sizes from the released weights (HF conversion huggyllama/llama-*), "
                                       "2/3 x 4 x dim rounded up to 256"),
    QT_TRANSLATE_NOOP("engine_params", "Zeng et al. 2022 (GLM-130B), section 2.1"),
    QT_TRANSLATE_NOOP("engine_params", "THUDM/GLM-130B configs/model_glm_130b.sh (70 layers, hidden 12288, inner "
                                       "32768, 96 heads, vocabulary 150528 of icetk, max sequence 2048, "
                                       "layernorm-order post) and tools/convert_tp.py (the checkpoint's tensor names: "
                                       "GLU dense_h_to_4h, no separate output layer)"),
    QT_TRANSLATE_NOOP("engine_params", "a tiny configuration of this app, random weights (seeded)"),
    QT_TRANSLATE_NOOP("engine_params", "Radford et al. 2018, section 4.1 (12 layers, 768 hidden, 12 heads, FFN "
                                       "3072)"),
    QT_TRANSLATE_NOOP("engine_params", "Brown et al. 2020, Table 2.1 (no weights or config released)"),
    QT_TRANSLATE_NOOP("engine_params", "GPT-2's vocabulary {vocab} and n_ctx {n_ctx} (section {section})"),
    QT_TRANSLATE_NOOP("engine_params", "Llama Team 2024 (The Llama 3 Herd of Models), Table {table}"),
    QT_TRANSLATE_NOOP("engine_params", "Lan et al. 2019, Table 1 (ALBERT {size}: {count})"),
    QT_TRANSLATE_NOOP("engine_params", "{cite}, section {section} ({remark})"),
    QT_TRANSLATE_NOOP("engine_params", "{cite}, Table {table} ({remark})"),
    QT_TRANSLATE_NOOP("engine_params", "{cite}, section {section}"),
    QT_TRANSLATE_NOOP("engine_params", "{cite}, Table {table}"),
    QT_TRANSLATE_NOOP("engine_params", "edited: {changes}"),
    # the published figure a preset states
    QT_TRANSLATE_NOOP("engine_params", "{paper} (paper) / {released} (released)"),
    # the family groups
    QT_TRANSLATE_NOOP("engine_params", "Encoder-only"),
    QT_TRANSLATE_NOOP("engine_params", "Encoder-decoder"),
    QT_TRANSLATE_NOOP("engine_params", "Decoder-only"),
    # why an edited configuration cannot be built (engine/models: config_problems, the configs' own checks)
    QT_TRANSLATE_NOOP("engine_params", "{field} is {value}, outside {low}..{high}"),
    QT_TRANSLATE_NOOP("engine_params", "{field} {size} does not split into {heads} heads of equal size (or set "
                                       "head_dim)"),
    QT_TRANSLATE_NOOP("engine_params", "{field} {size} does not split into {heads} heads of equal size"),
    QT_TRANSLATE_NOOP("engine_params", "the {heads} query heads cannot be shared evenly by {kv_heads} key/value "
                                       "heads: make the first a multiple of the second"),
    QT_TRANSLATE_NOOP("engine_params", "num_attention_heads ({heads}) must be a multiple of num_key_value_heads "
                                       "({kv_heads})"),
    QT_TRANSLATE_NOOP("engine_params", "embedding_size E = {e} is larger than hidden_size H = {h}: the "
                                       "factorisation V x E + E x H only saves parameters when E < H"),
    QT_TRANSLATE_NOOP("engine_params", "{layers} layers cannot be shared evenly by {groups} groups"),
    QT_TRANSLATE_NOOP("engine_params", "norm_style must be one of {choices}, not {value}"),
    QT_TRANSLATE_NOOP("engine_params", "{name} is counted analytically from its released tensors; it cannot be "
                                       "edited. Start from a preset this app builds."),
    QT_TRANSLATE_NOOP("engine_params", "{family} configs have no field {field}. Did you mean {close}?"),
    QT_TRANSLATE_NOOP("engine_params", "{family} configs have no field {field}."),
    QT_TRANSLATE_NOOP("engine_params", "--set takes KEY=VALUE (e.g. num_hidden_layers=6), not {text}."),
    QT_TRANSLATE_NOOP("engine_params", "No preset called {name}.{hint}"),
    # the config editor's own messages, kept in English until shown (explorer.views.params.EditorPanel)
    QT_TRANSLATE_NOOP("engine_params", "{name} has no field {fields}"),
    QT_TRANSLATE_NOOP("engine_params", "Something went wrong: {message}"),
    # the KV cache's and the FLOPs' formulas and notes (engine/params.py)
    QT_TRANSLATE_NOOP("engine_params", "2 x layers x kv_heads x head_dim x bytes"),
    QT_TRANSLATE_NOOP("engine_params", "An encoder reads the whole text at once and generates nothing: it keeps no "
                                       "KV cache."),
    QT_TRANSLATE_NOOP("engine_params", "Decoder self-attention, per generated token. Cross-attention keys and "
                                       "values of the source take the same again per source token, computed once "
                                       "per input."),
    QT_TRANSLATE_NOOP("engine_params", "ChatGLM2/3 call this multi-query attention (multi_query_group_num = 2); "
                                       "with 2 key/value groups it is grouped-query attention in today's terms."),
    QT_TRANSLATE_NOOP("engine_params", "C_forward = 2N + 2 n_layer n_ctx d_attn (Kaplan et al. 2020, Table 1)"),
    QT_TRANSLATE_NOOP("engine_params", "N leaves out the embedding tables (token, position, segment) and the "
                                       "pooler, and counts a shared layer once per use; with_output_layer adds the "
                                       "2·d·V of the vocabulary projection, which the formula leaves out. For T5, "
                                       "n_layer counts attention sub-layers (encoder self, decoder self and cross) "
                                       "and a token is counted through both stacks."),
    QT_TRANSLATE_NOOP("engine_params", "N leaves out the embedding tables (token, position, segment) and the "
                                       "pooler, and counts a shared layer once per use; with_output_layer adds the "
                                       "2·d·V of the vocabulary projection, which the formula leaves out. Attention "
                                       "is taken at full context n_ctx, as the formula does."),
    QT_TRANSLATE_NOOP("engine_params", "N leaves out the embedding tables (token, position, segment) and the "
                                       "pooler, and counts a shared layer once per use; with_output_layer adds the "
                                       "2·d·V of the vocabulary projection, which the formula leaves out."),
)

# The presets' notes (engine/presets.py, engine/published.py), for the picker's tool tips.
PRESET_NOTES = (
    QT_TRANSLATE_NOOP("engine_params", "514 position rows: positions start after the padding index 1, so 512 "
                                       "usable."),
    QT_TRANSLATE_NOOP("engine_params", "BERT-BASE with a character-level Chinese WordPiece vocabulary of 21128 "
                                       "entries. No package ships that vocabulary: this preset reads text with the "
                                       "app's own small trained Chinese WordPiece, whose ids are not the released "
                                       "ones."),
    QT_TRANSLATE_NOOP("engine_params", "ChatGLM-6B (ChatGLM-1) is GLM's architecture with 2D positions carried by "
                                       "RoPE (no position tables), GeLU FFN 16384, LayerNorm before each sub-layer "
                                       "(with a (2N)^0.5 residual scale) and an LM head tied to word_embeddings. No "
                                       "reference class exists and this app's GLM class has learned position "
                                       "tables: its count is analytic, from the released checkpoint's tensor names "
                                       "and shapes."),
    QT_TRANSLATE_NOOP("engine_params", "ChatGLM2: RoPE on half of each head, SwiGLU, RMSNorm, multi-query attention "
                                       "with 2 key/value groups, q/k/v biases; output layer not tied; 32K context."),
    QT_TRANSLATE_NOOP("engine_params", "ChatGLM3: ChatGLM2's architecture (same parameter count) with 8K context and "
                                       "a new prompt format."),
    QT_TRANSLATE_NOOP("engine_params", "English GLM-10B: GPT-2 BPE plus GLM's special tokens, padded to 50304 "
                                       "(glm-10b-chinese has 50048). Two learned position tables of "
                                       "max_sequence_length + 1 rows (2D positions); pre-norm order of the released "
                                       "code; LM head tied to the token embeddings."),
    QT_TRANSLATE_NOOP("engine_params", "GLM-130B: DeepNorm (post-norm with a (2N)^0.5-scaled residual), RoPE for "
                                       "positions and a GeGLU feed-forward (dense_h_to_4h of 2 x 32768: gate | up). "
                                       "This app's GLM class has DeepNorm but cannot express GeGLU or RoPE (it has a "
                                       "learned position table and a plain GeLU FFN), so the count is analytic, from "
                                       "the released tensor layout; the class's own count for this config is shown "
                                       "beside it. 128.7B computed (output layer tied to the word embeddings) vs the "
                                       "stated 130B; a separate output layer would add 1.85B."),
    QT_TRANSLATE_NOOP("engine_params", "Hidden 768 and FFN 3072 (the chapter's table swaps the two). Post-norm, LM "
                                       "head tied."),
    QT_TRANSLATE_NOOP("engine_params", "No weights were released: the numbers are the paper's. Sparse (banded) "
                                       "layers have the same parameters as dense ones, so the count does not depend "
                                       "on the attention pattern."),
    QT_TRANSLATE_NOOP("engine_params", "One layer's parameters shared by all layers (num_hidden_groups=1); E=128."),
    QT_TRANSLATE_NOOP("engine_params", "Pre-norm with a final LayerNorm; FFN 4 x n_embd; LM head tied to wte."),
    QT_TRANSLATE_NOOP("engine_params", "Released April 2024 (not 2023, as the chapter says); 128K-token tiktoken "
                                       "vocabulary, RoPE base 500000; GQA with 8 key/value heads."),
    QT_TRANSLATE_NOOP("engine_params", "Released February 2023; context 2048, full multi-head attention."),
    QT_TRANSLATE_NOOP("engine_params", "Released July 2023; context 4096."),
    QT_TRANSLATE_NOOP("engine_params", "Released July 2023; context 4096; grouped-query attention, 8 key/value heads "
                                       "for 64 query heads."),
    QT_TRANSLATE_NOOP("engine_params", "Released July 2024; 128K context by 'llama3' RoPE scaling (factor 8 over "
                                       "8192); GQA with 8 key/value heads for 128 query heads."),
    QT_TRANSLATE_NOOP("engine_params", "T5 1.0: ReLU feed-forward; the LM head is the shared embedding table "
                                       "(tied). Heads x d_kv = {product} differs from d_model = {d_model}: T5 allows "
                                       "it."),
    QT_TRANSLATE_NOOP("engine_params", "T5 1.0: ReLU feed-forward; the LM head is the shared embedding table "
                                       "(tied)."),
    QT_TRANSLATE_NOOP("engine_params", "T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own "
                                       "(not tied); pre-trained on C4 only. Heads x d_kv = {product} differs from "
                                       "d_model = {d_model}: T5 allows it."),
    QT_TRANSLATE_NOOP("engine_params", "T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own "
                                       "(not tied); pre-trained on C4 only."),
    QT_TRANSLATE_NOOP("engine_params", "Table 2.1 lists d_model 2048 with 24 heads of d_head 128, which do not "
                                       "multiply out (24 x 128 = 3072). We keep d_model 2048, which gives the stated "
                                       "1.3B, and use 16 heads of 128 (= 2048); the head count does not change the "
                                       "parameter count. No weights were released: the numbers are the paper's. "
                                       "Sparse (banded) layers have the same parameters as dense ones, so the count "
                                       "does not depend on the attention pattern."),
    QT_TRANSLATE_NOOP("engine_params", "Table 2.1 lists d_model 5140 with 40 heads of d_head 128 (40 x 128 = 5120). "
                                       "We use 5120, the product of the stated heads: it gives 12.85B; d_model 5140 "
                                       "(not divisible by 40 heads) would give 12.95B. The paper rounds either to "
                                       "13.0B. No weights were released: the numbers are the paper's. Sparse "
                                       "(banded) layers have the same parameters as dense ones, so the count does "
                                       "not depend on the attention pattern."),
)


def engine_text(message: str) -> str:
    """An English message of the engine in the interface's language, by its shape (unchanged when none fits)."""
    return translate_message("engine_params", message, ENGINE_TEMPLATES)


def source_text(text: str) -> str:
    """A preset's source ("repo config.json (Hugging Face hub); Author et al. 2019, Table 2"), part by part."""
    if current() == "en" or not text:
        return text
    return "；".join(engine_text(part) for part in text.split("; "))


def preset_note_text(text: str) -> str:
    """A preset's note in the interface's language."""
    return translate_message("engine_params", text, PRESET_NOTES)


# ----------------------------------------------------------------------------------------------- components
@dataclass(frozen=True)
class Component:
    key: str
    en: str             # declared with QT_TRANSLATE_NOOP: `label` is what the view shows
    colour: str
    what: str = ""      # which engine breakdown keys it gathers, for tooltips

    @property
    def label(self) -> str:
        return shown(self.en)

    @property
    def tip(self) -> str:
        return shown(self.what) if self.what else ""


COMPONENTS = [
    Component("token", QT_TRANSLATE_NOOP("params_model", "token embeddings"), "#1f77b4",
              QT_TRANSLATE_NOOP("params_model", "embeddings.token (V × H, or V × E in ALBERT)")),
    Component("position", QT_TRANSLATE_NOOP("params_model", "position embeddings"), "#6baed6",
              QT_TRANSLATE_NOOP("params_model", "embeddings.position, GLM's embeddings.block_position, T5's relative "
                                                "position bias")),
    Component("segment", QT_TRANSLATE_NOOP("params_model", "segment embeddings"), "#17becf",
              QT_TRANSLATE_NOOP("params_model", "embeddings.segment (token types)")),
    Component("projection", QT_TRANSLATE_NOOP("params_model", "embedding projection E→H"), "#9edae5",
              QT_TRANSLATE_NOOP("params_model", "embeddings.projection: ALBERT's E × H + H")),
    Component("attn.q", QT_TRANSLATE_NOOP("params_model", "attention q"), "#fd8d3c",
              QT_TRANSLATE_NOOP("params_model", "*.attn.q (weights and biases)")),
    Component("attn.k", QT_TRANSLATE_NOOP("params_model", "attention k"), "#f16913", "*.attn.k"),
    Component("attn.v", QT_TRANSLATE_NOOP("params_model", "attention v"), "#d94801", "*.attn.v"),
    Component("attn.o", QT_TRANSLATE_NOOP("params_model", "attention o"), "#a63603",
              QT_TRANSLATE_NOOP("params_model", "*.attn.o (output projection)")),
    Component("cross", QT_TRANSLATE_NOOP("params_model", "cross-attention q/k/v/o"), "#fdd0a2",
              QT_TRANSLATE_NOOP("params_model", "decoder.cross_attn.* (T5)")),
    Component("ffn", QT_TRANSLATE_NOOP("params_model", "FFN"), "#2ca02c",
              QT_TRANSLATE_NOOP("params_model", "*.mlp.* (in / gate / up / out)")),
    Component("norms", QT_TRANSLATE_NOOP("params_model", "norms"), "#7f7f7f",
              QT_TRANSLATE_NOOP("params_model", "embeddings.norm, each layer's norms, the final norm")),
    Component("pooler", QT_TRANSLATE_NOOP("params_model", "pooler"), "#8c564b",
              QT_TRANSLATE_NOOP("params_model", "pooler ([CLS] dense + tanh)")),
    Component("heads", QT_TRANSLATE_NOOP("params_model", "output heads"), "#9467bd",
              QT_TRANSLATE_NOOP("params_model", "heads.* (MLM, NSP, SOP, LM, classifier)")),
    Component("other", QT_TRANSLATE_NOOP("params_model", "other"), "#c7c7c7",
              QT_TRANSLATE_NOOP("params_model", "anything else")),
]
COMPONENT = {c.key: c for c in COMPONENTS}


def component_of(key: str) -> str:
    """The component an engine breakdown key (`layers.attn.q`, `embeddings.token`, `heads.mlm`) belongs to."""
    if key.startswith("heads."):
        return "heads"
    if key == "pooler":
        return "pooler"
    if key.startswith("embeddings."):
        part = key.split(".", 1)[1]
        return {"token": "token", "position": "position", "block_position": "position", "segment": "segment",
                "norm": "norms", "projection": "projection"}.get(part, "other")
    if key.endswith("final_norm"):
        return "norms"
    stack, _, rest = key.partition(".")
    if stack not in ("layers", "encoder", "decoder"):
        rest = key
    if rest in ("attn.q", "attn.k", "attn.v", "attn.o"):
        return rest
    if rest == "attn.relative_bias":
        return "position"
    if rest.startswith("cross_attn."):
        return "cross"
    if rest.startswith("mlp."):
        return "ffn"
    if rest == "norms":
        return "norms"
    return "other"


def grouped(breakdown: dict[str, int]) -> dict[str, int]:
    """An engine breakdown summed into COMPONENTS (in their order, zero ones left out)."""
    out = {c.key: 0 for c in COMPONENTS}
    for key, count in breakdown.items():
        out[component_of(key)] += count
    return {k: v for k, v in out.items() if v}


def tied_note(account) -> str:
    """'lm head output weight = token embeddings, counted once' for each tied head of an account."""
    parts = []
    for head, owner in account.extra.get("tied_heads", {}).items():
        text = translate("params_model", "{head} head's output weight is the token embedding table ({owner}), "
                                         "counted once")
        parts.append(text.format(head=head.upper(), owner=owner))   # MLM, LM: as the chapter writes them
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------- tables
@dataclass
class Row:
    label: str
    values: list                     # one per column: int, float, str or None
    kind: str = "component"          # component | total | info | source
    key: str = ""                    # the component key (or row key)
    tooltips: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)   # column index -> short mark ("tied")


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    corner: str = ""
    formats: list[str] = field(default_factory=list)   # per column: count | bytes | flops | text (default count)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def format_of(self, row: Row, column: int) -> str:
        if row.kind in ("bytes", "flops"):
            return row.kind
        return self.formats[column] if column < len(self.formats) else "count"

    def text(self, row: Row, column: int) -> str:
        """What the view shows in a cell (the CSV keeps the exact number)."""
        text = cell_text(row.values[column], self.format_of(row, column))
        mark = row.marks.get(column)
        return f"{text}  ({mark})" if mark else text

    def to_csv(self) -> str:
        lines = [",".join(_csv(x) for x in [self.corner or "row"] + list(self.columns))]
        for row in self.rows:
            cells = [_csv(row.label)]
            for i, value in enumerate(row.values):
                text = "" if value is None else str(value)
                if i in row.marks:
                    text = f"{text} ({row.marks[i]})" if text else row.marks[i]
                cells.append(_csv(text))
            lines.append(",".join(cells))
        return "\n".join(lines) + "\n"


def cell_text(value, fmt: str = "count") -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if fmt == "bytes":
        return human_bytes(value)
    if fmt == "flops":
        return human_flops(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4g}"
    return f"{int(value):,}"


def _csv(text) -> str:
    text = str(text)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


STACKS = {"encoder": QT_TRANSLATE_NOOP("params_model", "encoder"),   # a model's stacks, as the tables name them
          "decoder": QT_TRANSLATE_NOOP("params_model", "decoder")}


def compare_table(accounts: list, per_layer: bool = False, detail: bool = False) -> Table:
    """Components (rows) by preset (columns): the whole model, or one layer of each stack (per_layer). `detail`
    keeps the engine's own breakdown keys instead of the grouped components."""
    columns, parts, extras = [], [], []
    for a in accounts:
        if per_layer:
            for stack, view in a.per_layer.items():
                columns.append(a.name if stack == "layers" else f"{a.name} · {shown(STACKS.get(stack, stack))}")
                each = dict(view["each"])
                parts.append(each if detail else grouped(each))
                extras.append((a, stack, view))
        else:
            columns.append(a.name)
            parts.append(dict(a.breakdown) if detail else grouped(a.breakdown))
            extras.append((a, None, None))
    keys: list[str] = []
    if detail:   # the engine's keys, grouped by component (embeddings, q, k, v, o, FFN ...), then as they came
        for p in parts:
            keys += [k for k in p if k not in keys]
        order = [c.key for c in COMPONENTS]
        keys = sorted(keys, key=lambda k: (order.index(component_of(k)), keys.index(k)))
    else:
        keys = [c.key for c in COMPONENTS if any(c.key in p for p in parts)
                or (c.key == "heads" and not per_layer and any(a.extra.get("tied_heads") for a in accounts))]
    rows = []
    for key in keys:
        label = key if detail else COMPONENT[key].label
        values = [p.get(key, 0) for p in parts]
        marks = {}
        what = "" if detail else COMPONENT[key].tip
        tips = [what] * len(values)
        if not per_layer:
            for i, (a, _stack, _view) in enumerate(extras):
                tied = a.extra.get("tied_heads", {})
                if tied and (key == "heads" or (detail and key.startswith("heads.") and key[6:] in tied)):
                    marks[i] = translate("params_model", "+ tied")
                    tips[i] = tied_note(a)
        rows.append(Row(label, values, "component", key, tips, marks))
    if per_layer:
        rows.append(Row(translate("params_model", "one layer"), [sum(p.values()) for p in parts], "total",
                        "layer_total"))
        rows.append(Row(translate("params_model", "layers (uses)"), [v["depth"] for _a, _s, v in extras], "info",
                        "depth"))
        rows.append(Row(translate("params_model", "parameter sets"), [v["parameter_sets"] for _a, _s, v in extras],
                        "info", "parameter_sets"))
        rows.append(Row(translate("params_model", "all layers (counted once)"),
                        [v["all_layers"] for _a, _s, v in extras], "total", "all_layers"))
        firsts = [", ".join(f"{k} {n:,}" for k, n in v["first_layer_extra"].items()) or None
                  for _a, _s, v in extras]
        if any(firsts):
            rows.append(Row(translate("params_model", "layer 1 also has"), firsts, "info", "first_layer_extra"))
    else:
        rows.append(Row(translate("params_model", "total (body, no heads)"), [a.total for a in accounts], "total",
                        "total"))
        rows.append(Row(translate("params_model", "total with heads"), [a.total_with_heads for a in accounts],
                        "total", "total_with_heads"))
        rows.append(Row(translate("params_model", "stated (paper / model card)"),
                        [stated_text(stated(a)) for a in accounts], "info", "stated"))
    notes = []
    seen = set()
    for a, _stack, _view in extras:
        if a.name in seen:
            continue
        seen.add(a.name)
        line = f"{a.name}: {source_text(source(a))}"
        tied = tied_note(a)
        if tied and not per_layer:
            line += f" · {tied}"
        if a.extra.get("module_total") is not None:
            analytic = translate("params_model", "counted analytically; this app's {module_class} would build "
                                                 "{count}")
            line += " · " + analytic.format(module_class=a.extra["module_class"], count=f"{a.extra['module_total']:,}")
        notes.append(line)
    title = (translate("params_model", "one layer of each stack") if per_layer else
             translate("params_model", "whole model"))
    return Table(title, columns, rows, notes, translate("params_model", "component"))


def stated(a) -> str | None:
    return a.preset.extra.get("stated") if a.preset is not None else None


def stated_text(text: str | None) -> str | None:
    """A stated figure as shown ("117M (paper) / 124M (released)" in the interface's language)."""
    return engine_text(text) if text else text


def source(a) -> str:
    return a.preset.source if a.preset is not None else "-"


# ----------------------------------------------------------------------------------------------- memory, KV, FLOPs
HEADROOM = 1.2   # engine.devices.check_fits: the weights and a fifth more


def fits(n_bytes: int, free: int | None) -> bool | None:
    return None if free is None else n_bytes * HEADROOM <= free


def free_memory() -> dict[str, int | None]:
    """Free bytes of this machine's CPU memory and of each GPU torch sees (call off the GUI thread)."""
    import torch

    from engine.devices import available_devices, free_bytes

    out: dict[str, int | None] = {}
    for name in available_devices():
        try:
            out[name] = free_bytes(torch.device(name))
        except Exception:   # noqa: BLE001 - a device that cannot say reads as unknown
            out[name] = None
    return out


def fit_text(a, free: int | None) -> str:
    """Which precisions of the weights fit in `free` bytes (with engine.devices' headroom)."""
    if free is None:
        return translate("params_model", "unknown")
    ok = [dtype for dtype, n in a.memory_bytes.items() if fits(n, free)]
    if not ok:
        return translate("params_model", "no (free {free})").format(free=human_bytes(free))
    if "fp32" in ok:
        return translate("params_model", "yes, even fp32 (free {free})").format(free=human_bytes(free))
    return translate("params_model", "only {dtypes} (free {free})").format(dtypes="/".join(ok), free=human_bytes(free))


MEMORY_COLUMNS = [
    # key, English (shown translated)
    ("params", QT_TRANSLATE_NOOP("params_model", "parameters")),
    ("fp32", QT_TRANSLATE_NOOP("params_model", "weights fp32")),
    ("fp16", "fp16 / bf16"),
    ("int8", "int8"),
    ("fits_cpu", QT_TRANSLATE_NOOP("params_model", "fits CPU memory?")),
    ("fits_gpu", QT_TRANSLATE_NOOP("params_model", "fits GPU memory?")),
    ("attention", QT_TRANSLATE_NOOP("params_model", "attention (kv / q heads)")),
    ("kv_token", QT_TRANSLATE_NOOP("params_model", "KV cache per token (fp16)")),
    ("kv_full", QT_TRANSLATE_NOOP("params_model", "KV at full context")),
    ("kv_mha", QT_TRANSLATE_NOOP("params_model", "… with MHA")),
    ("kv_mqa", QT_TRANSLATE_NOOP("params_model", "… with MQA")),
    ("flops", QT_TRANSLATE_NOOP("params_model", "forward FLOPs / token")),
    ("flops_out", QT_TRANSLATE_NOOP("params_model", "… with output layer")),
]


def memory_table(accounts: list, free: dict[str, int | None]) -> Table:
    """One row per preset: weights at four precisions, whether they fit here, the KV cache per token and at full
    context beside MHA and MQA, and forward FLOPs per token."""
    cpu = free.get("cpu")
    gpus = {k: v for k, v in free.items() if k.startswith("cuda") or k == "mps"}
    columns = [shown(en) for _k, en in MEMORY_COLUMNS]
    rows = []
    for a in accounts:
        kv = a.kv_cache
        mem = a.memory_bytes
        f = a.flops
        if kv["bytes_per_token"] is None:
            attention = translate("params_model", "encoder: no KV cache")
            kv_cells = [None, None, None, None]
        else:
            attention = f"{kv['attention']} ({kv['kv_heads']}/{kv['heads']})"
            kv_cells = [kv["bytes_per_token"], kv["bytes_at_full_context"], kv["compare"]["MHA"] * kv["n_ctx"],
                        kv["compare"]["MQA"] * kv["n_ctx"]]
        gpu = ("; ".join(f"{name}: {fit_text(a, n)}" for name, n in gpus.items())
               or translate("params_model", "no GPU here"))
        values = [a.total_with_heads, mem["fp32"], mem["fp16"], mem["int8"], fit_text(a, cpu), gpu,
                  attention] + kv_cells + [f["flops_per_token"], f["with_output_layer"]]
        tips = [""] * len(values)
        if kv["bytes_per_token"] is not None:
            tips[7] = (translate("params_model", "{formula} = 2 × {layers} × {kv_heads} × {head_dim} × 2 bytes").format(
                formula=engine_text(kv["formula"]), layers=kv["layers"], kv_heads=kv["kv_heads"],
                head_dim=kv["head_dim"]) + (f"; {engine_text(kv['note'])}" if kv.get("note") else ""))
            tips[8] = f"× n_ctx {kv['n_ctx']:,}"
        else:
            tips[6] = engine_text(kv["note"])
        tips[11] = f"{engine_text(f['formula'])}; N = {f['N_non_embedding']:,}, n_layer {f['n_layer']}, " \
                   f"n_ctx {f['n_ctx']}, d_attn {f['d_attn']}. {engine_text(f['note'])}"
        rows.append(Row(a.name, values, "preset", a.name, tips))
    notes = [translate("params_model", "Weights only (no activations, no optimizer); 'fits' leaves a fifth spare, as "
                                       "the loader's check does. KV cache: 2 (K and V) × layers × kv_heads × head_dim "
                                       "× 2 bytes per token; GQA and MQA share key/value heads between query heads, "
                                       "which is what they save.")]
    formats = ["count", "bytes", "bytes", "bytes", "text", "text", "text", "bytes", "bytes", "bytes", "bytes",
               "flops", "flops"]
    return Table(translate("params_model", "memory and compute"), columns, rows, notes,
                 translate("params_model", "preset"), formats)


# ----------------------------------------------------------------------------------------------- ALBERT
ALBERT_SIZES = ["albert-base-v2", "albert-large-v2", "albert-xlarge-v2", "albert-xxlarge-v2"]
NOTES_EMBEDDING_CLAIM = QT_TRANSLATE_NOOP("params_model", "about 80%")   # the study notes: 词嵌入层参数量降低80%


def albert_settings(preset, share: bool, factorise: bool, e: int | None = None) -> dict[str, int]:
    """The config.json changes that switch ALBERT's two savings: num_hidden_groups = num_hidden_layers means no
    sharing, embedding_size = hidden_size no factorisation. Only fields that differ from the preset."""
    c = preset.config
    wanted = {"num_hidden_groups": 1 if share else c["num_hidden_layers"],
              "embedding_size": (e or c["embedding_size"]) if factorise else c["hidden_size"]}
    return {k: v for k, v in wanted.items() if v != c.get(k)}


def albert_variant(name: str, share: bool, factorise: bool, e: int | None = None):
    """The ALBERT preset with the switches applied (the preset itself when nothing changes)."""
    from engine.params import edit_preset
    from engine.presets import get_preset

    preset = get_preset(name)
    settings = albert_settings(preset, share, factorise, e)
    return edit_preset(preset, settings) if settings else preset


def bert_same_shape(name: str):
    """BERT with the ALBERT preset's vocabulary, width, depth, heads, FFN and positions: every layer its own, the
    embedding V × H."""
    from engine.params import edit_preset
    from engine.presets import get_preset

    c = get_preset(name).config
    shape = {k: c[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                               "intermediate_size", "max_position_embeddings", "type_vocab_size")}
    return edit_preset("bert-base-uncased", shape)


VARIANTS = [
    # key, share, factorise, English (shown translated)
    ("both", True, True, QT_TRANSLATE_NOOP("params_model", "ALBERT: shared + factorised")),
    ("share", True, False, QT_TRANSLATE_NOOP("params_model", "shared layers only")),
    ("factorise", False, True, QT_TRANSLATE_NOOP("params_model", "factorised embedding only")),
    ("neither", False, False, QT_TRANSLATE_NOOP("params_model", "neither (one set per layer, V × H)")),
]


@dataclass
class AlbertResult:
    name: str
    share: bool
    factorise: bool
    e: int
    current: Any            # Account of the switched ALBERT
    bert: Any               # Account of BERT of the same shape
    variants: dict          # key -> Account (the four switch combinations at this E)
    sizes: list             # embedding_rows()


def albert_compute(name: str, share: bool, factorise: bool, e: int) -> AlbertResult:
    """Everything the ALBERT panel shows (a worker calls this)."""
    from engine.params import account

    variants = {key: account(albert_variant(name, s, f, e)) for key, s, f, _en in VARIANTS}
    current = next(variants[key] for key, s, f, _en in VARIANTS if (s, f) == (share, factorise))
    return AlbertResult(name, share, factorise, e, current, account(bert_same_shape(name)), variants,
                        embedding_rows())


def embedding_rows(e: int | None = None, name: str | None = None) -> list[dict]:
    """The embedding saving of each released ALBERT size (V × H against V × E + E × H), and of `name` at E = e."""
    from engine.params import account

    rows = []
    for size in ALBERT_SIZES:
        emb = account(size).albert["embedding"]
        rows.append({"name": size, **{k: emb[k] for k in ("V", "E", "H", "VxH", "VxE+ExH", "saving")}})
    if e is not None and name is not None:
        from engine.presets import get_preset

        c = get_preset(name).config
        v, h = c["vocab_size"], c["hidden_size"]
        rows.append({"name": f"{name}, E = {e}", "V": v, "E": e, "H": h, "VxH": v * h, "VxE+ExH": v * e + e * h,
                     "saving": 1 - (v * e + e * h) / (v * h)})
    return rows


def embedding_table(rows: list[dict]) -> Table:
    columns = ["V", "E", "H", "V × H", "V × E + E × H", translate("params_model", "saving"),
               translate("params_model", "the notes say")]
    out = [Row(r["name"], [r["V"], r["E"], r["H"], r["VxH"], r["VxE+ExH"], f"{r['saving']:.1%}",
                           shown(NOTES_EMBEDDING_CLAIM) if "," not in r["name"] else ""], "preset", r["name"])
           for r in rows]
    notes = [translate("params_model", "The saving grows with H: the notes' 'about 80%' holds for base (83%); large, "
                                       "xlarge and xxlarge save more. Counted without the projection's bias (H).")]
    return Table(translate("params_model", "embedding saving per ALBERT size"), columns, out, notes,
                 translate("params_model", "preset"))


def albert_table(result: AlbertResult) -> Table:
    """The switched ALBERT beside BERT of the same shape: embeddings, layers, totals, FLOPs per token."""
    cur, bert = result.current, result.bert
    columns = [translate("params_model", "ALBERT (as switched)"), translate("params_model", "BERT, same shape")]

    def layers(a):
        v = a.per_layer["layers"]
        return v["all_layers"]

    def sets(a):
        v = a.per_layer["layers"]
        return translate("params_model", "{sets} × {each} ({depth} uses)").format(
            sets=v["parameter_sets"], each=f"{v['each_total']:,}", depth=v["depth"])

    g_cur, g_bert = grouped(cur.breakdown), grouped(bert.breakdown)
    rows = [
        Row(COMPONENT["token"].label, [g_cur.get("token", 0), g_bert.get("token", 0)], "component", "token"),
        Row(COMPONENT["projection"].label, [g_cur.get("projection", 0), g_bert.get("projection", 0)], "component",
            "projection"),
        Row(translate("params_model", "layers, counted once"), [layers(cur), layers(bert)], "component", "layers"),
        Row(translate("params_model", "parameter sets × each"), [sets(cur), sets(bert)], "info", "sets"),
        Row(translate("params_model", "total (body)"), [cur.total, bert.total], "total", "total"),
        Row(translate("params_model", "total with heads"), [cur.total_with_heads, bert.total_with_heads], "total",
            "total_with_heads"),
        Row(translate("params_model", "forward FLOPs per token"),
            [cur.flops["flops_per_token"], bert.flops["flops_per_token"]], "flops", "flops"),
        Row(translate("params_model", "weights at {dtype}").format(dtype="fp32"),
            [cur.memory_bytes["fp32"], bert.memory_bytes["fp32"]], "bytes", "fp32"),
    ]
    return Table(translate("params_model", "ALBERT beside BERT"), columns, rows,
                 [f"{cur.name}: {source_text(source(cur))}", f"BERT: {source_text(source(bert))}"],
                 translate("params_model", "count"))


# ----------------------------------------------------------------------------------------------- scaling
@dataclass(frozen=True)
class Generation:
    key: str
    label: str
    released: str           # English, declared with QT_TRANSLATE_NOOP where it has words: shown translated
    released_source: str    # likewise
    presets: tuple[str, ...]
    colour: str


_GPT3_TOKENS = ("300B", 300e9, QT_TRANSLATE_NOOP("params_model", "Brown et al. 2020, Table 2.1 caption and section "
                                                                 "2.2: every size trained on 300 billion tokens"))
_LLAMA1_PAPER = QT_TRANSLATE_NOOP("params_model", "Touvron et al. 2023a, Table 2")
# preset -> (shown, number, source); a preset missing here has no token count in its paper (left out, not guessed)
# The shown text and the source are English (shown translated).
TRAINING_TOKENS: dict[str, tuple[str, float, str]] = {
    **{n: _GPT3_TOKENS for n in ("gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b",
                                 "gpt3-13b", "gpt3-175b")},
    "llama-1-7b": ("1.0T", 1.0e12, _LLAMA1_PAPER), "llama-1-13b": ("1.0T", 1.0e12, _LLAMA1_PAPER),
    "llama-1-33b": ("1.4T", 1.4e12, _LLAMA1_PAPER), "llama-1-65b": ("1.4T", 1.4e12, _LLAMA1_PAPER),
    **{n: ("2.0T", 2.0e12, QT_TRANSLATE_NOOP("params_model", "Touvron et al. 2023b, Table 1"))
       for n in ("llama-2-7b", "llama-2-13b", "llama-2-70b")},
    **{n: ("15T+", 15e12, QT_TRANSLATE_NOOP("params_model", "Meta, Llama 3 model card (April 2024): over 15T "
                                                            "tokens"))
       for n in ("llama-3-8b", "llama-3-70b")},
    "llama-3.1-405b": (QT_TRANSLATE_NOOP("params_model", "about 15T"), 15e12,
                       QT_TRANSLATE_NOOP("params_model", "Llama Team 2024, The Llama 3 Herd of Models: about 15T "
                                                         "tokens")),
    **{n: (QT_TRANSLATE_NOOP("params_model", "about 1T"), 1e12,
           QT_TRANSLATE_NOOP("params_model", "Raffel et al. 2019, section 3.7: 1M steps of 2^11 × 512 tokens, about "
                                             "1 trillion"))
       for n in ("t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b")},
}
NO_TOKENS_NOTE = {
    "gpt1": QT_TRANSLATE_NOOP("params_model", "Radford et al. 2018 give no token count (BooksCorpus)"),
    "gpt2": QT_TRANSLATE_NOOP("params_model", "Radford et al. 2019 give no token count (WebText, 40 GB of text)"),
    "t5v11": QT_TRANSLATE_NOOP("params_model", "T5 v1.1 came after the paper (C4 only); no token count stated"),
}
NOT_STATED = QT_TRANSLATE_NOOP("params_model", "not stated")

GENERATIONS = [
    Generation("gpt1", "GPT-1", "2018", "Radford et al. 2018", ("openai-gpt",), "#9ecae1"),
    Generation("gpt2", "GPT-2", "2019", "Radford et al. 2019", ("gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"),
               "#4292c6"),
    Generation("gpt3", "GPT-3", "2020", "Brown et al. 2020",
               ("gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b", "gpt3-13b",
                "gpt3-175b"), "#08306b"),
    Generation("llama1", "LLaMA-1", QT_TRANSLATE_NOOP("params_model", "Feb 2023"), "Touvron et al. 2023a",
               ("llama-1-7b", "llama-1-13b", "llama-1-33b", "llama-1-65b"), "#fdae6b"),
    Generation("llama2", "LLaMA-2", QT_TRANSLATE_NOOP("params_model", "Jul 2023"), "Touvron et al. 2023b",
               ("llama-2-7b", "llama-2-13b", "llama-2-70b"), "#f16913"),
    Generation("llama3", "LLaMA-3", QT_TRANSLATE_NOOP("params_model", "Apr 2024"),
               QT_TRANSLATE_NOOP("params_model", "Meta, 18 April 2024 (the notes say 2023)"),
               ("llama-3-8b", "llama-3-70b"), "#a63603"),
    Generation("llama31", "Llama 3.1", QT_TRANSLATE_NOOP("params_model", "Jul 2024"),
               QT_TRANSLATE_NOOP("params_model", "Llama Team 2024"), ("llama-3.1-405b",), "#7f2704"),
    Generation("t5", "T5", "2019", "Raffel et al. 2019", ("t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b"),
               "#41ab5d"),
    Generation("t5v11", "T5 v1.1", "-",
               QT_TRANSLATE_NOOP("params_model", "google-research/text-to-text-transfer-transformer (released "
                                                 "checkpoints, after the paper)"),
               ("t5-v1_1-small", "t5-v1_1-base", "t5-v1_1-large", "t5-v1_1-xl", "t5-v1_1-xxl"), "#006d2c"),
]
GENERATION = {g.key: g for g in GENERATIONS}
SERIES = {
    # key -> (English, shown translated; generations)
    "gpt": ("GPT-1 → GPT-2 → GPT-3", ("gpt1", "gpt2", "gpt3")),
    "llama": ("LLaMA 1 → 2 → 3", ("llama1", "llama2", "llama3", "llama31")),
    "t5": (QT_TRANSLATE_NOOP("params_model", "T5 sizes"), ("t5", "t5v11")),
    "all": (QT_TRANSLATE_NOOP("params_model", "all of them"), tuple(g.key for g in GENERATIONS)),
}
QUANTITIES = [
    # key, English (shown translated), log by default
    ("params", QT_TRANSLATE_NOOP("params_model", "parameters"), True),
    ("layers", QT_TRANSLATE_NOOP("params_model", "layers"), False),
    ("hidden", QT_TRANSLATE_NOOP("params_model", "width (hidden size)"), False),
    ("ffn", QT_TRANSLATE_NOOP("params_model", "FFN size"), False),
    ("heads", QT_TRANSLATE_NOOP("params_model", "attention heads"), False),
    ("kv_heads", QT_TRANSLATE_NOOP("params_model", "key/value heads"), False),
    ("context", QT_TRANSLATE_NOOP("params_model", "context (tokens)"), True),
    ("vocab", QT_TRANSLATE_NOOP("params_model", "vocabulary"), False),
    ("tokens", QT_TRANSLATE_NOOP("params_model", "training tokens"), True),
]


def ffn_size(preset) -> int:
    from engine.models import FAMILIES

    config = FAMILIES[preset.family].config(preset.config)
    for attr in ("intermediate_size", "n_inner", "d_ff"):
        value = getattr(config, attr, None)
        if value:
            return int(value)
    hidden = getattr(config, "hidden_size", None) or getattr(config, "n_embd", None) or getattr(config, "d_model")
    return 4 * int(hidden)


def scaling_rows(series: str = "all") -> list[dict]:
    """One dict per preset of the series: parameters, layers, width, FFN, heads, kv heads, context, vocabulary and
    training tokens, each with where it comes from (the texts in English: scaling_table shows them translated)."""
    from engine.params import account

    rows = []
    for gen_key in SERIES[series][1]:
        gen = GENERATION[gen_key]
        for name in gen.presets:
            a = account(name)
            d = a.dims
            tokens = TRAINING_TOKENS.get(name)
            rows.append({
                "name": name, "generation": gen.label, "gen_key": gen.key, "released": gen.released,
                "released_source": gen.released_source, "colour": gen.colour,
                "params": a.total_with_heads, "stated": stated(a),
                "layers": d.layers, "encoder_layers": d.encoder_layers, "hidden": d.hidden, "ffn": ffn_size(a.preset),
                "heads": d.heads, "kv_heads": d.kv_heads, "context": d.n_ctx, "vocab": d.vocab,
                "tokens": tokens[1] if tokens else None, "tokens_text": tokens[0] if tokens else None,
                "tokens_source": tokens[2] if tokens else NO_TOKENS_NOTE.get(gen.key, NOT_STATED),
                "source": source(a),
            })
    return rows


SCALING_COLUMNS = [
    # key, English (shown translated)
    ("generation", QT_TRANSLATE_NOOP("params_model", "generation")),
    ("released", QT_TRANSLATE_NOOP("params_model", "released")),
    ("params", QT_TRANSLATE_NOOP("params_model", "parameters")),
    ("stated", QT_TRANSLATE_NOOP("params_model", "stated")),
    ("layers", QT_TRANSLATE_NOOP("params_model", "layers")),
    ("hidden", QT_TRANSLATE_NOOP("params_model", "width")),
    ("ffn", "FFN"),
    ("heads", QT_TRANSLATE_NOOP("params_model", "heads")),
    ("kv_heads", QT_TRANSLATE_NOOP("params_model", "kv heads")),
    ("context", QT_TRANSLATE_NOOP("params_model", "context")),
    ("vocab", QT_TRANSLATE_NOOP("params_model", "vocabulary")),
    ("tokens_text", QT_TRANSLATE_NOOP("params_model", "training tokens")),
    ("tokens_source", QT_TRANSLATE_NOOP("params_model", "tokens: source")),
    ("source", QT_TRANSLATE_NOOP("params_model", "config: source")),
]


def scaling_table(rows: list[dict]) -> Table:
    columns = [shown(en) for _k, en in SCALING_COLUMNS]
    display = {"released": shown, "tokens_text": shown, "tokens_source": shown, "source": source_text,
               "stated": stated_text}
    out = []
    for r in rows:
        values = []
        for key, _en in SCALING_COLUMNS:
            value = r[key]
            if key == "layers" and r["encoder_layers"]:
                value = f"{r['encoder_layers']} + {r['layers']}"
            elif key in display and value is not None:
                value = display[key](value)
            values.append(value if value is not None else "-")
        tips = [""] * len(values)
        tips[1] = shown(r["released_source"])
        tips[11] = shown(r["tokens_source"])
        out.append(Row(r["name"], values, "preset", r["name"], tips))
    notes = [translate("params_model", "Parameters are counted here (engine.params, each tensor once); 'stated' is "
                                       "the paper's or model card's figure. T5's layers are encoder + decoder; its "
                                       "context is the 512 tokens it was trained on (relative positions have no hard "
                                       "limit). A token count is left out where the paper gives none.")]
    return Table(translate("params_model", "scaling"), columns, out, notes, translate("params_model", "preset"))


# The study notes' GPT table (模型 | Decoder Layer | Hidden_size | 注意力头数 | 注意力维度 | 总参数量 | 预训练语料) and
# what the papers say: the notes' "Hidden_size" column holds the FFN size and their "注意力维度" the hidden size.
NOTES_GPT_TABLE = [
    # model, preset, layers, "Hidden_size", heads, "注意力维度", params
    ("GPT-1", "openai-gpt", 12, 3072, 12, 768, "0.12B"),
    ("GPT-2", "gpt2-xl", 48, 6400, 25, 1600, "1.5B"),
    ("GPT-3", "gpt3-175b", 96, 49152, 96, 12288, "175B"),
]
LLAMA3_DATE = {"notes": QT_TRANSLATE_NOOP("params_model", "“2023年4月” (April 2023)"),   # English: shown translated
               "actual": QT_TRANSLATE_NOOP("params_model", "April 2024"),
               "source": QT_TRANSLATE_NOOP("params_model", "Meta, 'Introducing Meta Llama 3', 18 April 2024")}


def notes_slips() -> Table:
    """The notes' GPT size table beside the papers: each cell where they differ is marked."""
    from engine.params import account
    from engine.presets import get_preset

    columns = [translate("params_model", "layers"), translate("params_model", "hidden size"),
               translate("params_model", "heads"), translate("params_model", "FFN size"),
               translate("params_model", "parameters")]
    rows = []
    for model, name, layers, notes_hidden, heads, notes_dim, params in NOTES_GPT_TABLE:
        a = account(name)
        paper = [a.dims.layers, a.dims.hidden, a.dims.heads, ffn_size(get_preset(name)), human(a.total_with_heads)]
        notes = [layers, notes_hidden, heads, notes_dim, params]
        marks = {i: translate("params_model", "swapped") for i in (1, 3) if notes[i] != paper[i]}
        swap = translate("params_model", "the notes swap hidden and FFN size")
        rows.append(Row(translate("params_model", "{model} in the notes").format(model=model), notes, "notes",
                        f"notes-{model}", [swap if i in marks else "" for i in range(5)], marks))
        rows.append(Row(f"{model} ({name})", paper, "paper", name, [source_text(source(a))] * 5))
    note = translate("params_model", "The study notes' GPT table heads its columns 'Hidden_size' and '注意力维度' "
                                     "(attention size): the first holds the FFN size, the second the hidden size. "
                                     "GPT-1 is hidden 768, FFN 3072, 12 heads, 12 layers (Radford et al. 2018, section "
                                     "4.1). The notes date LLaMA-3 to April 2023; it was released in April 2024.")
    return Table(translate("params_model", "where the notes differ"), columns, rows, [note],
                 translate("params_model", "row"), ["count", "count", "count", "count", "text"])


# ----------------------------------------------------------------------------------------------- the config editor
@dataclass(frozen=True)
class EditorField:
    name: str           # config.json field name
    en: str             # declared with QT_TRANSLATE_NOOP: `label` is what the view shows
    kind: str = "int"   # int | optional-int | choice | bool
    choices: tuple = ()
    family_default: bool = False   # empty means the family's default (GLM's intermediate_size)

    @property
    def label(self) -> str:
        text = shown(self.en)
        if self.family_default:
            return translate("params_model", "{label} (empty: the family's default)").format(label=text)
        return text


def _field(name: str, en: str, kind: str = "int", choices: tuple = ()) -> EditorField:
    return EditorField(name, en, kind, choices)


EDITOR_FIELDS = [
    _field("num_hidden_layers", QT_TRANSLATE_NOOP("params_model", "layers")),
    _field("n_layer", QT_TRANSLATE_NOOP("params_model", "layers")),
    _field("num_layers", QT_TRANSLATE_NOOP("params_model", "layers (encoder, for T5)")),
    _field("num_decoder_layers", QT_TRANSLATE_NOOP("params_model", "decoder layers (empty: = num_layers)"),
           "optional-int"),
    _field("hidden_size", QT_TRANSLATE_NOOP("params_model", "hidden size H")),
    _field("n_embd", QT_TRANSLATE_NOOP("params_model", "hidden size H")),
    _field("d_model", QT_TRANSLATE_NOOP("params_model", "hidden size H")),
    _field("num_attention_heads", QT_TRANSLATE_NOOP("params_model", "attention heads")),
    _field("n_head", QT_TRANSLATE_NOOP("params_model", "attention heads")),
    _field("num_heads", QT_TRANSLATE_NOOP("params_model", "attention heads")),
    _field("num_key_value_heads", QT_TRANSLATE_NOOP("params_model", "key/value heads (GQA, MQA = 1; empty: = heads)"),
           "optional-int"),
    _field("d_kv", QT_TRANSLATE_NOOP("params_model", "size of each head")),
    _field("head_dim", QT_TRANSLATE_NOOP("params_model", "size of each head (empty: H / heads)"), "optional-int"),
    _field("intermediate_size", QT_TRANSLATE_NOOP("params_model", "FFN size")),
    _field("n_inner", QT_TRANSLATE_NOOP("params_model", "FFN size (empty: 4 × H)"), "optional-int"),
    _field("d_ff", QT_TRANSLATE_NOOP("params_model", "FFN size")),
    _field("vocab_size", QT_TRANSLATE_NOOP("params_model", "vocabulary V")),
    _field("embedding_size", QT_TRANSLATE_NOOP("params_model", "embedding size E (ALBERT; = H: not factorised)")),
    _field("num_hidden_groups", QT_TRANSLATE_NOOP("params_model", "parameter groups (ALBERT; = layers: no "
                                                                  "sharing)")),
    _field("inner_group_num", QT_TRANSLATE_NOOP("params_model", "layers in each group (ALBERT)")),
    _field("max_position_embeddings", QT_TRANSLATE_NOOP("params_model", "max positions")),
    _field("n_positions", QT_TRANSLATE_NOOP("params_model", "max positions")),
    _field("max_sequence_length", QT_TRANSLATE_NOOP("params_model", "max positions")),
    _field("type_vocab_size", QT_TRANSLATE_NOOP("params_model", "segment types")),
    _field("norm_style", QT_TRANSLATE_NOOP("params_model", "norm placement (GLM)"), "choice",
           ("pre", "post", "deepnorm")),
    _field("block_position_encoding", QT_TRANSLATE_NOOP("params_model", "2D positions (GLM's second table)"),
           "bool"),
    _field("feed_forward_proj", QT_TRANSLATE_NOOP("params_model", "feed-forward (T5)"), "choice",
           ("relu", "gated-gelu")),
    _field("tie_word_embeddings", QT_TRANSLATE_NOOP("params_model", "LM head tied to the embeddings"), "bool"),
]


def editor_fields(family: str) -> list[EditorField]:
    """The structural fields a family's config has, in EDITOR_FIELDS order."""
    from engine.models import FAMILIES

    defaults = {f.name: f.default for f in dataclasses.fields(FAMILIES[family].config_cls)}
    out = []
    for f in EDITOR_FIELDS:
        if f.name not in defaults:
            continue
        if f.kind == "int" and defaults[f.name] is None:   # GLM's intermediate_size: None means 4 × H
            f = dataclasses.replace(f, kind="optional-int", family_default=True)
        out.append(f)
    return out


def field_value(preset, name: str):
    """A config field as the preset sets it, else the family default."""
    from engine.models import FAMILIES

    if name in preset.config:
        return preset.config[name]
    defaults = {f.name: f.default for f in dataclasses.fields(FAMILIES[preset.family].config_cls)}
    value = defaults.get(name)
    return None if isinstance(value, dataclasses._MISSING_TYPE) else value


def changes_from(preset, values: dict[str, Any]) -> dict[str, Any]:
    """The fields of `values` that differ from the preset's."""
    return {k: v for k, v in values.items() if v != field_value(preset, k)}


def edit_problems(preset, changes: dict[str, Any]) -> list[str]:
    """Why the edited preset cannot be built, in words (nothing raised): the family's config_problems, and
    edit_preset's refusal of a preset counted analytically."""
    from engine.models import FAMILIES

    if preset.extra.get("analytic"):
        return [f"{preset.name} is counted analytically from its released tensors; it cannot be edited. Start from "
                f"a preset this app builds."]
    return FAMILIES[preset.family].config_problems({**preset.config, **changes})


def try_edit(name: str, changes: dict[str, Any]):
    """(edited preset or None, the message explaining why not): edit_preset without raising."""
    from engine.errors import PLMError
    from engine.params import edit_preset

    if not changes:
        from engine.presets import get_preset
        return get_preset(name), ""
    try:
        return edit_preset(name, changes), ""
    except PLMError as error:
        return None, str(error)


def editor_table(base, edited, free: dict[str, int | None]) -> Table:
    """The preset (column 0) beside the edited configuration (column 1, '-' while it cannot be built):
    components, totals, weight memory, KV cache, FLOPs and whether it fits here."""
    accounts = [base] + ([edited] if edited is not None else [])
    parts = [grouped(a.breakdown) for a in accounts]
    columns = [translate("params_model", "preset: {name}").format(name=base.name),
               translate("params_model", "edited") if edited is not None else
               translate("params_model", "edited: cannot be built")]

    def pad(values):
        values = list(values)
        return values + [None] * (2 - len(values))

    rows = []
    for c in COMPONENTS:
        if any(c.key in p for p in parts):
            rows.append(Row(c.label, pad(p.get(c.key, 0) for p in parts), "component", c.key, [c.tip] * 2))
    rows.append(Row(translate("params_model", "total (body, no heads)"), pad(a.total for a in accounts), "total",
                    "total"))
    rows.append(Row(translate("params_model", "total with heads"), pad(a.total_with_heads for a in accounts), "total",
                    "total_with_heads"))
    if edited is not None and base.total_with_heads:
        change = edited.total_with_heads / base.total_with_heads
        rows.append(Row(translate("params_model", "change"), ["", f"× {change:.3g}"], "info", "change"))
    for dtype in ("fp32", "fp16", "int8"):
        rows.append(Row(translate("params_model", "weights at {dtype}").format(dtype=dtype),
                        pad(a.memory_bytes[dtype] for a in accounts), "bytes", f"memory.{dtype}"))
    kvs = [a.kv_cache for a in accounts]
    rows.append(Row(translate("params_model", "attention (kv / q heads)"),
                    pad(f"{kv['attention']} ({kv['kv_heads']}/{kv['heads']})" if kv["bytes_per_token"] is not None
                        else translate("params_model", "encoder: no KV cache") for kv in kvs), "info", "attention"))
    rows.append(Row(translate("params_model", "KV cache per token (fp16)"), pad(kv["bytes_per_token"] for kv in kvs),
                    "bytes", "kv_token"))
    rows.append(Row(translate("params_model", "KV cache at full context"),
                    pad(kv.get("bytes_at_full_context") for kv in kvs), "bytes", "kv_full"))
    rows.append(Row(translate("params_model", "forward FLOPs per token"),
                    pad(a.flops["flops_per_token"] for a in accounts), "flops", "flops"))
    rows.append(Row(translate("params_model", "fits CPU memory?"), pad(fit_text(a, free.get("cpu")) for a in accounts),
                    "info", "fits_cpu"))
    for name, n in free.items():
        if name != "cpu":
            rows.append(Row(translate("params_model", "fits {device}?").format(device=name),
                            pad(fit_text(a, n) for a in accounts), "info", f"fits_{name}"))
    notes = [f"{a.name}: {source_text(source(a))}" for a in accounts]
    return Table(translate("params_model", "config editor"), columns, rows, notes, translate("params_model", "count"))
