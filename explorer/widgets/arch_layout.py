"""Where each box and line of an architecture graph (engine.graph) goes, without Qt: a layered top-to-bottom layout.

    lanes      one column per stack when a model has several (T5: encoder on the left, decoder on the right); the
               nodes outside the stacks join the lane of their neighbours (the decoder's input ids, the LM head)
    rows       the top-level units of a lane (a node outside any block, or a whole block with its components) are
               ranked by their longest data path from the inputs: embeddings at the top, blocks, heads at the bottom;
               a node with no input (T5's relative position bias) sits one row above what it feeds. The items of a
               row sit side by side around the mean of their inputs' centres.
    blocks     a block is a box holding its components in rows of their own; the components of a block share one
               width, centred; room on the left for the residual lines and on the right for the repeat loops and
               the header (written to the right of the line that enters the block, never across it)
    lines      data: down from the bottom of one box to the top of the next (one bend when they are not aligned);
               residual: out of the left side, down a channel beside the main path, into the add from the left;
               repeat (one layer into the next of a folded block): out of the right side, up a channel, back into
               the first component: a loop; position: into the attention from the right; cross (T5): from the
               encoder's last norm along the gap between the lanes into each cross-attention from the left.

`layout(graph, size_of)` -> Layout (boxes by node, routes by edge, lane extents, bounds); `size_of(node)` gives the
(width, height) a node's text needs (for a block: its header's width and height).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import networkx as nx

ROW_GAP = 26.0          # between the rows of a lane
ITEM_GAP = 28.0         # between the items of a row
LANE_GAP = 110.0        # between two lanes (the cross-attention lines run in it)
INNER_GAP = 20.0        # between the rows inside a block
BLOCK_PAD_TOP = 10.0    # above the header
BLOCK_PAD_BOTTOM = 16.0
BLOCK_PAD_LEFT = 44.0   # the residual channels run here
BLOCK_PAD_RIGHT = 58.0  # the repeat loops (and their "x N" label) run here
HEADER_OFFSET = 14.0    # the header starts this far right of the block's axis (the entering line passes left)
CHANNEL = 16.0          # a side channel runs this far out of the boxes beside it
CHANNEL_STEP = 9.0      # between two channels on the same side that would overlap
FLOW_EDGES = ("data", "position")   # what ranks the rows


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def shift(self, dx: float, dy: float = 0.0) -> None:
        self.x += dx
        self.y += dy

    def united(self, other: "Box") -> "Box":
        left, top = min(self.left, other.left), min(self.top, other.top)
        return Box(left, top, max(self.right, other.right) - left, max(self.bottom, other.bottom) - top)


@dataclass
class Route:
    """An edge's polyline (scene coordinates, first point at the source); label_at: where its "x N" goes."""
    points: list[tuple[float, float]]
    kind: str
    carries: str | None = None
    label_at: tuple[float, float] | None = None

    def shift(self, dx: float, dy: float = 0.0) -> None:
        self.points = [(x + dx, y + dy) for x, y in self.points]
        if self.label_at is not None:
            self.label_at = (self.label_at[0] + dx, self.label_at[1] + dy)


@dataclass
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    lanes: list[tuple[str, Box]] = field(default_factory=list)   # (stack, extent) when there are several
    headers: dict[str, tuple[float, float]] = field(default_factory=dict)   # block -> its header's top-left
    bounds: Box = field(default_factory=lambda: Box(0, 0, 0, 0))

    def shift(self, dx: float, dy: float = 0.0) -> None:
        for box in self.boxes.values():
            box.shift(dx, dy)
        for route in self.routes.values():
            route.shift(dx, dy)
        for _, box in self.lanes:
            box.shift(dx, dy)
        self.headers = {k: (x + dx, y + dy) for k, (x, y) in self.headers.items()}
        self.bounds.shift(dx, dy)


# ---------------------------------------------------------------------------------------------- lanes and units
def lane_names(graph: nx.DiGraph) -> list[str]:
    """The stacks that get a lane of their own: every stack when there are several, else one lane."""
    stacks = list((graph.graph.get("stacks") or {}).keys())
    present = {d.get("stack") for _, d in graph.nodes(data=True)}
    stacks = [s for s in stacks if s in present]
    return stacks if len(stacks) > 1 else [stacks[0] if stacks else "model"]


def lanes_of(graph: nx.DiGraph) -> dict[str, int]:
    """node -> lane index: its stack's lane; a node outside the stacks takes its neighbours' (never across a cross
    edge), its predecessors' first."""
    names = lane_names(graph)
    if len(names) == 1:
        return {n: 0 for n in graph.nodes}
    lane = {n: names.index(d["stack"]) for n, d in graph.nodes(data=True) if d.get("stack") in names}
    changed = True
    while changed:
        changed = False
        for node in graph.nodes:
            if node in lane:
                continue
            near = [u for u in graph.predecessors(node) if graph.edges[u, node]["kind"] != "cross"] + \
                   [v for v in graph.successors(node) if graph.edges[node, v]["kind"] != "cross"]
            known = [lane[m] for m in near if m in lane]
            if known:
                lane[node] = known[0]
                changed = True
    return {n: lane.get(n, 0) for n in graph.nodes}


def unit_of(graph: nx.DiGraph, node: str) -> str:
    """The top-level item a node is drawn in: its block, or itself."""
    parent = graph.nodes[node].get("parent")
    return parent if parent and parent in graph else node


def _ranks(nodes: list[str], edges: list[tuple[str, str]], order: dict[str, int]) -> dict[str, int]:
    """Longest-path ranks; a node with no input sits one row above the first thing it feeds."""
    dag = nx.DiGraph()
    dag.add_nodes_from(nodes)
    dag.add_edges_from((u, v) for u, v in edges if u != v)
    if not nx.is_directed_acyclic_graph(dag):   # never expected: fall back to the graph's own order
        return {n: i for i, n in enumerate(sorted(nodes, key=order.get))}
    rank: dict[str, int] = {}
    for node in nx.lexicographical_topological_sort(dag, key=order.get):
        rank[node] = max((rank[p] + 1 for p in dag.predecessors(node)), default=0)
    for node in nodes:
        succ = list(dag.successors(node))
        if not list(dag.predecessors(node)) and succ:
            rank[node] = max(0, min(rank[s] for s in succ) - 1)
    return rank


def _rows(rank: dict[str, int], order: dict[str, int]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for node in sorted(rank, key=lambda n: (rank[n], order[n])):
        rows[rank[node]].append(node)
    return [r for r in rows if r]


# ---------------------------------------------------------------------------------------------- the layout
def layout(graph: nx.DiGraph, size_of) -> Layout:
    """Boxes and routes for every node and edge of `graph` (see the module docstring)."""
    order = {n: i for i, n in enumerate(graph.nodes)}
    kind = {n: d["kind"] for n, d in graph.nodes(data=True)}
    lane = lanes_of(graph)
    names = lane_names(graph)
    result = Layout()
    boxes = result.boxes
    children: dict[str, list[str]] = {}
    for node in graph.nodes:
        unit = unit_of(graph, node)
        if unit != node:
            children.setdefault(unit, []).append(node)

    # 1. each block's inside, relative to the block's top-left
    axis_of: dict[str, float] = {}   # block -> its components' axis, from its left side
    inside: dict[str, list[tuple[str, str]]] = {}   # block -> the flow edges between its components
    for u, v, d in graph.edges(data=True):
        unit = unit_of(graph, u)
        if d["kind"] in FLOW_EDGES and unit != u and unit == unit_of(graph, v):
            inside.setdefault(unit, []).append((u, v))
    for block, comps in children.items():
        axis_of[block] = _layout_block(graph, block, comps, inside.get(block, []), size_of, order, boxes,
                                       result.headers)

    def anchor(unit: str) -> float:
        """Where lines leave a unit: its centre; a block's components' axis."""
        return boxes[unit].x + axis_of.get(unit, boxes[unit].w / 2)
    for node in graph.nodes:
        if node not in boxes and unit_of(graph, node) == node:
            w, h = size_of(node)
            boxes[node] = Box(0, 0, w, h)

    # 2. each lane's rows, placed top-down around the mean of their inputs
    lane_units: list[list[str]] = [[] for _ in names]
    for node in graph.nodes:
        if unit_of(graph, node) == node:
            lane_units[lane[node]].append(node)
    flows = [(unit_of(graph, u), unit_of(graph, v), d["kind"]) for u, v, d in graph.edges(data=True)
             if d["kind"] in FLOW_EDGES]
    extents: list[Box] = []
    for index, units in enumerate(lane_units):
        if not units:
            extents.append(Box(0, 0, 0, 0))
            continue
        members = set(units)
        edges = [(u, v) for u, v, _ in flows if u in members and v in members]
        rank = _ranks(units, edges, order)
        y = 0.0
        for row in _rows(rank, order):
            desired = {}
            for unit in row:
                data = [anchor(u) for u, v, k in flows if v == unit and u in members and rank[u] < rank[unit]
                        and k == "data"]
                anything = [anchor(u) for u, v, _ in flows if v == unit and u in members and rank[u] < rank[unit]]
                chosen = data or anything
                desired[unit] = sum(chosen) / len(chosen) if chosen else 0.0
            row.sort(key=lambda n: (desired[n], order[n]))
            x, anchors = 0.0, []
            for unit in row:   # packed left to right, then moved so that the anchors' mean is the inputs' mean
                anchors.append(x + axis_of.get(unit, boxes[unit].w / 2))
                x += boxes[unit].w + ITEM_GAP
            x = sum(desired.values()) / len(row) - sum(anchors) / len(anchors)
            height = max(boxes[n].h for n in row)
            for unit in row:
                _move_unit(boxes, children, unit, x - boxes[unit].x, y - boxes[unit].y)
                x += boxes[unit].w + ITEM_GAP
            y += height + ROW_GAP
        extent = None
        for unit in units:
            extent = boxes[unit] if extent is None else extent.united(boxes[unit])
        extents.append(Box(extent.x, extent.y, extent.w, extent.h))

    # 3. the routes inside each lane, then the lanes side by side, then the cross edges between them
    in_lane = [[n for n in graph.nodes if lane[n] == i] for i in range(len(names))]
    spans = [(_Spans([boxes[n] for n in nodes if kind[n] != "block"]),
              _Spans([boxes[n] for n in nodes])) for nodes in in_lane]
    residual_spans: dict[int, list[tuple[float, float, float]]] = {}
    repeat_count: dict[str, int] = {}
    for u, v, data in graph.edges(data=True):
        edge_kind = data["kind"]
        if edge_kind == "cross" or lane[u] != lane[v]:
            continue
        leaves, everything = spans[lane[u]]
        s, t = boxes[u], boxes[v]
        if edge_kind == "residual":
            route = _residual(leaves, s, t, residual_spans.setdefault(lane[u], []))
        elif edge_kind == "repeat":
            block = unit_of(graph, u)
            k = repeat_count.get(block, 0)
            repeat_count[block] = k + 1
            route = _repeat(boxes, children.get(block, [u, v]), s, t, k, data.get("carries"))
        elif edge_kind == "position":
            into_loop = any(graph.edges[a, v]["kind"] == "repeat" for a in graph.predecessors(v))
            route = _position(everything, s, t, 6.0 if into_loop else 0.0)
        else:
            route = _data(s, t, kind.get(v) == "add")
        route.carries = data.get("carries")
        result.routes[(u, v)] = route
        extents[lane[u]] = _with_route(extents[lane[u]], route)

    x = 0.0
    for index, extent in enumerate(extents):
        dx = x - extent.x
        for node in in_lane[index]:
            boxes[node].shift(dx)
        for (u, v), route in result.routes.items():
            if lane[u] == index:
                route.shift(dx)
        extent.shift(dx)
        x = extent.right + LANE_GAP
    if len(names) > 1:
        result.lanes = [(name, extents[i]) for i, name in enumerate(names)]

    for u, v, data in graph.edges(data=True):
        if (u, v) in result.routes:
            continue
        s, t = boxes[u], boxes[v]
        if lane[u] != lane[v]:
            gap_x = extents[lane[u]].right + LANE_GAP / 2 if lane[u] < lane[v] else \
                extents[lane[v]].right + LANE_GAP / 2
            if lane[u] < lane[v]:
                points = [(s.right, s.cy), (gap_x, s.cy), (gap_x, t.cy), (t.left, t.cy)]
            else:
                points = [(s.left, s.cy), (gap_x, s.cy), (gap_x, t.cy), (t.right, t.cy)]
            result.routes[(u, v)] = Route(points, data["kind"], data.get("carries"))
        else:   # a cross edge inside one lane (not expected): straight
            result.routes[(u, v)] = Route([(s.cx, s.bottom), (t.cx, t.top)], data["kind"], data.get("carries"))

    result.headers = {b: (boxes[b].x + hx, boxes[b].y + hy) for b, (hx, hy) in result.headers.items()}
    bounds = None
    for box in boxes.values():
        bounds = Box(box.x, box.y, box.w, box.h) if bounds is None else bounds.united(box)
    for route in result.routes.values():
        bounds = _with_route(bounds, route)
    result.bounds = bounds or Box(0, 0, 0, 0)
    return result


def _layout_block(graph, block, comps, edges, size_of, order, boxes, headers) -> float:
    """The block's components in rows inside it, its size and its header's place; returns the components' axis."""
    rank = _ranks(comps, edges, order)
    rows = _rows(rank, order)
    sizes = {c: size_of(c) for c in comps}
    column = max((w for c, (w, _) in sizes.items() if graph.nodes[c]["kind"] != "add"), default=120.0)
    widths = {c: (w if graph.nodes[c]["kind"] == "add" else column) for c, (w, _) in sizes.items()}
    row_widths = [sum(widths[c] for c in row) + ITEM_GAP * (len(row) - 1) for row in rows]
    inner = max(row_widths, default=column)
    header_w, header_h = size_of(block)
    axis = BLOCK_PAD_LEFT + inner / 2
    width = max(BLOCK_PAD_LEFT + inner + BLOCK_PAD_RIGHT, axis + HEADER_OFFSET + header_w + 10)
    y = BLOCK_PAD_TOP + header_h + 8
    for row, row_width in zip(rows, row_widths):
        x = axis - row_width / 2
        height = max(sizes[c][1] for c in row)
        for c in row:
            boxes[c] = Box(x, y + (height - sizes[c][1]) / 2, widths[c], sizes[c][1])
            x += widths[c] + ITEM_GAP
        y += height + INNER_GAP
    boxes[block] = Box(0, 0, width, y - INNER_GAP + BLOCK_PAD_BOTTOM)
    headers[block] = (axis + HEADER_OFFSET, BLOCK_PAD_TOP)
    return axis


def _move_unit(boxes, children, unit, dx, dy) -> None:
    boxes[unit].shift(dx, dy)
    for child in children.get(unit, []):
        boxes[child].shift(dx, dy)


def _with_route(box: Box, route: Route) -> Box:
    xs = [p[0] for p in route.points] + [box.left, box.right]
    ys = [p[1] for p in route.points] + [box.top, box.bottom]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


class _Spans:
    """Boxes by height, to find the ones beside a vertical span quickly."""

    def __init__(self, boxes: list[Box]):
        self.boxes = sorted(boxes, key=lambda b: b.top)
        self.tops = [b.top for b in self.boxes]
        self.tallest = max((b.h for b in self.boxes), default=0.0)

    def overlapping(self, y0: float, y1: float) -> list[Box]:
        """The boxes whose height overlaps y0..y1."""
        start = bisect.bisect_left(self.tops, y0 - self.tallest)
        stop = bisect.bisect_left(self.tops, y1)
        return [b for b in self.boxes[start:stop] if b.bottom > y0]


def _data(s: Box, t: Box, into_add: bool) -> Route:
    if t.top >= s.bottom - 0.5:   # downwards: bottom centre to top centre, one bend when not aligned
        if abs(s.cx - t.cx) < 0.5:
            return Route([(s.cx, s.bottom), (t.cx, t.top)], "data")
        gap = t.top - s.bottom
        bend = s.bottom + gap / 2 if gap <= ROW_GAP + 1 else t.top - min(12.0, gap / 2)
        return Route([(s.cx, s.bottom), (s.cx, bend), (t.cx, bend), (t.cx, t.top)], "data")
    if s.right <= t.left:   # side by side
        return Route([(s.right, s.cy), (t.left, t.cy)], "data")
    if t.right <= s.left:
        return Route([(s.left, s.cy), (t.right, t.cy)], "data")
    return Route([(s.cx, s.top), (t.cx, t.bottom)], "data")


def _residual(leaves: _Spans, s: Box, t: Box, spans: list) -> Route:
    """Out of the source's left side, down a channel left of everything between, into the add's left side."""
    y0, y1 = min(s.cy, t.cy), max(s.cy, t.cy)
    lefts = [b.left for b in leaves.overlapping(y0, y1)] + [s.left, t.left]
    x = min(lefts) - CHANNEL
    for (a, b, cx) in spans:   # another residual line in an overlapping span: step further out
        if a < y1 - 1 and b > y0 + 1 and abs(cx - x) < CHANNEL_STEP - 0.5:
            x = cx - CHANNEL_STEP
    spans.append((y0, y1, x))
    return Route([(s.left, s.cy), (x, s.cy), (x, t.cy), (t.left, t.cy)], "residual")


def _repeat(boxes, comps, s: Box, t: Box, k: int, carries) -> Route:
    """One layer into the next: out of the last component's right side, up, into the first one's: a loop. Its
    "x N" label goes in the gap between two rows nearest the loop's middle (never over a box)."""
    right = max(boxes[c].right for c in comps)
    x = right + CHANNEL + CHANNEL_STEP * k
    label = None
    if k == 0:
        y0, y1 = min(s.cy, t.cy), max(s.cy, t.cy)
        rows = sorted((boxes[c] for c in comps), key=lambda b: b.top)
        gaps = [(a.bottom + b.top) / 2 for a, b in zip(rows, rows[1:])
                if b.top - a.bottom > 8 and y0 < (a.bottom + b.top) / 2 < y1
                and not any(o.top < (a.bottom + b.top) / 2 < o.bottom for o in rows)]
        middle = (y0 + y1) / 2
        label = (x, min(gaps, key=lambda g: abs(g - middle)) if gaps else middle)
    return Route([(s.right, s.cy), (x, s.cy), (x, t.cy), (t.right, t.cy)], "repeat", carries, label)


def _position(everything: _Spans, s: Box, t: Box, offset: float) -> Route:
    """From a position table (RoPE, relative position bias) down the right side into the attention."""
    y0, y1 = min(s.cy, t.cy), max(s.cy, t.cy)
    rights = [b.right for b in everything.overlapping(y0, y1)] + [s.right, t.right]
    x = max(rights) + CHANNEL
    ty = t.cy + offset
    return Route([(s.right, s.cy), (x, s.cy), (x, ty), (t.right, ty)], "position")
