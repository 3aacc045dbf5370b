"""k1port's Python API: convert one source text."""
from __future__ import annotations

import ast
import gc
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst

from k1port.engine.apply import print_module
from k1port.engine.bindings import scan
from k1port.engine.dim_ordering import Decision, detect
from k1port.engine.literals import bound_once
from k1port.engine.locate import locate
from k1port.engine.names import statement_names
from k1port.engine.sources import Sources
from k1port.engine.transformer import Converter
from k1port.engine.traversal import transform
from k1port.findings import Finding, Level
from k1port.rules.merge import merges_models
from k1port.targets.keras import TARGETS


class ConversionError(Exception):
    """The input could not be converted at all (e.g. it does not parse)."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line, self.col = line, col


@dataclass(frozen=True)
class Options:
    target: str = "keras"  # "keras" | "tf.keras"
    image_dim_ordering: str | None = None  # "th" | "tf" | None: detect from the code
    # Which backend ran the Keras 1 code ("theano" | "tensorflow"): Theano computed
    # border_mode='same' differently and saved flipped convolution kernels. None: Theano for
    # files whose dim ordering is 'th', else TensorFlow (Keras 1.2.2's default backend).
    keras1_backend: str | None = None


@dataclass
class Result:
    code: str
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False
    dim_ordering: Decision | None = None  # set when 'default' dim_ordering mattered
    py2_fixes: list[str] = field(default_factory=list)  # Python 2 -> 3 fixes applied (fissix names, "tabs", "division")

    @property
    def exact(self) -> bool:
        """True when nothing needs a human (no ERROR or WARNING finding)."""
        return not any(f.level.marks_output for f in self.findings)


def convert_source(text: str, options: Options = Options()) -> Result:
    try:
        with _no_cyclic_gc():
            return _convert(text, options)
    except RecursionError:  # LibCST's visitors recurse once per level of nesting
        raise ConversionError("cannot convert: the code is nested too deeply for k1port "
                              "(Python's recursion limit); left as it was") from None


@contextmanager
def _no_cyclic_gc():
    """A conversion makes several LibCST trees, hundreds of thousands of objects without
    cycles that reference counting frees; the cyclic collector's passes over them were ~20%
    of a conversion. The few cycles a conversion makes are collected after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _convert(text: str, options: Options) -> Result:
    if options.target not in TARGETS:
        raise ValueError(f"unknown target {options.target!r} (choose from {', '.join(TARGETS)})")
    if "keras" not in text:  # cheap: most files of a repository never mention Keras
        return Result(text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise _parse_error(text, exc) from None
    bindings = scan(module)
    if not bindings:
        return Result(text)
    decision = detect(text, options.image_dim_ordering)
    converter = Converter(bindings, TARGETS[options.target], decision.value, decision.set_in_code,
                          options.keras1_backend)
    converter.uses_masks = "mask_zero" in text or "Masking" in text
    converter.names = statement_names(module)
    converter.merges_models = "Merge(" in text and merges_models(module, converter.names)
    converter.literal_dicts, converter.aliases = bound_once(module)
    converted = converter.imports.finalize(transform(module, converter))
    if converter.keras3_evidence and not converter.keras1_evidence:
        return Result(text)  # already Keras 3 (e.g. k1port's own output): leave it alone
    sources = Sources(text, module)
    original = {id(statement) for statement in module.body}
    kept = sum(id(statement) in original for statement in converted.body)
    # Copying statements costs a parse by Python (a twentieth of LibCST's): worth it when
    # there is a fair share to copy (a research script: about half).
    code, printed = print_module(converted, sources.pieces() if 4 * kept >= len(converted.body) else None)
    if text.endswith("\r") and not code.endswith(("\r", "\n")):
        code += "\r"  # LibCST reads a last lone CR (classic Mac OS line endings) as no newline
    _check_parses(printed)  # (the statements copied from the source parsed)
    findings = locate(sources, converter.raw_findings)
    if converter.dim_ordering_used:
        findings.insert(0, Finding(decision.line, 1, Level.INFO, "dim-ordering",
                                   f"dim_ordering 'default' taken as {decision.value!r}: {decision.reason}"))
    return Result(code, findings, code != text, decision if converter.dim_ordering_used else None)


def _check_parses(code: str) -> None:
    """Never hand back code that does not parse. CPython's own parser is ~10x faster than
    LibCST's (a second LibCST parse was a quarter of the conversion time); LibCST decides only
    what the running Python cannot parse (newer syntax that LibCST knows) or compile (`return`
    outside a function). Compiling skips building an ast (~35% faster than ast.parse)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the compiler's SyntaxWarnings (`x is 1`) are the user's
            compile(code, "<k1port>", "exec", dont_inherit=True)
        return
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as exc:  # pragma: no cover - a k1port bug
        raise ConversionError(f"internal error: converted code does not parse ({exc.message})") from None


def _parse_error(text: str, exc: cst.ParserSyntaxError) -> ConversionError:
    """Python's own parser pinpoints syntax errors better than LibCST's; prefer its words."""
    try:
        ast.parse(text)
    except SyntaxError as err:
        hint = " (Python 2 code?)" if "print" in (err.msg or "") or "Missing parentheses" in (err.msg or "") else ""
        return ConversionError(f"cannot parse: {err.msg}{hint}", err.lineno or 1, err.offset or 1)
    except (ValueError, MemoryError, RecursionError):
        pass
    return ConversionError(f"cannot parse: {exc.message}", exc.raw_line, exc.raw_column + 1)
