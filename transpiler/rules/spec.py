"""The vocabulary of k1port's rule tables.

A `Rule` says what one Keras 1 callable becomes: its Keras 3 (or runtime) target, how each
Keras 1 argument converts (`Arg`: renamed, value-converted, dropped), which arguments fold
into one (`Fold`: nb_row, nb_col -> kernel_size), and what Keras 1 behaviour must be stated
because Keras 3 has no argument default for it (`implied`). The engine binds a call to the
Keras 1.2.2 signature first, so positional arguments convert like keywords.

Keras 1 defaults that Keras 3 changed need no entry: the engine converts every Keras 1
default and states it wherever the result differs from the Keras 3 default.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping

import libcst as cst

from k1port.findings import Level

if TYPE_CHECKING:  # pragma: no cover
    from k1port.engine.context import Ctx
    from k1port.signature import Bound

Value = Callable[[cst.BaseExpression, "Ctx"], cst.BaseExpression]


class Unsupported(Exception):
    """A value (or call) k1port cannot convert exactly: the original is kept and reported."""


@dataclass(frozen=True)
class Arg:
    to: str | None  # the Keras 3 keyword; None drops the argument
    value: Value | None = None
    why: str = ""  # for dropped arguments: why that is safe (INFO) or what is lost
    level: Level = Level.INFO  # the level of the finding when dropped
    also: tuple[str, ...] = ()  # further Keras 3 keywords that receive the same value
    # A runtime function the converted call is passed to, with this argument's value
    # (`Dense(3, weights=w)` -> `k1.initial_weights(Dense(3), w)`): for arguments that act
    # on the object after it is made.
    wrap: str | None = None


def rename(to: str, value: Value | None = None) -> Arg:
    return Arg(to, value)


def drop(why: str, level: Level = Level.INFO) -> Arg:
    """Drop a Keras 1 argument. INFO when it has no effect on what is computed."""
    return Arg(None, why=why, level=level)


@dataclass(frozen=True)
class Fold:
    """Several Keras 1 arguments become one Keras 3 argument (`build` makes its value)."""

    sources: tuple[str, ...]
    to: str
    build: Callable[[dict[str, cst.BaseExpression | None], "Ctx"], cst.BaseExpression | None]
    value: "Value | None" = None  # converts the folded value, like Arg.value


@dataclass(frozen=True)
class Rule:
    keras1: str  # canonical Keras 1 name, e.g. "keras.layers.Convolution2D"
    target: str | None  # Keras 3 path ("keras.layers.Conv2D") or runtime path ("k1port.runtime.X")
    args: Mapping[str, Arg] = field(default_factory=dict)  # Keras 1 name -> how it converts
    folds: tuple[Fold, ...] = ()
    implied: Mapping[str, str] = field(default_factory=dict)  # Keras 3 keyword -> source
    # Keyword -> function of the context giving a value to state when the call lacks it (None:
    # nothing), for facts only known per file (the dim ordering, the Keras 1 backend).
    state: Mapping[str, Callable[["Ctx"], cst.BaseExpression | None]] = field(default_factory=dict)
    # Keras 1 defaults that Keras 3 spells differently with the same meaning (not restated).
    same_defaults: frozenset[str] = frozenset()
    # Runtime class used instead of `target` when the layer runs channels_first, which
    # TensorFlow on CPU refuses for convolutions and pooling.
    channels_first: str | None = None
    # Runtime class used when the Keras 1 code ran on Theano and the layer pads 'same': Theano
    # padded k//2 on both sides (and cropped), TensorFlow puts the odd pixel at the end.
    theano_same: str | None = None
    # A runtime class for calls whose converted arguments (Embedding with dropout) or file
    # (a Sequential in a file merging models) need it: given the converted keywords and the
    # context, the runtime path to use, or None for `target`.
    variant: Callable[[set[str], "Ctx"], str | None] | None = None
    # Runtime class used where Keras 1 code subclasses it (class AttentionLSTM(LSTM)) to
    # override internals (build, step) that only Keras 1's implementation had.
    subclass: str | None = None
    # Escape hatch for what a table cannot say (merge's mode picks the layer class).
    custom: Callable[["Bound", "Ctx"], cst.BaseExpression] | None = None
    family: str = ""
    note: str = ""  # shown in the generated reference

    @property
    def name(self) -> str:
        return self.keras1.rsplit(".", 1)[1]


