"""What a value converter or custom rule may ask of the engine while converting one call."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from k1port.findings import Level

if TYPE_CHECKING:  # pragma: no cover
    from k1port.engine.bindings import Binding
    from k1port.signature import Bound
    from k1port.engine.transformer import Converter


@dataclass
class Ctx:
    converter: "Converter"
    node: cst.CSTNode  # the original node being converted (for positions)
    origin: "Binding | None"  # the import binding the converted name came through
    bound: "Bound | None" = None  # the whole call, for values that depend on their siblings
    wraps: list = field(default_factory=list)  # (runtime function, value) around the call

    @property
    def dim_ordering(self) -> str:
        """'th' or 'tf': what Keras 1's 'default' dim_ordering meant for this file."""
        return self.converter.dim_ordering

    def ref(self, path: str) -> cst.BaseExpression:
        """An expression naming a Keras 3 or runtime object; the import is taken care of."""
        return self.converter.imports.ref(path, self.origin)

    def report(self, level: Level, kind: str, message: str) -> None:
        self.converter.report(self.node, level, kind, message)

    def convert(self, keras1: str) -> cst.BaseExpression | None:
        """The converted form of a bare Keras 1 call `keras1()` with its Keras 1 defaults
        stated; None when Keras 3's defaults are the same (nothing to state)."""
        return self.converter.synthesize(keras1, self.node, self.origin)
