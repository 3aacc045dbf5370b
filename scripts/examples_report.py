"""Convert a folder of Keras 1 scripts with k1port and print a Markdown (or JSON) report.

    .venv/bin/python scripts/examples_report.py /path/to/keras-1.2.2/examples
    .venv/bin/python scripts/examples_report.py /path/to/examples --json > report.json
    .venv/bin/python scripts/examples_report.py /path/to/examples --out /tmp/converted

A development tool: it tells how far k1port gets on a real corpus. For every script it
records whether the conversion ran (or the input did not parse, or k1port crashed), the
ERROR/WARNING/INFO findings, and the constructs k1port left unconverted; and it checks the
output: that it parses (LibCST and Python's own compiler), that converting it again changes
nothing (idempotence), and, when Keras 3 is importable here, that every Keras module and
name the output imports or reaches through a module (`K.image_dim_ordering`) exists.

It never stops on one file: whatever goes wrong is caught and reported per file.
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import sys
import tokenize
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import libcst as cst

# Findings that mean "this construct was left as it was": every ERROR, plus the WARNING that
# k1port gives for a Keras 1 name it has no rule for.
UNCONVERTED_KINDS = {"not-converted"}
IMPORT_ROOTS = ("keras", "tensorflow.keras", "k1port")
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".tox", "node_modules"}


@dataclass
class FileReport:
    path: str
    status: str = "yes"  # "yes" | "parse error" | "crash (<ExcType>)" | "unreadable (<ExcType>)"
    error: str = ""  # the exception message for anything but "yes"
    traceback: str = ""  # for crashes: the innermost frames
    changed: bool = False
    counts: dict = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    unconverted: list = field(default_factory=list)  # [{"kind", "message", "count", "lines"}]
    findings: list = field(default_factory=list)  # every finding, grouped like `unconverted`
    output_parses: bool | None = None  # None: there was no output to check
    parse_problem: str = ""
    idempotent: bool | None = None
    idempotence_problem: str = ""
    import_problems: list = field(default_factory=list)

    @property
    def converted(self) -> bool:
        return self.status == "yes"

    @property
    def flags(self) -> list[str]:
        out = []
        if self.output_parses is False:
            out.append("OUTPUT DOES NOT PARSE")
        if self.idempotent is False:
            out.append("NOT IDEMPOTENT")
        if self.import_problems:
            out.append(f"{len(self.import_problems)} broken import(s)/reference(s)")
        return out


# -- reading ------------------------------------------------------------------------------------

def python_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        found += [Path(dirpath) / n for n in sorted(filenames) if n.endswith(".py")]
    return found


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


# -- one file -------------------------------------------------------------------------------------

def _short_traceback(exc: BaseException, frames: int = 6) -> str:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    # keep the header, the innermost frames and the exception line
    body = lines[1:-1]
    if len(body) > frames:
        body = ["  ...\n", *body[-frames:]]
    return "".join([lines[0], *body, lines[-1]]).rstrip()


def _group(findings) -> list[dict]:
    groups: dict[tuple[str, str, str], dict] = {}
    for f in findings:
        key = (f.level.value, f.kind, f.message)
        g = groups.setdefault(key, {"level": f.level.value, "kind": f.kind, "message": f.message,
                                    "count": 0, "lines": []})
        g["count"] += 1
        g["lines"].append(f.line)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(groups.values(), key=lambda g: (order.get(g["level"], 3), -g["count"], g["kind"], g["message"]))


def _is_unconverted(f) -> bool:
    return f.level.value == "error" or f.kind in UNCONVERTED_KINDS


def convert_one(path: Path, shown: str, options, out_dir: Path | None) -> tuple[FileReport, str | None]:
    from k1port.api import ConversionError, convert_source

    rep = FileReport(shown)
    try:
        text = read_text(path)
    except Exception as exc:  # noqa: BLE001 - a report never stops on one file
        rep.status, rep.error = f"unreadable ({type(exc).__name__})", str(exc)
        return rep, None
    try:
        result = convert_source(text, options)
    except ConversionError as exc:
        if str(exc).startswith("internal error"):  # k1port produced code that does not parse
            rep.status = "crash (ConversionError)"
            rep.traceback = _short_traceback(exc)
        else:
            rep.status = "parse error"
        rep.error = f"line {exc.line}:{exc.col}: {exc}"
        return rep, None
    except RecursionError as exc:
        rep.status, rep.error, rep.traceback = "crash (RecursionError)", str(exc)[:300], ""
        return rep, None
    except Exception as exc:  # noqa: BLE001
        rep.status, rep.error = f"crash ({type(exc).__name__})", str(exc)
        rep.traceback = _short_traceback(exc)
        return rep, None

    code = result.code
    rep.changed = bool(result.changed)
    for f in result.findings:
        rep.counts[f.level.value] = rep.counts.get(f.level.value, 0) + 1
    rep.findings = _group(result.findings)
    rep.unconverted = _group([f for f in result.findings if _is_unconverted(f)])

    # The output parses: LibCST's grammar and CPython's compiler.
    try:
        cst.parse_module(code)
        compile(code, shown, "exec", dont_inherit=True)
        rep.output_parses = True
    except Exception as exc:  # noqa: BLE001 - ParserSyntaxError, SyntaxError, ValueError...
        rep.output_parses = False
        rep.parse_problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"

    # Converting twice equals converting once (only meaningful for output that parses).
    if rep.output_parses:
        try:
            again = convert_source(code, options).code
            rep.idempotent = again == code
            if not rep.idempotent:
                diff = list(difflib.unified_diff(code.splitlines(), again.splitlines(), "once", "twice",
                                                 n=0, lineterm=""))
                rep.idempotence_problem = "\n".join(diff[:24] + (["..."] if len(diff) > 24 else []))
        except Exception as exc:  # noqa: BLE001
            rep.idempotent = False
            rep.idempotence_problem = f"second conversion raised {type(exc).__name__}: {exc}"

    if out_dir is not None:
        try:
            dest = out_dir / shown
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(code, encoding="utf-8")
        except Exception as exc:  # noqa: BLE001
            print(f"examples_report: cannot write {shown}: {exc}", file=sys.stderr)
    return rep, code


# -- checking what the output imports -----------------------------------------------------------

def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def _is_ours(module: str | None) -> bool:
    return module is not None and any(module == r or module.startswith(r + ".") for r in IMPORT_ROOTS)


class _ImportCollector(cst.CSTVisitor):
    """Keras imports of a module, and the dotted chains that start at a module it binds."""

    def __init__(self) -> None:
        self.imports: list[tuple[cst.CSTNode, str, str | None]] = []  # (node, module, name)
        self.module_names: dict[str, str] = {}  # local name -> module path (maybe to check)
        self.chains: list[tuple[cst.Attribute, str]] = []

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            module = _dotted(alias.name)
            if not _is_ours(module):
                continue
            self.imports.append((node, module, None))
            if alias.asname is not None:
                self.module_names[alias.asname.name.value] = module
            else:
                root = module.split(".")[0]
                self.module_names[root] = root
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative:
            return False
        module = _dotted(node.module)
        if not _is_ours(module):
            return False
        if isinstance(node.names, cst.ImportStar):
            self.imports.append((node, module, "*"))
            return False
        for alias in node.names:
            name = _dotted(alias.name)
            self.imports.append((node, module, name))
            local = alias.asname.name.value if alias.asname is not None else name
            self.module_names.setdefault(local, f"{module}.{name}")  # checked lazily: maybe not a module
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        chain = _dotted(node)
        if chain is not None:
            self.chains.append((node, chain))
            return False  # the longest chain only
        return True


class ImportChecker:
    """Resolves imports against the Keras 3 installed here (loaded once, lazily)."""

    def __init__(self) -> None:
        self.available: bool | None = None
        self.why_not = ""
        self._cache: dict[str, tuple[bool, object]] = {}

    def _load(self) -> bool:
        if self.available is None:
            os.environ.setdefault("KERAS_BACKEND", "tensorflow")
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            try:
                import importlib

                importlib.import_module("keras")
                self.available = True
            except Exception as exc:  # noqa: BLE001
                self.available, self.why_not = False, f"{type(exc).__name__}: {exc}"
        return self.available

    def module(self, name: str):
        if name not in self._cache:
            import importlib

            try:
                self._cache[name] = (True, importlib.import_module(name))
            except BaseException as exc:  # noqa: BLE001 - a broken module may raise anything
                if isinstance(exc, KeyboardInterrupt):
                    raise
                self._cache[name] = (False, f"{type(exc).__name__}: {exc}")
        return self._cache[name]

    def member(self, module: str, name: str):
        """(ok, object or reason) for `from module import name`."""
        ok, mod = self.module(module)
        if not ok:
            return False, mod
        if hasattr(mod, name):
            return True, getattr(mod, name)
        ok, sub = self.module(f"{module}.{name}")
        if ok:
            return True, sub
        return False, f"module '{module}' has no attribute '{name}'"

    def check(self, code: str) -> list[str]:
        import types

        if not self._load():
            return []
        try:
            wrapper = cst.metadata.MetadataWrapper(cst.parse_module(code))
            positions = wrapper.resolve(cst.metadata.PositionProvider)
            collector = _ImportCollector()
            wrapper.visit(collector)
        except Exception as exc:  # noqa: BLE001
            return [f"import check failed: {type(exc).__name__}: {exc}"]
        problems: list[str] = []

        def line(node) -> int:
            try:
                return positions[node].start.line
            except Exception:  # noqa: BLE001
                return 0

        for node, module, name in collector.imports:
            statement = f"import {module}" if name is None else f"from {module} import {name}"
            ok, what = self.module(module)
            if ok and name not in (None, "*"):
                ok, what = self.member(module, name)
            if not ok:
                problem = f"line {line(node)}: `{statement}` fails: {what}"
                if problem not in problems:
                    problems.append(problem)
        # Attribute chains through a bound module: K.image_dim_ordering, keras.layers.Merge...
        seen = set()
        for node, chain in collector.chains:
            parts = chain.split(".")
            path = collector.module_names.get(parts[0])
            if path is None:
                continue
            ok, obj = self.module(path)
            if not ok:
                head, _, last = path.rpartition(".")
                ok, obj = self.member(head, last) if head else (False, None)
                if not ok:
                    continue  # already reported as an import problem
            if not isinstance(obj, types.ModuleType):
                continue
            walked = parts[0]
            for part in parts[1:]:
                if not isinstance(obj, types.ModuleType):
                    break
                if hasattr(obj, part):
                    obj = getattr(obj, part)
                else:
                    ok, sub = self.module(f"{obj.__name__}.{part}")
                    if not ok:
                        key = f"{walked}.{part}"
                        if key not in seen:
                            seen.add(key)
                            problems.append(f"line {line(node)}: `{key}` does not exist "
                                            f"({obj.__name__} has no '{part}')")
                        break
                    obj = sub
                walked += "." + part
        return problems


# -- the report ---------------------------------------------------------------------------------

def k1port_version() -> str:
    """The k1port checkout this report describes: version, git commit, and whether it is dirty."""
    try:
        import k1port

        version = f"k1port {k1port.__version__}"
        repo = Path(k1port.__file__).resolve().parent.parent
    except Exception as exc:  # noqa: BLE001
        return f"k1port (unknown: {exc})"
    try:
        import subprocess

        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if head:
            version += f" @ {head}" + (" (uncommitted changes)" if dirty else "")
    except Exception:  # noqa: BLE001 - no git here: the version alone
        pass
    return version


class FileTimeout(Exception):
    """One file took longer than --timeout seconds (a k1port hang)."""


def _with_timeout(seconds: float, fn, *args):
    """fn(*args), interrupted after `seconds` where SIGALRM exists (not on Windows)."""
    import signal

    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        return fn(*args)

    def on_alarm(signum, frame):
        raise FileTimeout(f"took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def build(folder: Path, options, out_dir: Path | None, check_imports: bool, timeout: float = 120) -> dict:
    files = python_files(folder)
    checker = ImportChecker() if check_imports else None
    reports: list[FileReport] = []
    for path in files:
        shown = str(path.relative_to(folder)) if folder.is_dir() else path.name
        try:
            rep, code = _with_timeout(timeout, convert_one, path, shown, options, out_dir)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - belt and braces: never stop on one file
            rep, code = FileReport(shown, status=f"crash ({type(exc).__name__})", error=str(exc),
                                   traceback=_short_traceback(exc)), None
        if checker is not None and code is not None and rep.output_parses:
            try:
                rep.import_problems = checker.check(code)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001
                rep.import_problems = [f"import check crashed: {type(exc).__name__}: {exc}"]
        reports.append(rep)

    by_construct: Counter = Counter()
    occurrences: Counter = Counter()
    kinds: dict[str, tuple[str, str]] = {}
    for rep in reports:
        for g in rep.unconverted:
            key = g["message"]
            by_construct[key] += 1
            occurrences[key] += g["count"]
            kinds[key] = (g["level"], g["kind"])
    warnings: Counter = Counter()
    for rep in reports:
        for g in rep.findings:
            if g["level"] == "warning" and g["kind"] not in UNCONVERTED_KINDS:
                warnings[g["message"]] += 1
    summary = {
        "scripts": len(reports),
        "convert_without_exception": sum(r.converted for r in reports),
        "parse_errors": sum(r.status == "parse error" for r in reports),
        "crashes": sum(r.status.startswith("crash") for r in reports),
        "unreadable": sum(r.status.startswith("unreadable") for r in reports),
        "unchanged": sum(r.converted and not r.changed for r in reports),
        "zero_error_findings": sum(r.converted and r.counts["error"] == 0 for r in reports),
        "exact": sum(r.converted and r.counts["error"] == 0 and r.counts["warning"] == 0 for r in reports),
        "output_does_not_parse": sum(r.output_parses is False for r in reports),
        "not_idempotent": sum(r.idempotent is False for r in reports),
        "with_import_problems": sum(bool(r.import_problems) for r in reports),
        "import_check": ("off" if checker is None else
                         "on" if checker.available else f"skipped ({checker.why_not})" if checker.available is False
                         else "on"),
        "findings": {lvl: sum(r.counts[lvl] for r in reports) for lvl in ("error", "warning", "info")},
        "unconverted": [{"message": m, "level": kinds[m][0], "kind": kinds[m][1], "scripts": n,
                         "occurrences": occurrences[m]} for m, n in
                        sorted(by_construct.items(), key=lambda kv: (-kv[1], -occurrences[kv[0]], kv[0]))],
        "warnings": [{"message": m, "scripts": n} for m, n in
                     sorted(warnings.items(), key=lambda kv: (-kv[1], kv[0]))],
    }
    return {"folder": str(folder), "k1port": k1port_version(), "options": asdict(options), "summary": summary,
            "files": [{**asdict(r), "flags": r.flags} for r in reports]}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("`", "'")


def markdown(data: dict, top: int) -> str:
    s = data["summary"]
    out = [f"# k1port on `{data['folder']}`", "",
           f"Converter: {data['k1port']}. Options: target={data['options']['target']}, "
           f"image_dim_ordering={data['options']['image_dim_ordering'] or 'detect'}; "
           f"import check: {s['import_check']}", "",
           "| script | converts | ERROR | WARNING | INFO | output checks | not converted (count) |",
           "|---|---|---:|---:|---:|---|---|"]
    for f in data["files"]:
        if f["status"] != "yes":
            checks = "-"
            uncon = _cell(f["error"])[:200]
        else:
            checks = ", ".join(f["flags"]) or "ok"
            uncon = "<br>".join(f"{_cell(g['message'])} (x{g['count']})" for g in f["unconverted"]) or "-"
        c = f["counts"]
        status = f["status"] + (" (unchanged)" if f["status"] == "yes" and not f["changed"] else "")
        out.append(f"| {f['path']} | {status} | {c['error']} | {c['warning']} | {c['info']} | "
                   f"{checks} | {uncon} |")
    n = s["scripts"]
    out += ["", "## Summary", "",
            f"- **{s['convert_without_exception']} of {n}** convert without an exception "
            f"({s['parse_errors']} parse error(s), {s['crashes']} crash(es), {s['unreadable']} unreadable); "
            f"{s['unchanged']} left unchanged",
            f"- **{s['zero_error_findings']} of {n}** convert with zero ERROR findings "
            f"({s['exact']} with no ERROR or WARNING at all)",
            f"- findings: {s['findings']['error']} ERROR, {s['findings']['warning']} WARNING, "
            f"{s['findings']['info']} INFO",
            f"- output does not parse: {s['output_does_not_parse']}; not idempotent: {s['not_idempotent']}; "
            f"broken imports/references (import check {s['import_check']}): {s['with_import_problems']}",
            "", f"### Most frequent unconverted constructs (top {top})", "",
            "| construct (finding message) | level / kind | scripts | occurrences |", "|---|---|---:|---:|"]
    for u in s["unconverted"][:top]:
        out.append(f"| {_cell(u['message'])} | {u['level']} / {u['kind']} | {u['scripts']} | {u['occurrences']} |")
    if s["warnings"]:
        out += ["", f"### Most frequent other WARNINGs (converted, behaviour may differ; top {top})", "",
                "| warning | scripts |", "|---|---:|"]
        out += [f"| {_cell(w['message'])} | {w['scripts']} |" for w in s["warnings"][:top]]
    problems = [f for f in data["files"] if f["status"] != "yes" or f["flags"]]
    if problems:
        out += ["", "## Problems in detail", ""]
        for f in problems:
            out.append(f"### {f['path']}: {f['status']}" + (f" — {', '.join(f['flags'])}" if f["flags"] else ""))
            if f["error"]:
                out += ["", f"- {f['error']}"]
            if f["traceback"]:
                out += ["", "```", f["traceback"], "```"]
            if f["parse_problem"]:
                out += ["", f"- output does not parse: {f['parse_problem']}"]
            if f["idempotence_problem"].startswith("second conversion raised"):
                out += ["", f"- not idempotent: {f['idempotence_problem']}"]
            elif f["idempotence_problem"]:
                out += ["", "Converting the output again changes it:", "", "```diff",
                        f["idempotence_problem"], "```"]
            if f["import_problems"]:
                out += ["", "Imports and module references in the output that do not resolve against "
                        "the installed Keras 3 / k1port (output line numbers):", ""]
                out += [f"- {p}" for p in f["import_problems"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="a folder of Keras 1 scripts (or one script)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON instead of Markdown")
    ap.add_argument("--out", type=Path, help="also write each converted script under this folder")
    ap.add_argument("--target", default="keras", choices=["keras", "tf.keras"])
    ap.add_argument("--image-dim-ordering", choices=["th", "tf"], default=None)
    ap.add_argument("--no-import-check", action="store_true",
                    help="do not import Keras 3 to check the output's imports")
    ap.add_argument("--top", type=int, default=25, help="rows in the corpus-wide tables")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds allowed per file before it is reported as a hang (0: no limit)")
    args = ap.parse_args(argv)
    if not args.folder.exists():
        print(f"examples_report: {args.folder}: no such file or directory", file=sys.stderr)
        return 2
    from k1port.api import Options

    options = Options(target=args.target, image_dim_ordering=args.image_dim_ordering)
    data = build(args.folder, options, args.out, not args.no_import_check, args.timeout)
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(markdown(data, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
