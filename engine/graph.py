"""Architecture graphs: the model as boxes and arrows, read from the module and one forward pass, never drawn by hand.

How a graph is made
    1. The family's model is built on the meta device (shapes, no memory), each stack of layers two deep as in
       `engine.params` (ALBERT whole: its one shared layer is applied N times), so a 405B preset takes a
       fraction of a second.
    2. One forward pass runs on meta (S = 11 source tokens, T = 7 target tokens for T5) while the engine's recorder
       records every step and a torch-function mode follows each tensor: which component (embedding table, norm,
       attention, feed-forward, head...) or which sum of several of them it came from. A component's inputs are
       its edges; a recorded step whose value sums several sources is an `add` node (a residual add, or the sum
       of the embeddings); an input to an add that also feeds the add's other input is the skip (residual) edge.
       So pre-norm vs post-norm, T5's cross-attention from the encoder and RoPE feeding every attention are what
       the forward did, not what a picture says.
    3. The two probed layers stand for the others (the same assumption the parameter accounting makes); where
       the two differ by more than what only the first layer owns (T5's relative position bias), every layer is
       built to read each one's kind (GPT-3's dense and locally banded layers).
    4. Folding: the layers of a stack fold into one block whose nodes say "x N" (`fold=False` or `expand=` a
       stack unfolds them). Parameters are counted once per tensor: a tied tensor by the first node that uses
       it (the others name it in `tied_to`); ALBERT's shared layer once, with `shared` and `parameter_sets`.

API
    build_graph(source, fold=True, expand=())   -> networkx.DiGraph; source: a preset name, a Preset or a
                                                   LoadedModel; expand: stacks to leave unfolded
    node_for_step(graph, step)                  -> the node a recorded step belongs to
    graph_to_json(graph) / describe_graph(graph) -> what `python -m engine graph` prints
    block_traits(source, stack=None)            -> BlockTraits of one block
    compare_blocks(a, b) / describe_comparison  -> the differences of two blocks, in words

Node fields: kind (NODE_KINDS), label, params (counted once: the nodes' totals sum to
`engine.params.account(name).total_with_heads`), params_each (one layer's), repeat (x N), layers, stack, parent
(the block node holding it), shape {dims, sizes, text: "(batch, pos, hidden) = (1, T, 768)"}, steps (the recorded
step names it stands for, in order), tied_to {parameter: owner node}, shared + parameter_sets (folded) /
shared_with (unfolded), variants {word: layers} (folded) / variant (unfolded), params_inside (blocks), module,
module_class, note. Graph fields: name, family, title, group, params, notes, stacks, step_index.
Edge fields: kind (EDGE_KINDS: data, residual, cross, position, repeat); a repeat edge (one layer of a folded
block into the next) also says what it `carries` (data or residual).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from engine.construction import meta_build
from engine.errors import InputError, UnknownModelError
from engine import hooks
from engine.hooks import HookPoint, name_hook_points
from engine.layers.attention import Attention
from engine.layers.mlp import MLP, GatedMLP
from engine.layers.norms import RMSNorm
from engine.layers.rope import RotaryEmbedding
from engine.models import FAMILIES, FamilySpec

SOURCE_LENGTH, TARGET_LENGTH = 11, 7        # token counts of the meta forward; shown as the symbols S and T
POSITION_AXES = {"pos", "q_pos", "k_pos"}
EDGE_KINDS = ("data", "residual", "cross", "position", "repeat")
NODE_KINDS = ("input", "embedding", "position", "position_bias", "projection", "norm", "attention",
              "cross_attention", "mlp", "add", "block", "pooler", "head", "module")

# Words for per-layer variants, read from the lesson key of a hook that differs between layers
VARIANT_WORDS = {"attn.mask": "dense", "attn.mask_banded": "banded"}

_LAYER_ID = re.compile(r"^(?:(?P<stack>.+)\.)?blocks\.(?P<layer>\d+)(?:\.(?P<rel>.+))?$")


# --- What to draw: a preset, an edited preset or a loaded model --------------------------------------------------

@dataclass(frozen=True)
class Subject:
    name: str
    family: FamilySpec
    config: Any                    # the family's config dataclass
    analytic: str | None = None    # engine.params.ANALYTIC_PROBES key: counted from the released tensors
    preset: Any = None             # the Preset (None for a loaded model)


def subject_of(source) -> Subject:
    """A preset name, a Preset or a LoadedModel -> what to build. Unknown names raise UnknownModelError."""
    from engine.loaded import LoadedModel
    from engine.presets import Preset

    if isinstance(source, LoadedModel):
        return Subject(source.name, source.family, source.config)
    preset = source if isinstance(source, Preset) else find_preset(source)
    family = FAMILIES[preset.family]
    return Subject(preset.name, family, family.config(preset.config), preset.extra.get("analytic"), preset)


def find_preset(name):
    import difflib

    from engine.presets import all_presets, get_preset

    if not isinstance(name, str):
        raise InputError(f"Cannot draw {name!r}: give a preset name, a Preset or a loaded model.")
    preset = get_preset(name)
    if preset is None:
        close = difflib.get_close_matches(name, list(all_presets()), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " `python -m engine presets` lists them."
        raise UnknownModelError(f"No preset called {name!r}.{hint}")
    return preset


# --- 1. The module on meta, and what role each sub-module plays --------------------------------------------------

def build_on_meta(family: FamilySpec, config, full: bool = False) -> tuple[nn.Module, dict[str, int]]:
    """The family's model on meta, each stack two layers deep unless `full`; -> (module, stack -> full depth)."""
    depths, cut = {}, {}
    for stack, (field_name, attribute) in family.depth.items():
        depths[stack] = getattr(config, attribute)
        if not full:
            cut[field_name] = min(depths[stack], 2)
    with torch.device("meta"), meta_build():
        module = family.model_cls(config.replace(**cut) if cut else config)
    name_hook_points(module)
    return module, depths


def _is_norm(module: nn.Module) -> bool:
    return isinstance(module, (nn.LayerNorm, RMSNorm))


def _is_table_group(module: nn.Module) -> bool:
    """A module that only groups embedding tables (and their norm): BertEmbeddings, GPTEmbeddings..."""
    children = [c for c in module.children() if not isinstance(c, HookPoint) and c is not None]
    return (bool(children) and not list(module.parameters(recurse=False))
            and all(isinstance(c, nn.Embedding) or _is_norm(c) for c in children))


def _holds_blocks(module: nn.Module) -> bool:
    return any(isinstance(m, nn.ModuleList) for m in module.modules())


@dataclass
class Roles:
    """Each sub-module's role: "container", "list", "block", "component", "nested" (what only a stack's first
    layer owns, e.g. T5's relative position bias), "inner" (part of a component) or "hook"."""
    role: dict[int, str]
    paths: dict[int, list[str]]            # every name a module is known by (shared modules have several)
    nested_hooks: dict[int, str]           # id(hook) -> block-relative path of the nested component it serves


def module_roles(model: nn.Module) -> Roles:
    roles: dict[int, str] = {id(model): "container"}
    paths: dict[int, list[str]] = {}
    for path, module in model.named_modules(remove_duplicate=False):
        paths.setdefault(id(module), []).append(path)

    def mark_component(module: nn.Module) -> None:
        roles[id(module)] = "component"
        for inner in module.modules():
            roles.setdefault(id(inner), "hook" if isinstance(inner, HookPoint) else "inner")

    def visit(module: nn.Module) -> None:
        for child in module.children():
            if id(child) in roles:
                continue
            if isinstance(child, HookPoint):
                roles[id(child)] = "hook"
            elif isinstance(child, nn.ModuleList):
                roles[id(child)] = "list"
                visit_blocks(child)
            elif _holds_blocks(child) or _is_table_group(child):
                roles[id(child)] = "container"
                visit(child)
            else:
                mark_component(child)

    def visit_blocks(blocks: nn.ModuleList) -> None:
        for block in blocks.children():
            if isinstance(block, nn.ModuleList):
                roles[id(block)] = "list"
                visit_blocks(block)
                continue
            roles[id(block)] = "block"
            for child in block.children():
                if isinstance(child, HookPoint):
                    roles[id(child)] = "hook"
                else:
                    mark_component(child)

    visit(model)
    return Roles(roles, paths, mark_first_layer_extras(model, roles))


def mark_first_layer_extras(model: nn.Module, roles: dict[int, str]) -> dict[int, str]:
    """Sub-modules the first block of a list owns and the second lacks (T5's relative_attention_bias and its
    hooks) become "nested" components: one node of their own, outside the repeated layers. Returns which nested
    component each of their hooks serves."""
    nested_hooks: dict[int, str] = {}
    for blocks in model.modules():
        if not isinstance(blocks, nn.ModuleList) or len(blocks) < 2 or isinstance(blocks[0], nn.ModuleList):
            continue
        first = dict(blocks[0].named_modules())
        extra = only_first(blocks)
        owners = {rel for rel in extra if not isinstance(first[rel], HookPoint)
                  and not any(rel.startswith(other + ".") for other in extra if other != rel)}
        for rel in owners:
            roles[id(first[rel])] = "nested"
        for rel in extra - owners:
            siblings = [o for o in owners if o.rsplit(".", 1)[0] == rel.rsplit(".", 1)[0]]
            if isinstance(first[rel], HookPoint) and len(siblings) == 1:
                nested_hooks[id(first[rel])] = siblings[0]
    return nested_hooks


# --- 2. The forward on meta, following every tensor -------------------------------------------------------------

SCALARS = {"item": 0, "__int__": 0, "__index__": 0, "__bool__": False, "__float__": 0.0}


def _tensors(value) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _tensors(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _tensors(item)]
    return []


@dataclass
class Record:
    """One node of the traced probe. role: "input", "component", "nested", "add" or "block"."""
    id: str
    role: str
    order: int
    module: nn.Module | None = None
    steps: list[str] = field(default_factory=list)
    shape: tuple[int, ...] | None = None
    dims: tuple[str, ...] | None = None
    step_shapes: dict[str, tuple[tuple[int, ...], tuple[str, ...], str]] = field(default_factory=dict)
    nested_in: str | None = None


@dataclass
class _Frame:
    module: nn.Module
    path: str
    role: str
    node: str | None = None          # a component's node id
    instance: str | None = None      # a block's step prefix (ALBERT: blocks.k, whatever module runs it)
    nested: set[str] = field(default_factory=set)


class FlowTracer(TorchFunctionMode):
    """Follows tensors through one forward pass: `sources[id(t)]` is the set of nodes a tensor derives from.
    Module hooks turn component calls into nodes and their inputs into edges; the recorder's steps become the
    nodes' steps, and a step that sums several sources becomes an `add` node."""

    def __init__(self, model: nn.Module, roles: Roles):
        super().__init__()
        self.model, self.roles = model, roles
        self.sources: dict[int, frozenset[str]] = {}
        self.keep: list[torch.Tensor] = []     # keeps every tensor alive, so no id() is reused during the pass
        self.records: dict[str, Record] = {}
        self.edges: set[tuple[str, str]] = set()
        self.stack: list[_Frame] = []
        # steps heard since the last hook call: (name, dims, key, shape). Usually one; a step recorded as a recipe
        # without a module call (HookPoint.derived) waits here for the next hook of the same component.
        self.pending: list[tuple[str, tuple, str, tuple]] = []
        self.handles = []

    # -- tensors --
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name in SCALARS and args and isinstance(args[0], torch.Tensor) and args[0].is_meta:
            return SCALARS[name]   # data-dependent checks (GLM's position bound) read 0 on meta
        result = func(*args, **kwargs)
        origin = self.origin((args, kwargs))
        if origin:
            self.tag(result, origin)
        return result

    def origin(self, value) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        for tensor in _tensors(value):
            found |= self.sources.get(id(tensor), frozenset())
        return found

    def tag(self, value, origin: frozenset[str], replace: bool = False) -> None:
        for tensor in _tensors(value):
            self.keep.append(tensor)
            self.sources[id(tensor)] = origin if replace else self.sources.get(id(tensor), frozenset()) | origin

    # -- nodes --
    def node(self, node_id: str, role: str, **fields) -> Record:
        if node_id not in self.records:
            self.records[node_id] = Record(node_id, role, len(self.records))
        record = self.records[node_id]
        for name, value in fields.items():   # a step may name a node before its module runs (T5's buckets)
            if not getattr(record, name):
                setattr(record, name, value)
        return record

    def edge(self, sources, target: str) -> None:
        self.edges.update((source, target) for source in sources if source != target)

    # -- module calls --
    def attach(self) -> None:
        for module in self.model.modules():
            role = self.roles.role.get(id(module))
            if role == "hook":
                self.handles.append(module.register_forward_hook(self.after_hook))
            elif role in ("container", "block", "component", "nested"):
                self.handles.append(module.register_forward_pre_hook(self.enter, with_kwargs=True))
                self.handles.append(module.register_forward_hook(self.leave, with_kwargs=True))

    def detach_hooks(self) -> None:
        for handle in self.handles:
            handle.remove()

    def path_of(self, module: nn.Module) -> str:
        names = self.roles.paths[id(module)]
        parent = self.stack[-1].path if self.stack else None
        if parent is not None:
            for name in names:
                if parent == "" or name.startswith(parent + "."):
                    return name
        return names[0]

    def block_frame(self) -> _Frame | None:
        return next((f for f in reversed(self.stack) if f.role == "block"), None)

    def instance_path(self, path: str) -> str:
        """A module path as the steps name it: inside a block, the block's step prefix replaces its path."""
        block = self.block_frame()
        if block is None or not path.startswith(block.path + "."):
            return path
        return (block.instance or block.path) + path[len(block.path):]

    def enter(self, module, args, kwargs):
        role = self.roles.role[id(module)]
        frame = _Frame(module, self.path_of(module), role)
        if role in ("component", "nested"):
            frame.node = self.instance_path(frame.path)
            record = self.node(frame.node, role, module=module)
            if role == "nested":
                parent = next(f for f in reversed(self.stack) if f.role == "component")
                record.nested_in = parent.node
                parent.nested.add(frame.node)
            self.edge(self.origin((args, kwargs)), frame.node)
        self.stack.append(frame)

    def leave(self, module, args, kwargs, output):
        frame = self.stack.pop()
        if frame.node is None:
            return
        record = self.records[frame.node]
        outputs = _tensors(output)
        if outputs and record.shape is None:
            record.shape = tuple(outputs[0].shape)
        for tensor in outputs:   # the component's output is the component's; what a nested one made passes on
            sources = self.sources.get(id(tensor), frozenset())
            if not (sources and sources <= frame.nested):
                self.tag(tensor, frozenset({frame.node}), replace=True)
        if self.roles.role[id(module)] == "nested":
            self.edges.add((frame.node, record.nested_in))

    # -- recorded steps --
    def listen(self, cache) -> None:
        """Hear each step the engine's recorder adds (its name is the recorded one: ALBERT renames)."""
        add = cache.add

        def heard(name, tensor, dims, key):
            self.pending.append((name, tuple(dims), key, tuple(tensor.shape)))
            add(name, tensor, dims, key)
        cache.add = heard

    def after_hook(self, hook, args, output):
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        step = pending[-1][0]
        value = args[0]
        block = self.block_frame()
        if block is not None and block.instance is None:
            relative = self.path_of(hook)[len(block.path) + 1:]
            block.instance = step[: -len(relative) - 1] if step.endswith("." + relative) else block.path
        owner = self.owner_of(hook, step, value)
        record = self.records[owner]
        for name, dims, key, shape in pending:
            record.steps.append(name)
            record.step_shapes[name] = (shape, dims, key)

    def owner_of(self, hook: HookPoint, step: str, value: torch.Tensor) -> str:
        """Which node a step belongs to: the component it is recorded in; else a new add node when its value sums
        several sources; else the block it enters (a block's input); else the one node it came from."""
        block = self.block_frame()
        component = next((f for f in reversed(self.stack) if f.role in ("component", "nested")), None)
        if component is not None:
            nested = self.roles.nested_hooks.get(id(hook))
            if nested and block:
                return self.node(f"{block.instance or block.path}.{nested}", "nested").id
            return component.node
        sources = self.sources.get(id(value), frozenset())
        if len(sources) >= 2:
            add_id = _add_id(step)
            self.node(add_id, "add")
            self.edge(sources, add_id)
            self.tag(value, frozenset({add_id}), replace=True)
            return add_id
        if block is not None:
            prefix = (block.instance or block.path) + "."
            if not any(source.startswith(prefix) for source in sources):
                return self.node(prefix[:-1], "block").id
        if sources:
            return next(iter(sources))
        return self.node("input.input_ids", "input").id


def _add_id(step: str) -> str:
    head, _, last = step.rpartition(".")
    last = last[len("hook_"):] if last.startswith("hook_") else last
    return f"{head}.{last}" if head else last


@dataclass
class Traced:
    """The probe's traced graph, before it is stretched to the full depth."""
    records: dict[str, Record]
    edges: set[tuple[str, str]]
    model: nn.Module
    roles: Roles
    lengths: dict[str, int]          # input name -> tokens


def meta_inputs(family: FamilySpec, config) -> dict[str, torch.Tensor]:
    """The family's own inputs for bare ids, on meta; no attention mask (every token real), T5's decoder reads
    TARGET_LENGTH tokens."""
    ids = torch.zeros(1, SOURCE_LENGTH, dtype=torch.long)
    inputs = dict(family.inputs_from_ids(None, config, ids).inputs)
    inputs.pop("attention_mask", None)
    if "decoder_input_ids" in inputs:
        inputs["decoder_input_ids"] = torch.zeros(1, TARGET_LENGTH, dtype=torch.long)
    return {name: value.to("meta") for name, value in inputs.items() if isinstance(value, torch.Tensor)}


def trace_on_meta(family: FamilySpec, config, model: nn.Module) -> Traced:
    roles = module_roles(model)
    tracer = FlowTracer(model, roles)
    inputs = meta_inputs(family, config)
    for name, tensor in inputs.items():
        tracer.node(f"input.{name}", "input", shape=tuple(tensor.shape), dims=("batch", "pos"))
        tracer.tag(tensor, frozenset({f"input.{name}"}))
    tracer.attach()
    try:
        with torch.no_grad(), hooks.record(device=None) as cache:
            tracer.listen(cache)
            with tracer:
                model(**inputs)
    finally:
        tracer.detach_hooks()
    return Traced(tracer.records, tracer.edges, model, roles,
                  {name: tensor.shape[-1] for name, tensor in inputs.items()})


# --- 3. Kinds, labels, parameters and shapes of the traced nodes --------------------------------------------------

def stack_and_layer(node_id: str, stacks: set[str]) -> tuple[str | None, int | None, str]:
    """"encoder.blocks.3.attn" -> ("encoder", 3, "attn"); "blocks.2" -> ("layers", 2, ""); "encoder.final_norm" ->
    ("encoder", None, "final_norm"); "pooler" -> (None, None, "pooler")."""
    match = _LAYER_ID.match(node_id)
    if match:
        return match["stack"] or "layers", int(match["layer"]), match["rel"] or ""
    head = node_id.split(".", 1)[0]
    return (head if head in stacks else None), None, node_id


def component_kind(module: nn.Module | None, role: str) -> str:
    if role in ("input", "add", "block"):
        return role
    if role == "nested":
        return "position_bias" if isinstance(module, nn.Embedding) else "module"
    class_name = type(module).__name__
    for kind, test in (("embedding", isinstance(module, nn.Embedding)), ("norm", _is_norm(module)),
                       ("attention", isinstance(module, Attention)), ("mlp", isinstance(module, (MLP, GatedMLP))),
                       ("position", isinstance(module, RotaryEmbedding)), ("pooler", "Pooler" in class_name),
                       ("head", "Head" in class_name), ("projection", "Projection" in class_name)):
        if test:
            return kind
    return "module"


ACTIVATION_WORDS = {"gelu": "GELU", "gelu_tanh": "GELU (tanh)", "relu": "ReLU", "silu": "SiLU"}
GATED_WORDS = {"silu": "SwiGLU", "gelu": "GeGLU", "gelu_tanh": "GeGLU", "relu": "ReGLU"}
EMBEDDING_WORDS = {"embeddings.token": "token embedding", "embeddings.position": "position embedding",
                   "embeddings.block_position": "block position embedding (2D positions, row 2)",
                   "embeddings.segment": "segment embedding"}


def linears(module: nn.Module) -> list[tuple[str, nn.Linear]]:
    return [(name, m) for name, m in module.named_modules() if isinstance(m, nn.Linear)]


def activation_name(mlp: nn.Module) -> str:
    function = getattr(mlp, "act_fn", None) or getattr(mlp, "act", None)
    return getattr(function, "__name__", type(function).__name__)


def ffn_words(mlp: nn.Module) -> str:
    """"GELU" or "SwiGLU (gated)": the activation, and whether a gate multiplies it."""
    act = activation_name(mlp)
    if isinstance(mlp, GatedMLP):
        return f"{GATED_WORDS.get(act, act + ' gated')} (gated)"
    return ACTIVATION_WORDS.get(act, act)


def ffn_sizes(mlp: nn.Module) -> tuple[int, int]:
    """(hidden, feed-forward size): what the first linear reads and what the last one reads."""
    layers = linears(mlp)
    return layers[0][1].in_features, layers[-1][1].in_features


def label_of(kind: str, node_id: str, module: nn.Module | None, canonical: str, context: dict) -> str:
    if kind == "input":
        return node_id.split(".", 1)[1].replace("_ids", " ids").replace("_", " ")
    if kind == "embedding":
        words = EMBEDDING_WORDS.get(parameter_category(f"{canonical}.weight")[2], "embedding table")
        return f"{words} ({module.num_embeddings:,} x {module.embedding_dim:,})"
    if kind == "position":
        rot, head_dim = module.rot_dim, context["dims"].head_dim
        part = f", {rot} of {head_dim} dims" if rot != head_dim else ""
        return f"RoPE cos/sin tables{part}{', interleaved pairs' if module.interleaved else ''}"
    if kind == "position_bias":
        return f"relative position bias ({module.num_embeddings} buckets x {module.embedding_dim} heads)"
    if kind == "norm":
        where = context.get("norm_where", "")
        return f"{where + ' ' if where else ''}{type(module).__name__}"
    if kind == "attention":
        dims = context["dims"]
        kv = f", {dims.kv_heads} key/value heads" if dims.kv_heads != dims.heads else ""
        return f"self-attention ({dims.heads} heads{kv})"
    if kind == "mlp":
        hidden, ffn = ffn_sizes(module)
        return f"feed-forward {ffn_words(module)} ({hidden} -> {ffn} -> {hidden})"
    if kind == "projection":
        layer = linears(module)[0][1]
        return f"projection ({layer.in_features} -> {layer.out_features})"
    if kind == "head":
        stem = canonical.rsplit(".", 1)[-1].removesuffix("_head")
        return f"{stem.upper() if len(stem) <= 3 else stem} head"
    if kind == "block":
        stack = node_id.split(".blocks.", 1)[0] if ".blocks." in node_id else ""
        return f"{stack} block".strip()
    if kind == "add":
        return "add"
    return canonical or node_id


def parameter_category(name: str) -> tuple[str | None, int | None, str]:
    """A parameter name -> (stack, layer, the accounting's category), as engine.params sorts it."""
    from engine.params import GLOBAL_PARTS, LAYER_PARTS, category

    match = re.match(r"^(?:(?P<stack>encoder|decoder)\.)?blocks\.(?P<layer>\d+)\.(?P<rest>.+)$", name)
    if match:
        return match["stack"] or "layers", int(match["layer"]), category(match["rest"], LAYER_PARTS)
    stack, _, rest = name.partition(".") if name.startswith(("encoder.", "decoder.")) else (None, "", name)
    return stack, None, category(rest, GLOBAL_PARTS)


def own_parameters(record: Record, roles: Roles) -> list[tuple[str, nn.Parameter]]:
    """The parameters a node's module holds, less those of a nested component (its own node)."""
    if record.module is None:
        return []
    nested = [name for name, m in record.module.named_modules() if name and roles.role.get(id(m)) == "nested"]
    return [(name, p) for name, p in record.module.named_parameters()
            if not any(name.startswith(prefix + ".") for prefix in nested)]


def count_parameters(records: list[Record], roles: Roles) -> dict[str, dict]:
    """Each tensor counted once, by the first node (in computation order) that uses it; later users name it in
    tied_to, and a module applied again (ALBERT's shared layer, T5's shared table) names its first use."""
    owner: dict[int, str] = {}
    first_use: dict[int, str] = {}
    counts: dict[str, dict] = {}
    for record in records:
        own, tied = 0, {}
        parameters = own_parameters(record, roles)
        for name, parameter in parameters:
            if id(parameter) in owner:
                tied[name] = owner[id(parameter)]
            else:
                owner[id(parameter)] = record.id
                own += parameter.numel()
        entry = {"params": own, "params_each": own}
        if record.module is not None and id(record.module) in first_use:   # the same module, applied again
            entry["shared_with"] = first_use[id(record.module)]
            entry["params_each"] = sum(p.numel() for _, p in parameters)
        elif tied:
            entry["tied_to"] = tied
        if record.module is not None:
            first_use.setdefault(id(record.module), record.id)
        counts[record.id] = entry
    return counts


def shape_of(record: Record, lengths: dict[str, int]) -> dict | None:
    """{dims, sizes, text}: the node's output, e.g. (batch, pos, hidden) = (1, T, 768)."""
    shape, dims = record.shape, record.dims
    matching = [(s, d) for s, d, _ in record.step_shapes.values() if shape is None or s == shape]
    if matching or record.step_shapes:   # no step of the output's shape: the node's last recorded step
        shape, dims = (matching or [(s, d) for s, d, _ in record.step_shapes.values()])[-1]
    if shape is None:
        return None
    if dims is None or len(dims) != len(shape):
        dims = ("?",) * len(shape)
    symbols = {lengths.get("input_ids"): "S" if "decoder_input_ids" in lengths else "T",
               lengths.get("decoder_input_ids"): "T"}
    sizes = [symbols.get(size, size) if label in POSITION_AXES else size for size, label in zip(shape, dims)]
    text = f"({', '.join(dims)}) = ({', '.join(str(s) for s in sizes)})"
    return {"dims": list(dims), "sizes": sizes, "text": text}


# --- 4. The probe's graph: nodes with their facts, edges with their kinds -----------------------------------------

def block_id(stack: str, layer: int | str) -> str:
    """The block node of a layer: "blocks.3", "encoder.blocks.3"."""
    return f"blocks.{layer}" if stack == "layers" else f"{stack}.blocks.{layer}"


def stack_names(model: nn.Module, roles: Roles) -> set[str]:
    """Containers below the model that hold layers (T5's encoder and decoder)."""
    return {path for path, m in model.named_modules()
            if path and roles.role.get(id(m)) == "container" and _holds_blocks(m)}


def norm_where(model: nn.Module, canonical: str, layer: int | None) -> str:
    """"" for a norm inside a layer, "embedding" for one among the embedding tables, else "final"."""
    if layer is not None:
        return ""
    parent = canonical.rpartition(".")[0]
    return "embedding" if parent and _is_table_group(model.get_submodule(parent)) else "final"


def probe_graph(traced: Traced, subject: Subject) -> nx.DiGraph:
    records = sorted(traced.records.values(), key=lambda r: r.order)
    counts = count_parameters(records, traced.roles)
    stacks = stack_names(traced.model, traced.roles)
    dims = subject.family.attention_dims(subject.config)
    graph = nx.DiGraph()
    for record in records:
        stack, layer, rel = stack_and_layer(record.id, stacks)
        if record.role == "nested":   # what only the first layer owns belongs to the whole stack
            layer, rel = None, record.id
        canonical = traced.roles.paths[id(record.module)][0] if record.module is not None else ""
        kind = component_kind(record.module, record.role)
        context = {"dims": dims, "norm_where": norm_where(traced.model, canonical, layer) if kind == "norm" else ""}
        graph.add_node(record.id, kind=kind, label=label_of(kind, record.id, record.module, canonical, context),
                       stack=stack, layer=layer,
                       parent=block_id(stack, layer) if layer is not None and rel else None,
                       steps=list(record.steps), shape=shape_of(record, traced.lengths), repeat=1,
                       module=canonical or None,
                       module_class=type(record.module).__name__ if record.module is not None else None,
                       **counts[record.id])
    add_edges(graph, traced.edges)
    return graph


def add_edges(graph: nx.DiGraph, edges: set[tuple[str, str]]) -> None:
    """The traced edges, less the masks (inputs feed only embedding tables and position tables), then each
    edge's kind; an attention fed from another stack becomes a cross-attention."""
    position = {node: index for index, node in enumerate(graph.nodes)}
    for source, target in sorted(edges, key=lambda edge: (position[edge[1]], position[edge[0]])):
        if graph.nodes[source]["kind"] != "input" or graph.nodes[target]["kind"] in ("embedding", "position"):
            graph.add_edge(source, target)
    for node, data in list(graph.nodes(data=True)):   # positions counted from the input (arange): no traced edge
        if data["kind"] in ("embedding", "position") and not graph.in_degree(node):
            stream = "input.decoder_input_ids" if data["stack"] == "decoder" else "input.input_ids"
            if stream in graph:
                graph.add_edge(stream, node)
    for source, target in graph.edges:
        graph.edges[source, target]["kind"] = edge_kind(graph, source, target)
    for source, target, data in graph.edges(data=True):
        if data["kind"] == "cross" and graph.nodes[target]["kind"] == "attention":
            graph.nodes[target]["kind"] = "cross_attention"
            graph.nodes[target]["label"] = graph.nodes[target]["label"].replace("self-attention", "cross-attention")


def edge_kind(graph: nx.DiGraph, source: str, target: str) -> str:
    """position: from a position table into attention; residual: into an add from a value that also feeds the
    add's other input (the skip around a sub-layer); cross: into attention from another stack; else data."""
    source_data, target_data = graph.nodes[source], graph.nodes[target]
    if source_data["kind"] in ("position", "position_bias") and target_data["kind"] == "attention":
        return "position"
    if target_data["kind"] == "add" and any(other != source and nx.has_path(graph, source, other)
                                            for other in graph.predecessors(target)):
        return "residual"
    if (target_data["kind"] == "attention" and source_data["stack"] and target_data["stack"]
            and source_data["stack"] != target_data["stack"]):
        return "cross"
    return "data"


# --- 5. From the probe to every layer -------------------------------------------------------------------------------

def plain_copy(value):
    """A copy of JSON-like node data (dicts, lists, scalars): what copy.deepcopy does, without its cost."""
    if isinstance(value, dict):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_copy(item) if isinstance(item, (dict, list)) else item for item in value]
    return value


def _moved(name: str, stack: str, old: int, new: int) -> str:
    """A node id or step name of layer `old` as layer `new`'s."""
    prefix = block_id(stack, old)
    if name == prefix or name.startswith(prefix + "."):
        return block_id(stack, new) + name[len(prefix):]
    return name


def stretch(graph: nx.DiGraph, stack: str, depth: int, template) -> None:
    """Give a stack probed p layers deep all `depth` layers: layer i copies layer template(i) (its nodes, steps,
    parameters and inner edges); edges between consecutive layers repeat; what fed the last probed layer from
    outside (RoPE, T5's bias and encoder) feeds every later one; what left it leaves the last layer."""
    layer_of = {n: d["layer"] for n, d in graph.nodes(data=True) if d["stack"] == stack and d["layer"] is not None}
    probed = sorted(set(layer_of.values()))
    last = len(probed) - 1
    if depth <= len(probed):
        return
    for layer in range(len(probed), depth):
        source = template(layer)
        for node in [n for n, l in layer_of.items() if l == source]:
            data = dict(graph.nodes[node])   # shape and tied_to are shared, never changed: fold_stacks copies
            data.update(layer=layer, steps=[_moved(s, stack, source, layer) for s in data["steps"]],
                        parent=_moved(data["parent"], stack, source, layer) if data["parent"] else None)
            graph.add_node(_moved(node, stack, source, layer), **data)

    def link(u: str, v: str, data: dict) -> None:
        if u in graph and v in graph:
            graph.add_edge(u, v, **data)

    for u, v, data in list(graph.edges(data=True)):
        lu, lv = layer_of.get(u), layer_of.get(v)
        if lu is not None and lv is not None and lu == lv:
            for layer in range(len(probed), depth):
                if template(layer) == lu:
                    link(_moved(u, stack, lu, layer), _moved(v, stack, lv, layer), data)
        elif lu is not None and lv is not None and lv == lu + 1:
            for layer in range(last, depth - 1):
                link(_moved(u, stack, lu, layer), _moved(v, stack, lv, layer + 1), data)
        elif lu is None and lv == last and last > 0:
            for layer in range(len(probed), depth):
                link(u, _moved(v, stack, lv, layer), data)
        elif lv is None and lu == last:
            graph.remove_edge(u, v)
            link(_moved(u, stack, lu, depth - 1), v, data)


def block_lists(model: nn.Module, stacks: set[str]) -> dict[str, nn.ModuleList]:
    """stack -> its ModuleList of blocks (ALBERT's nested groups flattened to their first group's list)."""
    found = {}
    for path, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) and not isinstance(module[0], nn.ModuleList):
            head = path.split(".", 1)[0]
            found.setdefault(head if head in stacks else "layers", module)
    return found


def signature(block: nn.Module, skip: set[str]) -> tuple[tuple, tuple]:
    """(parameter structure, hook keys) of a block, less what only the first layer owns."""
    structure, keys = [], []
    for rel, module in block.named_modules():
        if rel in skip:
            continue
        if isinstance(module, HookPoint):
            keys.append((rel, module.key))
        else:
            shapes = tuple((n, tuple(p.shape)) for n, p in module.named_parameters(recurse=False))
            structure.append((rel, type(module).__name__, shapes))
    return tuple(structure), tuple(keys)


def only_first(blocks: nn.ModuleList) -> set[str]:
    if len(blocks) < 2:
        return set()
    return set(dict(blocks[0].named_modules())) - set(dict(blocks[1].named_modules()))


@dataclass
class Layers:
    """Per stack: each layer's parameter structure (what folds together), the probed layer it copies, and the
    variant words of its components where the layers differ (GPT-3: attn dense / banded)."""
    structure: dict[str, list[tuple]]
    template: dict[str, list[int]]
    variants: dict[str, list[dict[str, str]]]
    built_every_layer: bool = False


def read_layers(subject: Subject, model: nn.Module, stacks: set[str], depths: dict[str, int],
                probed: dict[str, int]) -> Layers:
    """The probe's layers stand for the rest when they agree (less first-layer extras); when they do not, every
    layer is built (on meta) to read each one's structure and hook keys."""
    lists = block_lists(model, stacks)
    probe_signatures = {stack: [signature(b, only_first(blocks)) for b in blocks] for stack, blocks in lists.items()}
    agree = all(len(set(sigs)) <= 1 for sigs in probe_signatures.values())
    every = probe_signatures
    if not agree and subject.family.depth:
        full, _ = build_on_meta(subject.family, subject.config, full=True)
        every = {stack: [signature(b, only_first(blocks)) for b in blocks]
                 for stack, blocks in block_lists(full, stacks).items()}
    layers = Layers({}, {}, {}, built_every_layer=not agree)
    for stack, count in probed.items():
        depth = depths.get(stack, count)
        sigs = every.get(stack) or probe_signatures[stack]
        sigs = sigs + [sigs[-1]] * (depth - len(sigs))   # agreeing probes: the last stands for the rest
        probe = probe_signatures[stack]
        layers.template[stack] = [next((j for j in [min(i, len(probe) - 1), *range(len(probe))]
                                        if probe[j] == sigs[i]), min(i, len(probe) - 1)) for i in range(depth)]
        layers.structure[stack] = [s[0] for s in sigs]
        layers.variants[stack] = variant_words([s[1] for s in sigs])
    return layers


def variant_words(keys_per_layer: list[tuple]) -> list[dict[str, str]]:
    """Hook keys not every layer shares, as words per component: [{"attn": "dense"}, {"attn": "banded"}, ...]."""
    common = set.intersection(*(set(keys) for keys in keys_per_layer)) if keys_per_layer else set()
    return [{rel.split(".", 1)[0]: VARIANT_WORDS.get(key, key) for rel, key in keys if (rel, key) not in common}
            for keys in keys_per_layer]


# --- 6. Parameters of an architecture this app counts from its released tensors (GLM-130B, ChatGLM-6B) -------

def analytic_counts(graph: nx.DiGraph, subject: Subject, model: nn.Module) -> None:
    """Overwrite each node's count with the released tensors of its component: a tensor goes to the node holding
    the same category (engine.params' breakdown), else one of the same sub-layer (attn.*, mlp.*), a layer's norms
    are split evenly over its norm nodes; a category no node holds gets a node of its own."""
    from engine.params import ANALYTIC_PROBES

    held: dict[tuple, list[str]] = {}
    for node, data in graph.nodes(data=True):
        data["params"] = data["params_each"] = 0
        if data["module"] and data["kind"] not in ("input", "add", "block"):
            for name, _ in model.get_submodule(data["module"]).named_parameters():
                stack, layer, part = parameter_category(f"{data['module']}.{name}")
                held.setdefault((stack, layer, part), []).append(node)
    for tensor in ANALYTIC_PROBES[subject.analytic](subject.config).tensors:
        stack, layer, part = parameter_category(tensor.name)
        owners = _analytic_owners(graph, held, stack, layer, part)
        if not owners:
            owners = [_released_only_node(graph, part)]
        for index, owner in enumerate(owners):
            share = tensor.count // len(owners) + (tensor.count % len(owners) if index == 0 else 0)
            graph.nodes[owner]["params"] += share
            graph.nodes[owner]["params_each"] += share
    for node, data in graph.nodes(data=True):
        if (data["module"] and data["kind"] not in ("input", "add", "block", "position") and not data["params"]
                and not data.get("tied_to") and not data.get("shared_with")):
            data["note"] = "not in the released tensors: counted 0 (this app's class approximates the model)"


def _analytic_owners(graph, held, stack, layer, part) -> list[str]:
    if part == "norms":
        return [n for n, d in graph.nodes(data=True) if d["kind"] == "norm" and d["layer"] == layer
                and d["stack"] == stack and layer is not None]
    owners = list(dict.fromkeys(held.get((stack, layer, part), [])))
    if owners:
        return owners[:1]
    family = part.split(".", 1)[0]
    similar = [nodes for (s, l, p), nodes in held.items() if s == stack and l == layer and "." in part
               and p.split(".", 1)[0] == family]
    return similar[0][:1] if similar else []


def _released_only_node(graph: nx.DiGraph, part: str) -> str:
    node = f"released.{part}"
    if node not in graph:
        graph.add_node(node, kind="norm" if "norm" in part else "module", stack=None, layer=None,
                       label=f"{part.replace('_', ' ')} (released tensors only)", parent=None, steps=[],
                       shape=None, repeat=1, module=None, module_class=None, params=0, params_each=0,
                       note="in the released tensors, not in this app's class: no step of a trace shows it")
    return node


# --- 7. The whole architecture, every layer, cached per preset ----------------------------------------------------

@dataclass
class Architecture:
    subject: Subject
    graph: nx.DiGraph                 # every layer, unfolded, nodes in computation order
    layers: Layers
    depths: dict[str, int]            # stack -> layers applied
    probed: dict[str, int]            # stack -> layers traced
    notes: list[str]
    model: nn.Module                  # the probe, on meta: what block_traits reads


def architecture(source) -> Architecture:
    """The unfolded architecture of a preset name (cached), a Preset or a LoadedModel."""
    if isinstance(source, str):
        find_preset(source)   # an unknown name fails here, with a hint
        return _preset_architecture(source)
    return build_architecture(subject_of(source))


@lru_cache(maxsize=128)
def _preset_architecture(name: str) -> Architecture:
    return build_architecture(subject_of(name))


def build_architecture(subject: Subject) -> Architecture:
    model, depths = build_on_meta(subject.family, subject.config)
    traced = trace_on_meta(subject.family, subject.config, model)
    graph = probe_graph(traced, subject)
    if subject.analytic:
        analytic_counts(graph, subject, model)
    probed = layers_traced(graph)
    layers = read_layers(subject, model, stack_names(model, traced.roles), depths, probed)
    probe_order = list(graph.nodes)
    for stack, depth in depths.items():
        stretch(graph, stack, depth, lambda i, s=stack: layers.template[s][i])
    full_depths = {stack: depths.get(stack, count) for stack, count in probed.items()}
    mark_variants(graph, layers)
    graph = reordered(graph, in_computation_order(graph, probe_order, probed, full_depths))
    add_params_inside(graph)
    return Architecture(subject, graph, layers, full_depths, probed, notes_of(subject, layers, probed, full_depths),
                        model)


def layers_traced(graph: nx.DiGraph) -> dict[str, int]:
    """stack -> how many of its layers the probe ran (ALBERT: every application of its shared layer)."""
    traced: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        if data["layer"] is not None:
            traced[data["stack"]] = max(traced.get(data["stack"], 0), data["layer"] + 1)
    return traced


def add_params_inside(graph: nx.DiGraph) -> None:
    """A block node owns no parameters; params_inside is what its components hold (shared: once)."""
    inside: dict[str, list[dict]] = {}
    for _, data in graph.nodes(data=True):
        if data["parent"]:
            inside.setdefault(data["parent"], []).append(data)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "block":
            data["params_inside"] = sum(child["params"] for child in inside.get(node, []))
            if any(child.get("shared") for child in inside.get(node, [])):
                data["shared"] = True


def mark_variants(graph: nx.DiGraph, layers: Layers) -> None:
    for stack, per_layer in layers.variants.items():
        for layer, words in enumerate(per_layer):
            for rel, word in words.items():
                node = f"{block_id(stack, layer)}.{rel}"
                if node in graph:
                    graph.nodes[node]["variant"] = word


def in_computation_order(graph: nx.DiGraph, probe_order: list[str], probed: dict[str, int],
                         depths: dict[str, int]) -> list[str]:
    """The probe's order, with the layers made by `stretch` where the last probed layer was."""
    by_layer: dict[tuple[str, int], list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data["layer"] is not None:
            by_layer.setdefault((data["stack"], data["layer"]), []).append(node)
    first_layer_extras = [n for n in probe_order if graph.nodes[n]["layer"] is None and _LAYER_ID.match(n)]
    order, stretched = [], set()
    for node in probe_order:
        stack, layer = graph.nodes[node]["stack"], graph.nodes[node]["layer"]
        if node in first_layer_extras:
            continue
        if layer == 0 and node == block_id(stack, 0):   # a stack's first-layer extras open the stack
            order.extend(n for n in first_layer_extras if graph.nodes[n]["stack"] == stack)
        if layer is None or layer < probed[stack] - 1:
            order.append(node)
        elif stack not in stretched:
            stretched.add(stack)
            for later in range(layer, depths[stack]):
                order.extend(by_layer.get((stack, later), []))
    placed = set(order)
    return order + [n for n in graph.nodes if n not in placed]


def reordered(graph: nx.DiGraph, order: list[str]) -> nx.DiGraph:
    result = nx.DiGraph(**graph.graph)
    result.add_nodes_from((node, graph.nodes[node]) for node in order)
    result.add_edges_from(graph.edges(data=True))
    return result


def notes_of(subject: Subject, layers: Layers, probed: dict[str, int], depths: dict[str, int]) -> list[str]:
    notes = []
    probed_stacks = [s for s in depths if probed[s] < depths[s]]
    if probed_stacks:
        built = " and ".join(f"{probed[s]} of {depths[s]} {'' if s == 'layers' else s + ' '}layers"
                             for s in probed_stacks)
        notes.append(f"Built on meta with {built} and traced once; the other layers repeat the last probed one"
                     + (" (every layer was built to read which kind each is)." if layers.built_every_layer else "."))
    for stack, per_layer in layers.variants.items():
        kinds = layer_kind_words(per_layer)
        if kinds:
            window = getattr(subject.config, "sparse_window", None)
            which = "Layers" if stack == "layers" else f"The {stack} layers"
            notes.append(f"{which} differ in {kinds}" + (f"; band width {window}" if window else "") + ".")
    if subject.analytic:
        notes.append("Parameters are counted from the released tensor layout (analytic); the boxes are this "
                     f"app's {subject.family.model_class} class, which approximates it. "
                     + (subject.preset.notes if subject.preset is not None else ""))
    return notes


def _layer_list(layers: list[int]) -> str:
    if len(layers) > 6:
        step = layers[1] - layers[0]
        if all(b - a == step for a, b in zip(layers, layers[1:])):
            return f"{layers[0]}, {layers[1]}, ... {layers[-1]}" + (f" (every {step})" if step > 1 else "")
    return ", ".join(map(str, layers))


# --- 8. Folding, and the graph a caller gets ----------------------------------------------------------------------

def runs(structure: list[tuple]) -> list[tuple[int, int]]:
    """Consecutive layers of equal parameter structure: [(first, last), ...]."""
    groups: list[tuple[int, int]] = []
    for layer, current in enumerate(structure):
        if groups and structure[groups[-1][0]] == current:
            groups[-1] = (groups[-1][0], layer)
        else:
            groups.append((layer, layer))
    return groups


def group_id(stack: str, first: int, last: int) -> str:
    """The folded block of layers first..last: "blocks.0-11", "decoder.blocks.0-5" ("blocks.3" for one layer)."""
    return block_id(stack, str(first) if first == last else f"{first}-{last}")


def build_graph(source, fold: bool = True, expand=()) -> nx.DiGraph:
    """The architecture graph of a preset name, a Preset or a LoadedModel (see the module's docstring for the
    fields). fold: repeated layers as one block "x N"; expand: stacks to leave unfolded ("layers", "encoder",
    "decoder")."""
    arch = architecture(source)
    unknown = set(expand) - set(arch.depths)
    if unknown:
        raise InputError(f"{arch.subject.name} has no stack {', '.join(sorted(unknown))}; its stacks: "
                         f"{', '.join(arch.depths)}.")
    folded = {stack for stack in arch.depths if fold and stack not in set(expand)}
    graph = fold_stacks(arch, folded)
    subject = arch.subject
    graph.graph.update(
        name=subject.name, family=subject.family.name, title=subject.family.title, group=subject.family.group,
        params=sum(d["params"] for _, d in graph.nodes(data=True)), notes=list(arch.notes),
        stacks={stack: {"depth": depth, "probed": arch.probed[stack], "folded": stack in folded,
                        "groups": [list(g) for g in runs(arch.layers.structure[stack])]}
                for stack, depth in arch.depths.items()},
        step_index={step: node for node, d in graph.nodes(data=True) for step in d["steps"]})
    return graph


def fold_stacks(arch: Architecture, stacks: set[str]) -> nx.DiGraph:
    graph = arch.graph
    group_of = {(stack, layer): group_id(stack, first, last) for stack in stacks
                for first, last in runs(arch.layers.structure[stack]) for layer in range(first, last + 1)}
    target = {node: _regrouped(node, data["stack"], data["layer"], group_of[data["stack"], data["layer"]])
              for node, data in graph.nodes(data=True) if (data["stack"], data["layer"]) in group_of}
    result = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        into = target.get(node, node)
        if into not in result:
            result.add_node(into, **_fresh(data, target))
        else:
            _merge(result.nodes[into], data)
    for _, data in result.nodes(data=True):
        _settle(data)

    def group(node: str):
        return group_of.get((graph.nodes[node]["stack"], graph.nodes[node]["layer"]))

    for u, v, data in graph.edges(data=True):
        gu, gv = target.get(u, u), target.get(v, v)
        if result.has_edge(gu, gv):
            continue
        if group(u) is not None and group(u) == group(v) and graph.nodes[u]["layer"] != graph.nodes[v]["layer"]:
            result.add_edge(gu, gv, kind="repeat", carries=data["kind"])   # one layer into the next: "x N"
        else:
            result.add_edge(gu, gv, kind=data["kind"])
    add_params_inside(result)
    return result


def layer_nodes(graph: nx.DiGraph, stack: str, layer: int) -> list[str]:
    prefix = block_id(stack, layer)
    return [n for n in graph.nodes if n == prefix or n.startswith(prefix + ".")
            if graph.nodes[n]["layer"] == layer]


def _regrouped(node: str, stack: str, layer: int, group: str) -> str:
    return group + node[len(block_id(stack, layer)):]


def _fresh(data: dict, target: dict[str, str]) -> dict:
    """A folded node's data from its first layer's: its own copy, with what _merge adds up."""
    fresh = plain_copy(data)
    fresh["layers"] = [data["layer"]] if data["layer"] is not None else None
    fresh["parent"] = target.get(data["parent"], data["parent"]) if data["parent"] else None
    fresh["_variants"] = {data["variant"]: [data["layer"]]} if data.get("variant") else {}
    fresh["_sets"] = 0 if data.get("shared_with") else 1
    return fresh


def _merge(into: dict, data: dict) -> None:
    """One more layer folded into a node: parameters added (a shared layer adds none), steps appended."""
    into["repeat"] += 1
    into["layers"].append(data["layer"])
    into["params"] += data["params"]
    into["steps"].extend(data["steps"])
    into["_sets"] += 0 if data.get("shared_with") else 1
    if data.get("tied_to"):
        into.setdefault("tied_to", {}).update(data["tied_to"])
    if data.get("variant"):
        into["_variants"].setdefault(data["variant"], []).append(data["layer"])


def _settle(data: dict) -> None:
    """The folded node's last words: the layers' variants, and whether they share one parameter set."""
    variants, sets = data.pop("_variants"), data.pop("_sets")
    if data["repeat"] > 1:
        data["layer"] = None
        data.pop("variant", None)
        data.pop("shared_with", None)
        if variants:
            data["variants"] = variants
        if data["kind"] not in ("block", "add") and sets < data["repeat"]:
            data["shared"] = True
            data["parameter_sets"] = sets


def node_for_step(graph: nx.DiGraph, step: str) -> str | None:
    """The node a recorded step belongs to (what a view highlights while that step plays)."""
    return graph.graph["step_index"].get(step)


# --- 9. JSON and text ------------------------------------------------------------------------------------------

NODE_FIELDS = ("kind", "label", "params", "params_each", "repeat", "layers", "stack", "parent", "shape", "steps",
               "tied_to", "shared", "parameter_sets", "shared_with", "variants", "variant", "params_inside",
               "module", "module_class", "note")


def graph_to_json(graph: nx.DiGraph) -> dict:
    meta = {k: v for k, v in graph.graph.items() if k != "step_index"}
    nodes = [{"id": node, **{k: data[k] for k in NODE_FIELDS if data.get(k) is not None}}
             for node, data in graph.nodes(data=True)]
    edges = [{"from": u, "to": v, **data} for u, v, data in graph.edges(data=True)]
    return {**meta, "nodes": nodes, "edges": edges}


def describe_graph(graph: nx.DiGraph, steps_shown: int = 3) -> str:
    """The graph as indented text: one line per node (blocks hold their components), its inputs and steps."""
    meta = graph.graph
    lines = [f"{meta['name']}: {meta['title']} ({meta['group']}), {graph.number_of_nodes()} nodes, "
             f"{graph.number_of_edges()} edges, {meta['params']:,} parameters (tied tensors counted once)"]
    lines += [f"  note: {note}" for note in meta["notes"]]
    for node, data in graph.nodes(data=True):
        indent = "    " if data["parent"] else "  "
        repeat = f" x{data['repeat']}" if data["repeat"] > 1 else ""
        count = data.get("params_inside", data["params"])
        extra = "".join(f"  [{text}]" for text in _marks(data))
        shape = data["shape"]["text"] if data["shape"] else ""
        lines.append(f"{indent}{node}  {data['kind']}{repeat}: {data['label']}  {count:,} params  {shape}{extra}")
        inputs = [u + _edge_words(graph.edges[u, node]) for u in graph.predecessors(node)]
        if inputs:
            lines.append(f"{indent}    <- {', '.join(inputs)}")
        if data["steps"]:
            shown = ", ".join(data["steps"][:steps_shown])
            more = f", ... ({len(data['steps'])} steps)" if len(data["steps"]) > steps_shown else ""
            lines.append(f"{indent}    steps: {shown}{more}")
    return "\n".join(lines)


def _edge_words(edge: dict) -> str:
    words = [w for w in (edge["kind"], edge.get("carries")) if w and w != "data"]
    return f" ({', '.join(words)})" if words else ""


def _marks(data: dict) -> list[str]:
    marks = []
    if data.get("shared"):
        marks.append(f"shared: {data.get('parameter_sets', 1)} parameter set(s) applied {data['repeat']} times")
    if data.get("shared_with"):
        marks.append(f"same parameters as {data['shared_with']}")
    if data.get("tied_to"):
        marks.append("tied: " + ", ".join(f"{k} = {v}" for k, v in data["tied_to"].items()))
    if data.get("variants"):
        marks.append("; ".join(f"{word}: layers {_layer_list(layers)}" for word, layers in data["variants"].items()))
    if data.get("variant"):
        marks.append(data["variant"])
    if data.get("note"):
        marks.append(data["note"])
    return marks


# --- 10. One block's traits, and two blocks compared in words ------------------------------------------------------

@dataclass(frozen=True)
class BlockTraits:
    """What a block is made of, read from the probe module and its traced graph (never from the preset's name)."""
    name: str
    stack: str
    norm: str                      # "LayerNorm" / "RMSNorm"
    placement: str                 # "pre-norm" / "post-norm" / "mixed"
    residual_scale: float | None   # the residual multiplied before each add (GLM's DeepNorm alpha)
    final_norm: bool
    feed_forward: str              # "GELU", "SwiGLU (gated)" ...
    gated: bool
    hidden: int
    ffn: int
    attention: str                 # "MHA" / "GQA" / "MQA"
    heads: int
    kv_heads: int
    head_dim: int
    position: str                  # "learned absolute" / "RoPE" / "relative position bias" ...
    biases: str                    # "biases in attention, feed-forward, norms" / "no bias terms"
    cross_attention: bool
    sharing: str                   # "" or "1 parameter set for 12 layers"
    layer_kinds: str               # "" or "attn: dense (0, 2, ...), banded (1, 3, ...)"
    note: str = ""


def block_traits(source, stack: str | None = None) -> BlockTraits:
    """The traits of one block of a preset / Preset / LoadedModel; stack: "layers", "encoder" or "decoder"
    (default: the first)."""
    arch = architecture(source)
    stack = stack or next(iter(arch.depths))
    if stack not in arch.depths:
        raise InputError(f"{arch.subject.name} has no stack {stack!r}; its stacks: {', '.join(arch.depths)}.")
    graph, model = arch.graph, arch.model
    nodes = {n: graph.nodes[n] for n in layer_nodes(graph, stack, 0)}

    def by_kind(*kinds: str) -> list[str]:
        return [n for n, d in nodes.items() if d["kind"] in kinds]
    mlp = model.get_submodule(nodes[by_kind("mlp")[0]]["module"])
    attention = model.get_submodule(nodes[by_kind("attention")[0]]["module"])
    block = model.get_submodule(nodes[by_kind("attention")[0]]["module"].rsplit(".", 1)[0])
    dims = arch.subject.family.attention_dims(arch.subject.config)
    hidden, ffn = ffn_sizes(mlp)
    alpha = getattr(arch.subject.config, "residual_alpha", getattr(block, "alpha", None))   # the probe is cut short
    from engine.params import attention_kind

    return BlockTraits(
        name=arch.subject.name, stack=stack,
        norm=" + ".join(sorted({nodes[n]["module_class"] for n in by_kind("norm")})) or "none",
        placement=norm_placement(graph, by_kind("norm")),
        residual_scale=alpha if isinstance(alpha, float) and alpha != 1.0 else None,
        final_norm=any(d["kind"] == "norm" and d["label"].startswith("final") and d["stack"] in (stack, None)
                       for _, d in graph.nodes(data=True)),
        feed_forward=ffn_words(mlp), gated=isinstance(mlp, GatedMLP), hidden=hidden, ffn=ffn,
        attention=attention_kind(dims.heads, dims.kv_heads), heads=dims.heads, kv_heads=dims.kv_heads,
        head_dim=dims.head_dim, position=position_scheme(graph, model, stack, dims.head_dim),
        biases=bias_words(attention, mlp, [model.get_submodule(nodes[n]["module"]) for n in by_kind("norm")]),
        cross_attention=bool(by_kind("cross_attention")), sharing=sharing_words(graph, stack, arch.depths[stack]),
        layer_kinds=layer_kind_words(arch.layers.variants.get(stack, [])),
        note="the module is this app's approximation of the released model" if arch.subject.analytic else "")


def norm_placement(graph: nx.DiGraph, norms: list[str]) -> str:
    """A norm on the residual stream (it feeds a skip edge, or leaves its block) is post-norm; one that only
    feeds its own sub-layer is pre-norm."""
    def on_stream(norm: str) -> bool:
        parent = graph.nodes[norm]["parent"]
        return any(graph.edges[norm, after]["kind"] == "residual" or graph.nodes[after]["parent"] != parent
                   for after in graph.successors(norm))
    places = {"post-norm" if on_stream(n) else "pre-norm" for n in norms}
    return places.pop() if len(places) == 1 else ("mixed" if places else "no norm")


def position_scheme(graph: nx.DiGraph, model: nn.Module, stack: str, head_dim: int) -> str:
    schemes = []
    tables = {parameter_category(f"{d['module']}.weight")[2] for _, d in graph.nodes(data=True)
              if d["kind"] == "embedding" and d["module"]}
    if "embeddings.position" in tables:
        schemes.append("learned absolute positions" + (", 2D (a second, block position table)"
                                                         if "embeddings.block_position" in tables else ""))
    if any(d["kind"] == "position_bias" and d["stack"] == stack for _, d in graph.nodes(data=True)):
        schemes.append("relative position bias (learned per head and distance bucket)")
    for _, d in graph.nodes(data=True):
        if d["kind"] == "position":
            rotary = model.get_submodule(d["module"])
            part = f" on {rotary.rot_dim} of {head_dim} dims per head" if rotary.rot_dim != head_dim else ""
            schemes.append(f"RoPE (rotary){part}{', interleaved pairs' if rotary.interleaved else ''}")
    return "; ".join(schemes) or "none"


def bias_words(attention: nn.Module, mlp: nn.Module, norms: list[nn.Module]) -> str:
    parts = []
    for part, module in (("attention", attention), ("feed-forward", mlp)):
        layers = linears(module)
        biased = [name for name, layer in layers if layer.bias is not None]
        if biased:
            parts.append(part if len(biased) == len(layers) else f"{part} {'/'.join(biased)} only")
    if any(getattr(norm, "bias", None) is not None for norm in norms):
        parts.append("norms")
    return "biases in " + ", ".join(parts) if parts else "no bias terms"


def sharing_words(graph: nx.DiGraph, stack: str, depth: int) -> str:
    own = sum(1 for _, d in graph.nodes(data=True)
              if d["stack"] == stack and d["kind"] in ("attention", "cross_attention") and d["layer"] is not None
              and not d.get("shared_with"))
    return f"{own} parameter set(s) shared by {depth} layers" if own < depth else ""


def layer_kind_words(variants: list[dict[str, str]]) -> str:
    kinds: dict[str, dict[str, list[int]]] = {}
    for layer, words in enumerate(variants):
        for rel, word in words.items():
            kinds.setdefault(rel, {}).setdefault(word, []).append(layer)
    return "; ".join(f"{rel}: " + ", ".join(f"{word} (layers {_layer_list(layers)})" for word, layers in by.items())
                     for rel, by in kinds.items())


@dataclass(frozen=True)
class Difference:
    aspect: str
    a: str
    b: str
    text: str


@dataclass(frozen=True)
class Comparison:
    a: BlockTraits
    b: BlockTraits
    differences: tuple[Difference, ...]
    same: tuple[str, ...]            # aspects the two blocks share

    def aspects(self) -> list[str]:
        return [d.aspect for d in self.differences]

    def to_json(self) -> dict:
        return {"a": dataclasses.asdict(self.a), "b": dataclasses.asdict(self.b),
                "differences": [dataclasses.asdict(d) for d in self.differences], "same": list(self.same)}


PLACEMENT_WORDS = {"pre-norm": "pre-norm (a norm before each sub-layer; the residual stream is never normalised)",
                   "post-norm": "post-norm (a norm after each residual add)"}


def trait_words(t: BlockTraits) -> dict[str, str]:
    """Each compared aspect of a block, in words."""
    return {
        "norm": t.norm,
        "norm placement": PLACEMENT_WORDS.get(t.placement, t.placement),
        "residual scale": f"residual scaled by {t.residual_scale:.4g} before each add" if t.residual_scale
        else "residual added as it is",
        "final norm": "a final norm after the last block" if t.final_norm else "no final norm",
        "feed-forward": f"{t.feed_forward} feed-forward" + (", a gate multiplies the activation" if t.gated else ""),
        "attention": f"{t.attention}" + (f": {t.heads} query heads share {t.kv_heads} key/value head(s)"
                                         if t.kv_heads != t.heads else ": every head its own keys and values"),
        "heads": f"{t.heads} heads x {t.head_dim} dims",
        "widths": f"hidden {t.hidden}, feed-forward {t.ffn}",
        "position": t.position,
        "biases": t.biases,
        "cross-attention": "cross-attention to the encoder" if t.cross_attention else "no cross-attention",
        "sharing": t.sharing or "each layer its own parameters",
        "layer kinds": t.layer_kinds or "every layer alike",
    }


def compare_blocks(a, b, stack_a: str | None = None, stack_b: str | None = None) -> Comparison:
    """Two blocks side by side: every aspect where they differ, named in words (norm kind and placement,
    feed-forward, attention kind and heads, positions, biases, ...)."""
    first, second = block_traits(a, stack_a), block_traits(b, stack_b)
    words_a, words_b = trait_words(first), trait_words(second)
    differences = tuple(Difference(aspect, words_a[aspect], words_b[aspect],
                                   f"{aspect}: {first.name} has {words_a[aspect]}; "
                                   f"{second.name} has {words_b[aspect]}")
                        for aspect in words_a if words_a[aspect] != words_b[aspect])
    same = tuple(aspect for aspect in words_a if words_a[aspect] == words_b[aspect])
    return Comparison(first, second, differences, same)


def describe_comparison(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    count = len(comparison.differences)
    lines = [f"{a.name} ({a.stack} block) vs {b.name} ({b.stack} block): {count} difference{'s' * (count != 1)}"]
    lines += [f"  - {d.text}" for d in comparison.differences]
    if comparison.same:
        lines.append(f"  same: {', '.join(comparison.same)}")
    lines += [f"  note ({t.name}): {t.note}" for t in (a, b) if t.note]
    return "\n".join(lines)
