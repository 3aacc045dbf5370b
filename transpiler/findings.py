"""Findings: what k1port tells the user about a file, compiler style (path:line:col: LEVEL: msg)."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(str, enum.Enum):
    ERROR = "error"  # could not convert: the Keras 1 construct is left as it was
    WARNING = "warning"  # converted, but behaviour may differ: a human should look
    INFO = "info"  # an assumption or a harmless change worth knowing

    @property
    def marks_output(self) -> bool:
        """ERROR and WARNING findings also get a `# k1port:` comment in the output."""
        return self is not Level.INFO


@dataclass(frozen=True)
class Finding:
    line: int
    col: int
    level: Level
    kind: str  # a stable short name, e.g. "unsupported-argument"
    message: str
    cell: int | None = None  # notebooks: the cell (1-based, counting every cell); line is within it

    def format(self, path: str) -> str:
        where = f"{path}:cell_{self.cell}" if self.cell is not None else path
        return f"{where}:{self.line}:{self.col}: {self.level.value.upper()}: {self.message} [{self.kind}]"
