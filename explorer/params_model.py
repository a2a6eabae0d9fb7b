"""What the Parameters view shows, without Qt: tables built from engine.params accounts, ALBERT's two switches,
the scaling series with their sources, the study notes' slips, and the config editor's fields.

Every number here is read from `engine.params.account(...)` (or from `engine.published` presets); this module only
groups and arranges them. The view (explorer.views.params) draws these tables and runs the accounting in workers;
the tests check these functions against the engine directly, preset by preset.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# ----------------------------------------------------------------------------------------------- text
def pick(lang: str, en: str, zh: str | None = None) -> str:
    return zh if lang == "zh" and zh else en


def human(n: float | None) -> str:
    from engine.params import human as engine_human
    return engine_human(n)


def human_bytes(n: float | None) -> str:
    from engine.params import human_bytes as engine_human_bytes
    return engine_human_bytes(n)


def human_flops(n: float | None) -> str:
    from engine.params import human_flops as engine_human_flops
    return "-" if n is None else engine_human_flops(n)


# ----------------------------------------------------------------------------------------------- components
@dataclass(frozen=True)
class Component:
    key: str
    en: str
    zh: str
    colour: str
    what: str = ""      # which engine breakdown keys it gathers, for tooltips


COMPONENTS = [
    Component("token", "token embeddings", "词嵌入", "#1f77b4", "embeddings.token (V × H, or V × E in ALBERT)"),
    Component("position", "position embeddings", "位置嵌入", "#6baed6",
              "embeddings.position, GLM's embeddings.block_position, T5's relative position bias"),
    Component("segment", "segment embeddings", "段嵌入", "#17becf", "embeddings.segment (token types)"),
    Component("projection", "embedding projection E→H", "嵌入投影 E→H", "#9edae5",
              "embeddings.projection: ALBERT's E × H + H"),
    Component("attn.q", "attention q", "注意力 q", "#fd8d3c", "*.attn.q (weights and biases)"),
    Component("attn.k", "attention k", "注意力 k", "#f16913", "*.attn.k"),
    Component("attn.v", "attention v", "注意力 v", "#d94801", "*.attn.v"),
    Component("attn.o", "attention o", "注意力 o", "#a63603", "*.attn.o (output projection)"),
    Component("cross", "cross-attention q/k/v/o", "交叉注意力 q/k/v/o", "#fdd0a2", "decoder.cross_attn.* (T5)"),
    Component("ffn", "FFN", "前馈网络 FFN", "#2ca02c", "*.mlp.* (in / gate / up / out)"),
    Component("norms", "norms", "归一化", "#7f7f7f", "embeddings.norm, each layer's norms, the final norm"),
    Component("pooler", "pooler", "池化层", "#8c564b", "pooler ([CLS] dense + tanh)"),
    Component("heads", "heads", "输出头", "#9467bd", "heads.* (MLM, NSP, SOP, LM, classifier)"),
    Component("other", "other", "其他", "#c7c7c7", "anything else"),
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


def tied_note(account, lang: str = "en") -> str:
    """'lm head output weight = token embeddings, counted once' for each tied head of an account."""
    parts = []
    for head, owner in account.extra.get("tied_heads", {}).items():
        parts.append(pick(lang, f"{head} head's output weight is the token embedding table ({owner}), counted once",
                          f"{head} 头的输出权重就是词嵌入表（{owner}），只计一次"))
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


def compare_table(accounts: list, per_layer: bool = False, detail: bool = False, lang: str = "en") -> Table:
    """Components (rows) by preset (columns): the whole model, or one layer of each stack (per_layer). `detail`
    keeps the engine's own breakdown keys instead of the grouped components."""
    columns, parts, extras = [], [], []
    for a in accounts:
        if per_layer:
            for stack, view in a.per_layer.items():
                columns.append(a.name if stack == "layers" else f"{a.name} · {stack}")
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
        label = key if detail else pick(lang, COMPONENT[key].en, COMPONENT[key].zh)
        values = [p.get(key, 0) for p in parts]
        marks = {}
        what = "" if detail else COMPONENT[key].what
        tips = [what] * len(values)
        if not per_layer:
            for i, (a, _stack, _view) in enumerate(extras):
                tied = a.extra.get("tied_heads", {})
                if tied and (key == "heads" or (detail and key.startswith("heads.") and key[6:] in tied)):
                    marks[i] = pick(lang, "+ tied", "+ 绑定")
                    tips[i] = tied_note(a, lang)
        rows.append(Row(label, values, "component", key, tips, marks))
    if per_layer:
        rows.append(Row(pick(lang, "one layer", "每层"), [sum(p.values()) for p in parts], "total", "layer_total"))
        rows.append(Row(pick(lang, "layers (uses)", "层数（使用次数）"), [v["depth"] for _a, _s, v in extras],
                        "info", "depth"))
        rows.append(Row(pick(lang, "parameter sets", "参数组数"), [v["parameter_sets"] for _a, _s, v in extras],
                        "info", "parameter_sets"))
        rows.append(Row(pick(lang, "all layers (counted once)", "全部层（共享只计一次）"),
                        [v["all_layers"] for _a, _s, v in extras], "total", "all_layers"))
        firsts = [", ".join(f"{k} {n:,}" for k, n in v["first_layer_extra"].items()) or None
                  for _a, _s, v in extras]
        if any(firsts):
            rows.append(Row(pick(lang, "layer 1 also has", "第 1 层另有"), firsts, "info", "first_layer_extra"))
    else:
        rows.append(Row(pick(lang, "total (body, no heads)", "总数（主体，不含输出头）"),
                        [a.total for a in accounts], "total", "total"))
        rows.append(Row(pick(lang, "total with heads", "总数（含输出头）"),
                        [a.total_with_heads for a in accounts], "total", "total_with_heads"))
        rows.append(Row(pick(lang, "stated (paper / model card)", "论文 / 模型卡所述"),
                        [stated(a) for a in accounts], "info", "stated"))
    notes = []
    seen = set()
    for a, _stack, _view in extras:
        if a.name in seen:
            continue
        seen.add(a.name)
        line = f"{a.name}: {source(a)}"
        tied = tied_note(a, lang)
        if tied and not per_layer:
            line += f" · {tied}"
        if a.extra.get("module_total") is not None:
            line += pick(lang, f" · counted analytically; this app's {a.extra['module_class']} would build "
                               f"{a.extra['module_total']:,}",
                         f" · 按发布的张量解析计数；本应用的 {a.extra['module_class']} 会得到 {a.extra['module_total']:,}")
        notes.append(line)
    title = pick(lang, "one layer of each stack" if per_layer else "whole model",
                 "每个堆栈的一层" if per_layer else "整个模型")
    return Table(title, columns, rows, notes, pick(lang, "component", "组件"))


def stated(a) -> str | None:
    return a.preset.extra.get("stated") if a.preset is not None else None


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


def fit_text(a, free: int | None, lang: str = "en") -> str:
    """Which precisions of the weights fit in `free` bytes (with engine.devices' headroom)."""
    if free is None:
        return pick(lang, "unknown", "未知")
    ok = [dtype for dtype, n in a.memory_bytes.items() if fits(n, free)]
    if not ok:
        return pick(lang, f"no (free {human_bytes(free)})", f"放不下（空闲 {human_bytes(free)}）")
    if "fp32" in ok:
        return pick(lang, f"yes, even fp32 (free {human_bytes(free)})", f"可以，fp32 也行（空闲 {human_bytes(free)}）")
    return pick(lang, f"only {'/'.join(ok)} (free {human_bytes(free)})",
                f"仅 {'/'.join(ok)}（空闲 {human_bytes(free)}）")


MEMORY_COLUMNS = [
    # key, en, zh
    ("params", "parameters", "参数量"),
    ("fp32", "weights fp32", "权重 fp32"),
    ("fp16", "fp16 / bf16", "fp16 / bf16"),
    ("int8", "int8", "int8"),
    ("fits_cpu", "fits CPU memory?", "CPU 内存放得下？"),
    ("fits_gpu", "fits GPU memory?", "GPU 显存放得下？"),
    ("attention", "attention (kv / q heads)", "注意力（kv / q 头）"),
    ("kv_token", "KV cache per token (fp16)", "每 token 的 KV 缓存（fp16）"),
    ("kv_full", "KV at full context", "满上下文的 KV"),
    ("kv_mha", "… with MHA", "… 若用 MHA"),
    ("kv_mqa", "… with MQA", "… 若用 MQA"),
    ("flops", "forward FLOPs / token", "每 token 前向 FLOPs"),
    ("flops_out", "… with output layer", "… 含输出层"),
]


def memory_table(accounts: list, free: dict[str, int | None], lang: str = "en") -> Table:
    """One row per preset: weights at four precisions, whether they fit here, the KV cache per token and at full
    context beside MHA and MQA, and forward FLOPs per token."""
    cpu = free.get("cpu")
    gpus = {k: v for k, v in free.items() if k.startswith("cuda") or k == "mps"}
    columns = [pick(lang, en, zh) for _k, en, zh in MEMORY_COLUMNS]
    rows = []
    for a in accounts:
        kv = a.kv_cache
        mem = a.memory_bytes
        f = a.flops
        if kv["bytes_per_token"] is None:
            attention = pick(lang, "encoder: no KV cache", "编码器：无 KV 缓存")
            kv_cells = [None, None, None, None]
        else:
            attention = f"{kv['attention']} ({kv['kv_heads']}/{kv['heads']})"
            kv_cells = [kv["bytes_per_token"], kv["bytes_at_full_context"], kv["compare"]["MHA"] * kv["n_ctx"],
                        kv["compare"]["MQA"] * kv["n_ctx"]]
        gpu = "; ".join(f"{name}: {fit_text(a, n, lang)}" for name, n in gpus.items()) or \
            pick(lang, "no GPU here", "本机无 GPU")
        values = [a.total_with_heads, mem["fp32"], mem["fp16"], mem["int8"], fit_text(a, cpu, lang), gpu,
                  attention] + kv_cells + [f["flops_per_token"], f["with_output_layer"]]
        tips = [""] * len(values)
        if kv["bytes_per_token"] is not None:
            tips[7] = (f"{kv['formula']} = 2 × {kv['layers']} × {kv['kv_heads']} × {kv['head_dim']} × 2 bytes"
                       + (f"; {kv['note']}" if kv.get("note") else ""))
            tips[8] = f"× n_ctx {kv['n_ctx']:,}"
        else:
            tips[6] = kv["note"]
        tips[11] = f"{f['formula']}; N = {f['N_non_embedding']:,}, n_layer {f['n_layer']}, n_ctx {f['n_ctx']}, " \
                   f"d_attn {f['d_attn']}. {f['note']}"
        rows.append(Row(a.name, values, "preset", a.name, tips))
    notes = [pick(lang, "Weights only (no activations, no optimizer); 'fits' leaves a fifth spare, as the loader's "
                        "check does. KV cache: 2 (K and V) × layers × kv_heads × head_dim × 2 bytes per token; GQA "
                        "and MQA share key/value heads between query heads, which is what they save.",
                  "只算权重（不含激活和优化器）；“放得下”留出五分之一余量，与加载器的检查一致。KV 缓存：每个 token "
                  "2（K 和 V）× 层数 × kv 头数 × 头维度 × 2 字节；GQA 和 MQA 让多个查询头共用键/值头，省下的就是这些。")]
    formats = ["count", "bytes", "bytes", "bytes", "text", "text", "text", "bytes", "bytes", "bytes", "bytes",
               "flops", "flops"]
    return Table(pick(lang, "memory and compute", "内存与计算"), columns, rows, notes,
                 pick(lang, "preset", "预设"), formats)


# ----------------------------------------------------------------------------------------------- ALBERT
ALBERT_SIZES = ["albert-base-v2", "albert-large-v2", "albert-xlarge-v2", "albert-xxlarge-v2"]
NOTES_EMBEDDING_CLAIM = "about 80%"   # the study notes: 词嵌入层参数量降低80%


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
    # key, share, factorise, en, zh
    ("both", True, True, "ALBERT: shared + factorised", "ALBERT：共享 + 分解"),
    ("share", True, False, "shared layers only", "只共享层"),
    ("factorise", False, True, "factorised embedding only", "只分解嵌入"),
    ("neither", False, False, "neither (one set per layer, V × H)", "都不用（每层一套，V × H）"),
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

    variants = {key: account(albert_variant(name, s, f, e)) for key, s, f, _en, _zh in VARIANTS}
    current = next(variants[key] for key, s, f, _en, _zh in VARIANTS if (s, f) == (share, factorise))
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


def embedding_table(rows: list[dict], lang: str = "en") -> Table:
    columns = ["V", "E", "H", "V × H", "V × E + E × H", pick(lang, "saving", "节省"),
               pick(lang, "the notes say", "笔记所说")]
    out = [Row(r["name"], [r["V"], r["E"], r["H"], r["VxH"], r["VxE+ExH"], f"{r['saving']:.1%}",
                           pick(lang, NOTES_EMBEDDING_CLAIM, "约 80%") if "," not in r["name"] else ""], "preset",
               r["name"])
           for r in rows]
    notes = [pick(lang, "The saving grows with H: the notes' 'about 80%' holds for base (83%); large, xlarge and "
                        "xxlarge save more. Counted without the projection's bias (H).",
                  "节省随 H 增大：笔记的“约 80%”只对 base 大致成立（83%）；large、xlarge、xxlarge 省得更多。"
                  "不计投影层的偏置（H 个）。")]
    return Table(pick(lang, "embedding saving per ALBERT size", "各 ALBERT 尺寸的嵌入节省"), columns, out, notes,
                 pick(lang, "preset", "预设"))


def albert_table(result: AlbertResult, lang: str = "en") -> Table:
    """The switched ALBERT beside BERT of the same shape: embeddings, layers, totals, FLOPs per token."""
    cur, bert = result.current, result.bert
    columns = [pick(lang, "ALBERT (as switched)", "ALBERT（按开关）"), pick(lang, "BERT, same shape", "同形状的 BERT")]

    def layers(a):
        v = a.per_layer["layers"]
        return v["all_layers"]

    def sets(a):
        v = a.per_layer["layers"]
        return f"{v['parameter_sets']} × {v['each_total']:,} ({v['depth']} {pick(lang, 'uses', '次使用')})"

    g_cur, g_bert = grouped(cur.breakdown), grouped(bert.breakdown)
    rows = [
        Row(pick(lang, "token embeddings", "词嵌入"), [g_cur.get("token", 0), g_bert.get("token", 0)], "component",
            "token"),
        Row(pick(lang, "embedding projection E→H", "嵌入投影 E→H"),
            [g_cur.get("projection", 0), g_bert.get("projection", 0)], "component", "projection"),
        Row(pick(lang, "layers, counted once", "各层（只计一次）"), [layers(cur), layers(bert)], "component", "layers"),
        Row(pick(lang, "parameter sets × each", "参数组 × 每组"), [sets(cur), sets(bert)], "info", "sets"),
        Row(pick(lang, "total (body)", "总数（主体）"), [cur.total, bert.total], "total", "total"),
        Row(pick(lang, "total with heads", "总数（含输出头）"), [cur.total_with_heads, bert.total_with_heads], "total",
            "total_with_heads"),
        Row(pick(lang, "forward FLOPs per token", "每 token 前向 FLOPs"),
            [cur.flops["flops_per_token"], bert.flops["flops_per_token"]], "flops", "flops"),
        Row(pick(lang, "weights at fp32", "fp32 权重"), [cur.memory_bytes["fp32"], bert.memory_bytes["fp32"]],
            "bytes", "fp32"),
    ]
    return Table(pick(lang, "ALBERT beside BERT", "ALBERT 与 BERT"), columns, rows,
                 [f"{cur.name}: {source(cur)}", f"BERT: {source(bert)}"], pick(lang, "count", "计数"))


# ----------------------------------------------------------------------------------------------- scaling
@dataclass(frozen=True)
class Generation:
    key: str
    label: str
    released: str
    released_source: str
    presets: tuple[str, ...]
    colour: str


_GPT3_TOKENS = ("300B", 300e9, "Brown et al. 2020, Table 2.1 caption and section 2.2: every size trained on "
                                "300 billion tokens")
_LLAMA1_PAPER = "Touvron et al. 2023a, Table 2"
# preset -> (shown, number, source); a preset missing here has no token count in its paper (left out, not guessed)
TRAINING_TOKENS: dict[str, tuple[str, float, str]] = {
    **{n: _GPT3_TOKENS for n in ("gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b",
                                 "gpt3-13b", "gpt3-175b")},
    "llama-1-7b": ("1.0T", 1.0e12, _LLAMA1_PAPER), "llama-1-13b": ("1.0T", 1.0e12, _LLAMA1_PAPER),
    "llama-1-33b": ("1.4T", 1.4e12, _LLAMA1_PAPER), "llama-1-65b": ("1.4T", 1.4e12, _LLAMA1_PAPER),
    **{n: ("2.0T", 2.0e12, "Touvron et al. 2023b, Table 1") for n in ("llama-2-7b", "llama-2-13b", "llama-2-70b")},
    **{n: ("15T+", 15e12, "Meta, Llama 3 model card (April 2024): over 15T tokens")
       for n in ("llama-3-8b", "llama-3-70b")},
    "llama-3.1-405b": ("about 15T", 15e12, "Llama Team 2024, The Llama 3 Herd of Models: about 15T tokens"),
    **{n: ("about 1T", 1e12, "Raffel et al. 2019, section 3.7: 1M steps of 2^11 × 512 tokens, about 1 trillion")
       for n in ("t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b")},
}
NO_TOKENS_NOTE = {
    "gpt1": "Radford et al. 2018 give no token count (BooksCorpus)",
    "gpt2": "Radford et al. 2019 give no token count (WebText, 40 GB of text)",
    "t5v11": "T5 v1.1 came after the paper (C4 only); no token count stated",
}

GENERATIONS = [
    Generation("gpt1", "GPT-1", "2018", "Radford et al. 2018", ("openai-gpt",), "#9ecae1"),
    Generation("gpt2", "GPT-2", "2019", "Radford et al. 2019", ("gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"),
               "#4292c6"),
    Generation("gpt3", "GPT-3", "2020", "Brown et al. 2020",
               ("gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b", "gpt3-13b",
                "gpt3-175b"), "#08306b"),
    Generation("llama1", "LLaMA-1", "Feb 2023", "Touvron et al. 2023a",
               ("llama-1-7b", "llama-1-13b", "llama-1-33b", "llama-1-65b"), "#fdae6b"),
    Generation("llama2", "LLaMA-2", "Jul 2023", "Touvron et al. 2023b", ("llama-2-7b", "llama-2-13b", "llama-2-70b"),
               "#f16913"),
    Generation("llama3", "LLaMA-3", "Apr 2024", "Meta, 18 April 2024 (the notes say 2023)",
               ("llama-3-8b", "llama-3-70b"), "#a63603"),
    Generation("llama31", "Llama 3.1", "Jul 2024", "Llama Team 2024", ("llama-3.1-405b",), "#7f2704"),
    Generation("t5", "T5", "2019", "Raffel et al. 2019", ("t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b"),
               "#41ab5d"),
    Generation("t5v11", "T5 v1.1", "-", "google-research/text-to-text-transfer-transformer (released checkpoints, "
                                        "after the paper)",
               ("t5-v1_1-small", "t5-v1_1-base", "t5-v1_1-large", "t5-v1_1-xl", "t5-v1_1-xxl"), "#006d2c"),
]
GENERATION = {g.key: g for g in GENERATIONS}
SERIES = {
    # key -> (en, zh, generations)
    "gpt": ("GPT-1 → GPT-2 → GPT-3", "GPT-1 → GPT-2 → GPT-3", ("gpt1", "gpt2", "gpt3")),
    "llama": ("LLaMA 1 → 2 → 3", "LLaMA 1 → 2 → 3", ("llama1", "llama2", "llama3", "llama31")),
    "t5": ("T5 sizes", "T5 各尺寸", ("t5", "t5v11")),
    "all": ("all of them", "全部", tuple(g.key for g in GENERATIONS)),
}
QUANTITIES = [
    # key, en, zh, log by default
    ("params", "parameters", "参数量", True),
    ("layers", "layers", "层数", False),
    ("hidden", "width (hidden size)", "宽度（隐藏层大小）", False),
    ("ffn", "FFN size", "FFN 大小", False),
    ("heads", "attention heads", "注意力头数", False),
    ("kv_heads", "key/value heads", "键/值头数", False),
    ("context", "context (tokens)", "上下文（token）", True),
    ("vocab", "vocabulary", "词表大小", False),
    ("tokens", "training tokens", "训练 token 数", True),
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
    training tokens, each with where it comes from."""
    from engine.params import account

    rows = []
    for gen_key in SERIES[series][2]:
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
                "tokens_source": tokens[2] if tokens else NO_TOKENS_NOTE.get(gen.key, "not stated"),
                "source": source(a),
            })
    return rows


SCALING_COLUMNS = [
    # key, en, zh
    ("generation", "generation", "代"), ("released", "released", "发布"), ("params", "parameters", "参数量"),
    ("stated", "stated", "所述"), ("layers", "layers", "层数"), ("hidden", "width", "宽度"), ("ffn", "FFN", "FFN"),
    ("heads", "heads", "头数"), ("kv_heads", "kv heads", "kv 头数"), ("context", "context", "上下文"),
    ("vocab", "vocabulary", "词表"), ("tokens_text", "training tokens", "训练 token"),
    ("tokens_source", "tokens: source", "token 数来源"), ("source", "config: source", "配置来源"),
]


def scaling_table(rows: list[dict], lang: str = "en") -> Table:
    columns = [pick(lang, en, zh) for _k, en, zh in SCALING_COLUMNS]
    out = []
    for r in rows:
        values = []
        for key, _en, _zh in SCALING_COLUMNS:
            value = r[key]
            if key == "layers" and r["encoder_layers"]:
                value = f"{r['encoder_layers']} + {r['layers']}"
            values.append(value if value is not None else "-")
        tips = [""] * len(values)
        tips[1] = r["released_source"]
        tips[11] = r["tokens_source"]
        out.append(Row(r["name"], values, "preset", r["name"], tips))
    notes = [pick(lang, "Parameters are counted here (engine.params, each tensor once); 'stated' is the paper's or "
                        "model card's figure. T5's layers are encoder + decoder; its context is the 512 tokens it was "
                        "trained on (relative positions have no hard limit). A token count is left out where the "
                        "paper gives none.",
                  "参数量由本应用计数（engine.params，每个张量只计一次）；“所述”是论文或模型卡的数字。T5 的层数为"
                  "编码器 + 解码器；上下文是训练时的 512 个 token（相对位置没有硬上限）。论文没有给出 token 数的就留空。")]
    return Table(pick(lang, "scaling", "规模"), columns, out, notes, pick(lang, "preset", "预设"))


# The study notes' GPT table (模型 | Decoder Layer | Hidden_size | 注意力头数 | 注意力维度 | 总参数量 | 预训练语料) and
# what the papers say: the notes' "Hidden_size" column holds the FFN size and their "注意力维度" the hidden size.
NOTES_GPT_TABLE = [
    # model, preset, layers, "Hidden_size", heads, "注意力维度", params
    ("GPT-1", "openai-gpt", 12, 3072, 12, 768, "0.12B"),
    ("GPT-2", "gpt2-xl", 48, 6400, 25, 1600, "1.5B"),
    ("GPT-3", "gpt3-175b", 96, 49152, 96, 12288, "175B"),
]
LLAMA3_DATE = {"notes": "2023年4月 (April 2023)", "actual": "April 2024",
               "source": "Meta, 'Introducing Meta Llama 3', 18 April 2024"}


def notes_slips(lang: str = "en") -> Table:
    """The notes' GPT size table beside the papers: each cell where they differ is marked."""
    from engine.params import account
    from engine.presets import get_preset

    columns = [pick(lang, "layers", "层数"), pick(lang, "hidden size", "隐藏层大小"), pick(lang, "heads", "头数"),
               pick(lang, "FFN size", "FFN 大小"), pick(lang, "parameters", "参数量")]
    rows = []
    for model, name, layers, notes_hidden, heads, notes_dim, params in NOTES_GPT_TABLE:
        a = account(name)
        paper = [a.dims.layers, a.dims.hidden, a.dims.heads, ffn_size(get_preset(name)), human(a.total_with_heads)]
        notes = [layers, notes_hidden, heads, notes_dim, params]
        marks = {i: pick(lang, "swapped", "写反了") for i in (1, 3) if notes[i] != paper[i]}
        swap = pick(lang, "the notes swap hidden and FFN size", "笔记把隐藏层大小和 FFN 大小写反了")
        rows.append(Row(pick(lang, f"{model} in the notes", f"笔记中的 {model}"), notes, "notes", f"notes-{model}",
                        [swap if i in marks else "" for i in range(5)], marks))
        rows.append(Row(f"{model} ({name})", paper, "paper", name, [source(a)] * 5))
    note = pick(lang, "The study notes' GPT table heads its columns 'Hidden_size' and '注意力维度' (attention size): "
                      "the first holds the FFN size, the second the hidden size. GPT-1 is hidden 768, FFN 3072, 12 "
                      "heads, 12 layers (Radford et al. 2018, section 4.1). The notes date LLaMA-3 to April 2023; it "
                      "was released in April 2024.",
                "笔记中的 GPT 表把列标为“Hidden_size”和“注意力维度”：前者其实是 FFN 大小，后者才是隐藏层大小。"
                "GPT-1 是隐藏层 768、FFN 3072、12 个头、12 层（Radford et al. 2018，4.1 节）。笔记把 LLaMA-3 的发布时间"
                "写成 2023 年 4 月，实际是 2024 年 4 月。")
    return Table(pick(lang, "where the notes differ", "笔记与原始资料不一致之处"), columns, rows, [note],
                 pick(lang, "row", "行"), ["count", "count", "count", "count", "text"])


# ----------------------------------------------------------------------------------------------- the config editor
@dataclass(frozen=True)
class EditorField:
    name: str           # config.json field name
    en: str
    zh: str
    kind: str = "int"   # int | optional-int | choice | bool
    choices: tuple = ()


EDITOR_FIELDS = [
    EditorField("num_hidden_layers", "layers", "层数"),
    EditorField("n_layer", "layers", "层数"),
    EditorField("num_layers", "layers (encoder, for T5)", "层数（T5 为编码器）"),
    EditorField("num_decoder_layers", "decoder layers (empty: = num_layers)", "解码器层数（空：= num_layers）",
                "optional-int"),
    EditorField("hidden_size", "hidden size H", "隐藏层大小 H"),
    EditorField("n_embd", "hidden size H", "隐藏层大小 H"),
    EditorField("d_model", "hidden size H", "隐藏层大小 H"),
    EditorField("num_attention_heads", "attention heads", "注意力头数"),
    EditorField("n_head", "attention heads", "注意力头数"),
    EditorField("num_heads", "attention heads", "注意力头数"),
    EditorField("num_key_value_heads", "key/value heads (GQA, MQA = 1; empty: = heads)",
                "键/值头数（GQA；MQA = 1；空：= 头数）", "optional-int"),
    EditorField("d_kv", "size of each head", "每个头的维度"),
    EditorField("head_dim", "size of each head (empty: H / heads)", "每个头的维度（空：H / 头数）", "optional-int"),
    EditorField("intermediate_size", "FFN size", "FFN 大小"),
    EditorField("n_inner", "FFN size (empty: 4 × H)", "FFN 大小（空：4 × H）", "optional-int"),
    EditorField("d_ff", "FFN size", "FFN 大小"),
    EditorField("vocab_size", "vocabulary V", "词表大小 V"),
    EditorField("embedding_size", "embedding size E (ALBERT; = H: not factorised)", "嵌入大小 E（ALBERT；= H：不分解）"),
    EditorField("num_hidden_groups", "parameter groups (ALBERT; = layers: no sharing)",
                "参数组数（ALBERT；= 层数：不共享）"),
    EditorField("inner_group_num", "layers in each group (ALBERT)", "每组的层数（ALBERT）"),
    EditorField("max_position_embeddings", "max positions", "最大位置数"),
    EditorField("n_positions", "max positions", "最大位置数"),
    EditorField("max_sequence_length", "max positions", "最大位置数"),
    EditorField("type_vocab_size", "segment types", "段类型数"),
    EditorField("norm_style", "norm placement (GLM)", "归一化位置（GLM）", "choice", ("pre", "post", "deepnorm")),
    EditorField("block_position_encoding", "2D positions (GLM's second table)", "二维位置（GLM 第二张位置表）", "bool"),
    EditorField("feed_forward_proj", "feed-forward (T5)", "前馈网络（T5）", "choice", ("relu", "gated-gelu")),
    EditorField("tie_word_embeddings", "LM head tied to the embeddings", "LM 头与嵌入绑定", "bool"),
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
            f = dataclasses.replace(f, kind="optional-int", en=f"{f.en} (empty: the family's default)",
                                    zh=f"{f.zh}（空：该族默认值）")
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


def editor_table(base, edited, free: dict[str, int | None], lang: str = "en") -> Table:
    """The preset (column 0) beside the edited configuration (column 1, '-' while it cannot be built):
    components, totals, weight memory, KV cache, FLOPs and whether it fits here."""
    accounts = [base] + ([edited] if edited is not None else [])
    parts = [grouped(a.breakdown) for a in accounts]
    columns = [pick(lang, f"preset: {base.name}", f"预设：{base.name}"),
               pick(lang, "edited", "编辑后") if edited is not None else
               pick(lang, "edited: cannot be built", "编辑后：无法构建")]

    def pad(values):
        values = list(values)
        return values + [None] * (2 - len(values))

    rows = []
    for c in COMPONENTS:
        if any(c.key in p for p in parts):
            rows.append(Row(pick(lang, c.en, c.zh), pad(p.get(c.key, 0) for p in parts), "component", c.key,
                            [c.what] * 2))
    rows.append(Row(pick(lang, "total (body, no heads)", "总数（主体，不含输出头）"), pad(a.total for a in accounts),
                    "total", "total"))
    rows.append(Row(pick(lang, "total with heads", "总数（含输出头）"), pad(a.total_with_heads for a in accounts),
                    "total", "total_with_heads"))
    if edited is not None and base.total_with_heads:
        change = edited.total_with_heads / base.total_with_heads
        rows.append(Row(pick(lang, "change", "变化"), ["", f"× {change:.3g}"], "info", "change"))
    for dtype in ("fp32", "fp16", "int8"):
        rows.append(Row(pick(lang, f"weights at {dtype}", f"{dtype} 权重"),
                        pad(a.memory_bytes[dtype] for a in accounts), "bytes", f"memory.{dtype}"))
    kvs = [a.kv_cache for a in accounts]
    rows.append(Row(pick(lang, "attention (kv / q heads)", "注意力（kv / q 头）"),
                    pad(f"{kv['attention']} ({kv['kv_heads']}/{kv['heads']})" if kv["bytes_per_token"] is not None
                        else pick(lang, "encoder: no KV cache", "编码器：无 KV 缓存") for kv in kvs), "info",
                    "attention"))
    rows.append(Row(pick(lang, "KV cache per token (fp16)", "每 token 的 KV 缓存（fp16）"),
                    pad(kv["bytes_per_token"] for kv in kvs), "bytes", "kv_token"))
    rows.append(Row(pick(lang, "KV cache at full context", "满上下文的 KV 缓存"),
                    pad(kv.get("bytes_at_full_context") for kv in kvs), "bytes", "kv_full"))
    rows.append(Row(pick(lang, "forward FLOPs per token", "每 token 前向 FLOPs"),
                    pad(a.flops["flops_per_token"] for a in accounts), "flops", "flops"))
    rows.append(Row(pick(lang, "fits CPU memory?", "CPU 内存放得下？"), pad(fit_text(a, free.get("cpu"), lang)
                                                                      for a in accounts), "info", "fits_cpu"))
    for name, n in free.items():
        if name != "cpu":
            rows.append(Row(pick(lang, f"fits {name}?", f"{name} 放得下？"),
                            pad(fit_text(a, n, lang) for a in accounts), "info", f"fits_{name}"))
    notes = [f"{a.name}: {source(a)}" for a in accounts]
    return Table(pick(lang, "config editor", "配置编辑器"), columns, rows, notes, pick(lang, "count", "计数"))
