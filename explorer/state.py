"""The explorer's state, without Qt: what is loaded, where the user is, what they picked (napari's ViewerModel is
the pattern). The window's widgets write through its methods; the window and the views read it and subscribe to
its events (``state.events.step.connect(callback)``); tests drive it with no QApplication at all.

Indices are 0-based everywhere in here (layer 0 is ``blocks.0``, head 0 the first head); what a user reads counts
from 1 and is formatted by the widgets (``session.head_title``, ``session.layer_title``).
"""
from __future__ import annotations

import inspect
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from explorer import session
from explorer.i18n import translate
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP, layer_of, same_step_in_layer, view_kinds


# ----------------------------------------------------------------------------------------------- events
class _Strong:
    """A strong reference with the weakref call interface (for plain functions)."""
    __slots__ = ("target",)

    def __init__(self, target):
        self.target = target

    def __call__(self):
        return self.target


class Event:
    """One kind of change. Callbacks get the new value. Bound methods are held weakly, so a view that goes away
    drops out by itself and the state never keeps a widget (or a cycle through one) alive."""

    def __init__(self, name: str):
        self.name = name
        self._refs: list = []

    def connect(self, callback: Callable[[Any], Any]) -> Callable[[Any], Any]:
        ref = weakref.WeakMethod(callback) if inspect.ismethod(callback) else _Strong(callback)
        self._refs.append(ref)
        return callback

    def disconnect(self, callback: Callable | None = None) -> None:
        """Remove one callback, or all of them."""
        if callback is None:
            self._refs.clear()
        else:
            self._refs = [r for r in self._refs if r() is not None and r() != callback]

    def callbacks(self) -> list[Callable]:
        return [cb for cb in (r() for r in self._refs) if cb is not None]

    def emit(self, value: Any = None) -> None:
        """Call every live callback; one that raises does not stop the others (its error is raised after)."""
        self._refs = [r for r in self._refs if r() is not None]
        error = None
        for callback in self.callbacks():
            try:
                callback(value)
            except Exception as exc:   # noqa: BLE001 - re-raised below, once everyone was told
                error = error or exc
        if error is not None:
            raise error

    def __len__(self) -> int:
        return len(self.callbacks())


class Events:
    """trace: a new run is shown (value: the Trace) · step: the current step (its name) · layer: the current
    layer (0-based index) · head: the chosen head (0-based) · selection: the (query, key) cell · view: the view
    showing the step · settings: (name, value) of a changed setting · message: a Notice for the user."""
    NAMES = ("trace", "step", "layer", "head", "selection", "view", "settings", "message")

    def __init__(self):
        for name in self.NAMES:
            setattr(self, name, Event(name))

    def __iter__(self):
        return iter(getattr(self, name) for name in self.NAMES)

    def disconnect_all(self) -> None:
        for event in self:
            event.disconnect()


@dataclass(frozen=True)
class Notice:
    text: str
    error: bool = False   # an error the user must read (an unknown --step), not a plain note


# ----------------------------------------------------------------------------------------------- a step's context
@dataclass
class StepContext:
    """What a view needs to draw one step: a snapshot of the state for that step."""
    trace: Any                  # engine Trace
    name: str                   # step name (or session.TOKENIZER_STEP / OUTPUT_STEP)
    step: Any = None            # engine Step, None for the synthetic steps
    loaded: Any = None          # engine LoadedModel
    text: str = ""
    pair: str | None = None
    head: int = 0
    query: int | None = None    # the selected (query, key) cell; None: the view's default
    key: int | None = None

    @property
    def cache(self):
        return self.trace.cache

    def tokens_for(self, axis: str, n: int | None = None, name: str | None = None) -> list[str]:
        """Labels of a position axis ("q_pos", "k_pos", "pos") of this step (or of step `name`): T5's decoder
        tokens for decoder steps and cross-attention queries, the encoder's for encoder steps and cross-attention
        keys; indices when the count does not match `n`."""
        return session.position_tokens(self.trace, name or self.name, axis, n)


# ----------------------------------------------------------------------------------------------- the state
class ExplorerState:
    """The loaded model and trace, the ordered step list, the current step, layer, head, (query, key) selection,
    view and settings. Every change goes through a method, which emits the matching event."""

    def __init__(self, lang: str = "en"):
        self.events = Events()
        self.loaded = None              # engine LoadedModel
        self.trace = None               # engine Trace
        self.text: str = ""
        self.pair: str | None = None
        self.steps: list[str] = []
        self.step: str | None = None
        self.layer: int = 0             # the layer of the current step (kept when a step has none)
        self.head: int = 0
        self.query: int | None = None
        self.key: int | None = None
        self.view: str | None = None
        self.settings: dict[str, Any] = {"lang": lang}
        if lang != "en":   # the interface speaks the state's language from the first widget built on it
            from explorer import i18n
            i18n.use(lang)
        self.generation = 0             # +1 per set_trace: what a view compares to know the trace changed
        self.model_heads = 1            # the most heads any step of the trace has
        self.layer_counts: dict[str, int] = {}   # stack ("blocks", "decoder.blocks") -> number of layers
        self.notices: list[Notice] = []

    # ------------------------------------------------------------------ reading
    @property
    def lang(self) -> str:
        return self.settings.get("lang", "en")

    @property
    def index(self) -> int:
        return self.steps.index(self.step) if self.step in self.steps else -1

    @property
    def layers(self) -> int:
        """The deepest stack's number of layers (what the navigator's layer box goes up to)."""
        return max(self.layer_counts.values(), default=0)

    def step_info(self, name: str | None = None):
        """The engine Step of a step name (None for the tokenizer and output steps)."""
        name = self.step if name is None else name
        if self.trace is None or name in (None, TOKENIZER_STEP, OUTPUT_STEP) or name not in self.trace.cache:
            return None
        return self.trace.cache.step(name)

    def kinds_for(self, name: str | None = None) -> list[str]:
        """The views that can show a step, the best first."""
        name = self.step if name is None else name
        if self.trace is None or name is None:
            return []
        step = self.step_info(name)
        dims = step.dims if step is not None else ()
        is_bool = step is not None and str(step.tensor.dtype) == "torch.bool"
        kinds = view_kinds(name, dims, is_bool, lambda n: n in self.trace.cache)
        if name == OUTPUT_STEP and any(k in self.trace.outputs for k in ("mlm", "lm")):
            kinds = ["output"]
        return kinds

    def head_count(self, name: str | None = None) -> int:
        """Heads of a step with a head axis (a broadcast axis of 1, as masks have, does not count); the model's
        heads otherwise."""
        step = self.step_info(name)
        if step is not None and "head" in step.dims:
            n = int(step.shape[step.dims.index("head")])
            if n > 1:
                return n
        return self.model_heads

    def layer_count(self, name: str | None = None) -> int:
        where = layer_of(self.step if name is None else name or "")
        return self.layer_counts.get(where[0], 0) if where else self.layers

    def context(self, name: str | None = None) -> StepContext:
        name = self.step if name is None else name
        return StepContext(self.trace, name, self.step_info(name), self.loaded, self.text, self.pair, self.head,
                           self.query, self.key)

    def token_count(self) -> int:
        if self.trace is None:
            return 0
        decoder = (self.trace.extras or {}).get("decoder_tokens") or []
        return max(len(self.trace.tokens), len(decoder))

    # ------------------------------------------------------------------ writing
    def notify(self, text: str, error: bool = False) -> None:
        notice = Notice(text, error)
        self.notices.append(notice)
        self.events.message.emit(notice)

    def set_trace(self, loaded, trace, text: str = "", pair: str | None = None, step: str | None = None,
                  view: str | None = None) -> None:
        """Show a new run. Keeps the current step when the new trace has it (or the same kind of step in the
        last layer it has), else opens `step` (a name, or a part of one) or the tokens; clamps the head and the
        selection to the new model and says so."""
        model = getattr(loaded, "name", None) or getattr(trace, "model_name", "this model")
        head, selection = self.head, (self.query, self.key)
        self.loaded, self.trace, self.text, self.pair = loaded, trace, text, pair
        self.generation += 1
        names = trace.cache.names()
        self.steps = [TOKENIZER_STEP] + names + [OUTPUT_STEP]
        self.layer_counts = {}
        for n in names:
            where = layer_of(n)
            if where is not None:
                self.layer_counts[where[0]] = max(self.layer_counts.get(where[0], 0), where[1] + 1)
        heads = [int(s.shape[s.dims.index("head")]) for s in trace.cache.steps() if "head" in s.dims]
        self.model_heads = max(heads, default=1)
        if self.head >= self.model_heads:
            self.notify(translate("state", "{head} does not exist in {model} ({count} heads): showing {shown}").format(
                head=session.head_title(self.head), model=model, count=self.model_heads,
                shown=session.head_title(self.model_heads - 1)))
            self.head = self.model_heads - 1
        n_tokens = self.token_count()
        if self.query is not None and self.query >= n_tokens:
            self.query = max(n_tokens - 1, 0)
        if self.key is not None and self.key >= n_tokens:
            self.key = max(n_tokens - 1, 0)
        if self.layers and self.layer >= self.layers:
            self.layer = self.layers - 1
        target = self._resolve(step, view)
        self.events.trace.emit(trace)
        self.go_to(target, view, force=True)
        if self.head != head:
            self.events.head.emit(self.head)
        if (self.query, self.key) != selection:
            self.events.selection.emit((self.query, self.key))

    def _resolve(self, step: str | None, view: str | None) -> str:
        if step is None and view is not None:   # a view alone: the first step that has it
            step = next((s for s in self.steps if view in self.kinds_for(s)), None)
        if step is not None:
            if step in self.steps:
                return step
            matches = [s for s in self.steps if s.endswith(step)] or [s for s in self.steps if step in s]
            if matches:
                return matches[0]
            self.notify(translate("state", "No step called '{step}' in this trace; showing the tokens.").format(
                step=step), error=True)
            return TOKENIZER_STEP
        current = self.step
        if current in self.steps:
            return current
        where = layer_of(current or "")
        if where is not None and where[0] in self.layer_counts:   # blocks.5.x on a 4-layer model: blocks.3.x
            nearer = same_step_in_layer(current, self.layer_counts[where[0]] - 1)
            if nearer in self.steps:
                return nearer
        return TOKENIZER_STEP

    def go_to(self, step: str, view: str | None = None, force: bool = False) -> bool:
        """Open a step, in `view` when it can show it (else the current view if it can, else the best one)."""
        if self.trace is None or step not in self.steps:
            return False
        kinds = self.kinds_for(step)
        if view not in kinds:
            view = self.view if self.view in kinds else kinds[0]
        step_changed, view_changed = step != self.step, view != self.view
        old_layer = self.layer
        self.step, self.view = step, view
        where = layer_of(step)
        if where is not None:
            self.layer = where[1]
        if step_changed or force:
            self.events.step.emit(step)
        if self.layer != old_layer or force:
            self.events.layer.emit(self.layer)
        if view_changed:
            self.events.view.emit(view)
        return True

    def next(self) -> bool:
        return self._move(1)

    def previous(self) -> bool:
        return self._move(-1)

    def first(self) -> bool:
        return bool(self.steps) and self.go_to(self.steps[0])

    def last(self) -> bool:
        return bool(self.steps) and self.go_to(self.steps[-1])

    def _move(self, delta: int) -> bool:
        if not self.steps:
            return False
        index = max(0, min(len(self.steps) - 1, max(self.index, 0) + delta))
        return self.go_to(self.steps[index])

    def set_layer(self, layer: int) -> bool:
        """The same kind of step in another layer (of the current step's stack); from a step outside the layers,
        the first step of that layer. Clamped to the layers there are."""
        if self.trace is None or not self.layer_counts:
            return False
        where = layer_of(self.step or "")
        stack = where[0] if where is not None else next(iter(self.layer_counts))
        count = self.layer_counts[stack]
        if not 0 <= layer < count:
            clamped = min(max(layer, 0), count - 1)
            self.notify(translate("state", "layer {layer} does not exist in {model} ({count} layers): showing layer "
                                  "{shown}").format(layer=layer + 1, model=getattr(self.loaded, "name", "?"),
                                                    count=count, shown=clamped + 1))
            layer = clamped
        target = same_step_in_layer(self.step, layer) if where is not None else None
        if target not in self.steps:
            target = next((s for s in self.steps if layer_of(s) == (stack, layer)), None)
        return target is not None and self.go_to(target)

    def set_head(self, head: int) -> int:
        """Choose a head (0-based), clamped to the current step's heads. Before any trace, any head is kept (a
        command-line --head); the next trace clamps it."""
        head = max(int(head), 0)
        if self.trace is not None:
            head = min(head, self.head_count() - 1)
        if head != self.head:
            self.head = head
            self.events.head.emit(head)
        return head

    def select(self, query: int | None, key: int | None) -> None:
        """Select a (query, key) cell of the attention steps (0-based positions)."""
        query = None if query is None else max(int(query), 0)
        key = None if key is None else max(int(key), 0)
        if (query, key) != (self.query, self.key):
            self.query, self.key = query, key
            self.events.selection.emit((query, key))

    def set_view(self, view: str) -> bool:
        """Show the current step in another view (one that can show it)."""
        if view == self.view or view not in self.kinds_for():
            return False
        self.view = view
        self.events.view.emit(view)
        return True

    def set_setting(self, name: str, value: Any) -> None:
        if name == "lang":   # Qt's translator first, so every page that hears the change reads the new language
            from explorer import i18n
            i18n.use(value)
        if self.settings.get(name) != value:
            self.settings[name] = value
            self.events.settings.emit((name, value))
