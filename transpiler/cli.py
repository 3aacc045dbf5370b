"""The `k1port` command line, on typer (never imports TensorFlow, Keras or torch).

A pre-commit hook runs `k1port check` on every commit, so start-up matters: LibCST, the rule
tables, nbformat, fissix, pathspec and rich are imported only when a file has to be converted or
a progress bar shown, and typer runs without rich (plain help and errors, plain tracebacks).

Exit codes (the same for every command):
  0  nothing left to do: every file converted exactly, or (check) nothing would change
  1  check/--diff: some file would change; convert: some construct was not converted exactly
     (an ERROR or WARNING finding, also marked `# k1port:` in the output)
  2  usage error, or a file could not be read, decoded or parsed
"""
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, List, Literal, Optional

import typer

from k1port import __version__

# \b: click prints the paragraph as written (no rewrapping).
EXIT_HELP = """\b
Exit codes: 0 done (all exact, or nothing to change); 1 changes pending (check,
--diff) or something not converted exactly (convert); 2 usage error or a file that cannot be
read or parsed (the other files are still processed)."""

app = typer.Typer(name="k1port", help="Convert Keras 1 code to Keras 3 / tf.keras.", epilog=EXIT_HELP,
                  add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


@dataclass
class Request:
    """What `convert` or `check` was asked to do: the command's parameters, by their long names."""
    command: str
    paths: list[str]
    diff: bool
    target: str
    image_dim_ordering: Optional[str]
    keras1_backend: Optional[str]
    py2: Optional[bool]  # None: only the files that do not parse as Python 3
    clear_outputs: bool
    exclude: list[str]
    jobs: int
    no_cache: bool
    report: Optional[Path]
    format: str
    quiet: bool
    output: Optional[str] = None  # convert only

    def __post_init__(self) -> None:  # typer may hand tuples (click's multiple values)
        self.paths, self.exclude = list(self.paths), list(self.exclude)


# What `convert` and `check` share: the parameters' types, defaults and help.
Paths = Annotated[List[str], typer.Argument(metavar="PATH", show_default=False,
                                            help="files, folders (recursively), or '-' for stdin")]
Target = Annotated[Literal["keras", "tf.keras"], typer.Option("--target", "-t",
                                                              help="what to write: Keras 3 or tf.keras")]
Ordering = Annotated[Optional[Literal["th", "tf"]], typer.Option(
    "--image-dim-ordering", show_default=False,
    help="what Keras 1's dim_ordering='default' meant (keras.json's image_dim_ordering); "
         "default: detected from the code, else 'tf' as in Keras 1.2.2")]
Keras1Backend = Annotated[Optional[Literal["theano", "tensorflow"]], typer.Option(
    "--keras1-backend", show_default=False,
    help="which backend ran the Keras 1 code ('same' padding, saved kernels); default: theano for 'th' "
         "dim ordering, else tensorflow")]
Py2 = Annotated[Optional[bool], typer.Option(
    "--py2/--no-py2", show_default=False,
    help="bring every file from Python 2 to 3 first / never run the Python 2 pass (default: only "
         "files that do not parse as Python 3)")]
ClearOutputs = Annotated[bool, typer.Option("--clear-outputs",
                                            help="notebooks that change lose their cells' outputs "
                                                 "(computed by Keras 1)")]
Exclude = Annotated[List[str], typer.Option("--exclude", metavar="PATTERN", show_default=False,
                                            help="skip paths matching this gitignore-style pattern "
                                                 "(repeatable); .gitignore files are always honoured")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", metavar="N", show_default=False,
                                   help="convert N files at a time (default: all cores)")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="ignore and do not update the result cache "
                                                          "(~/.cache/k1port, $K1PORT_CACHE_DIR)")]
Report = Annotated[Optional[Path], typer.Option("--report", metavar="FILE", show_default=False,
                                                help="write a migration report: FILE.json "
                                                     "(docs/report-format.md) or FILE.md")]
Format = Annotated[Literal["text", "json"], typer.Option(
    "--format", help="json: print the report (findings, changed files, diffs) on stdout")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="hide INFO findings and the summary")]
CORES = os.cpu_count() or 1


def _command(text: str):
    """A subcommand whose one-line help is shown whole in `k1port --help`."""
    return app.command(help=text, short_help=text, epilog=EXIT_HELP)


@_command("Convert files in place (or into -o), folders recursively; '-' reads stdin.")
def convert(paths: Paths,
            output: Annotated[Optional[str], typer.Option(
                "--output", "-o", metavar="OUT", show_default=False,
                help="write here instead of in place: a file, a folder (which receives a complete copy "
                     "of the tree), or '-' for stdout")] = None,
            diff: Annotated[bool, typer.Option("--diff", help="print a unified diff; write nothing")] = False,
            target: Target = "keras", image_dim_ordering: Ordering = None, keras1_backend: Keras1Backend = None,
            py2: Py2 = None, clear_outputs: ClearOutputs = False, exclude: Exclude = (), jobs: Jobs = CORES,
            no_cache: NoCache = False, report: Report = None, format: Format = "text",
            quiet: Quiet = False) -> None:
    raise typer.Exit(_convert_or_check(Request("convert", **locals())))  # locals(): the parameters


@_command("Write nothing; exit 1 if any file would change.")
def check(paths: Paths,
          diff: Annotated[bool, typer.Option("--diff", help="print a unified diff")] = False,
          target: Target = "keras", image_dim_ordering: Ordering = None, keras1_backend: Keras1Backend = None,
          py2: Py2 = None, clear_outputs: ClearOutputs = False, exclude: Exclude = (), jobs: Jobs = CORES,
          no_cache: NoCache = False, report: Report = None, format: Format = "text",
          quiet: Quiet = False) -> None:
    raise typer.Exit(_convert_or_check(Request("check", **locals())))


@_command("Convert a Keras 1 model.save() file into a Keras 3 .keras file (needs the keras extra; "
          "imports Keras).")
def weights(source: Annotated[Path, typer.Argument(show_default=False,
                                                   help="a Keras 1 .h5 file written by model.save()")],
            output: Annotated[Path, typer.Option("--output", "-o", show_default=False,
                                                 help="the .keras file to write")],
            keras1_backend: Keras1Backend = None) -> None:
    raise typer.Exit(_weights(source, output, keras1_backend))


@_command("Print the conversion reference (generated from the rule tables) as Markdown.")
def rules() -> None:
    from k1port.coverage import markdown

    print(markdown())


def _version(value: bool) -> None:
    if value:
        print(f"k1port {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def _options(ctx: typer.Context,
             version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                   help="show the version and exit")] = False) -> None:
    if ctx.invoked_subcommand is None:  # `k1port` alone: the help, and a usage error's status
        print(ctx.get_help())
        raise typer.Exit(2)


def main(argv: list[str] | None = None) -> int:
    """The `k1port` script (argv: sys.argv[1:]); tests call it in-process. Returns the exit status
    (typer's standalone mode prints usage errors and handles a closed pipe, then exits)."""
    try:
        app(args=argv, prog_name="k1port")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _weights(source: Path, output: Path, keras1_backend: Optional[str]) -> int:
    if output.suffix != ".keras":
        print("k1port: the output must be a .keras file", file=sys.stderr)
        return 2
    try:
        import k1port.runtime as k1
    except ImportError as exc:  # pragma: no cover - depends on the installation
        print(f"k1port: weights needs Keras 3 (pip install 'k1port[keras]'): {exc}", file=sys.stderr)
        return 2
    try:
        model = k1.load_model(source, backend=keras1_backend or "auto")
    except (OSError, ValueError, KeyError) as exc:
        print(f"{source}: ERROR: {exc}", file=sys.stderr)
        return 2
    model.save(output)
    print(f"k1port: wrote {output}", file=sys.stderr)
    return 0


def _convert_or_check(args) -> int:
    from k1port import batch, report

    write = args.command == "convert" and not args.diff
    output = getattr(args, "output", None)
    if args.report is not None and args.report.suffix not in (".json", ".md"):
        return _usage("--report takes a .json or .md file")
    if output is not None and len(args.paths) != 1:
        return _usage("-o/--output takes exactly one input path")
    if args.jobs < 1:
        return _usage("--jobs must be at least 1")
    options = {"target": args.target, "image_dim_ordering": args.image_dim_ordering,
               "keras1_backend": args.keras1_backend}
    if args.paths == ["-"]:
        return _stdin(args, options, write)
    job = batch.Job(options, args.py2, args.clear_outputs, write, None, args.diff)
    trees, status = [], 0
    for spec in args.paths:
        root = Path(spec)
        if spec == "-" or not (root.exists() or root.is_symlink()):
            print(f"k1port: {spec}: no such file or directory" + (" ('-' must be alone)" if spec == "-" else ""),
                  file=sys.stderr)
            status = 2
            continue
        if output is not None:
            if output == "-":
                if not root.is_file():
                    return _usage("-o - takes one file")
            else:
                out = Path(output)
                if root.is_dir() and os.path.realpath(out) == os.path.realpath(root):
                    return _usage("the output folder is the input folder: leave out -o to convert in place")
                job = batch.Job(options, args.py2, args.clear_outputs, write, out if write else None, args.diff)
        tree = batch.discover(root, spec, args.exclude, skip=job.output)
        if output not in (None, "-") and root.is_file():
            # -o FILE, or -o FOLDER that exists: the file goes in it
            rel = root.name if Path(output).is_dir() else ""
            tree.entries = [batch.Entry(e.shown, e.path, rel, True) for e in tree.entries]
        trees.append(tree)
    if output == "-":
        job = batch.Job(options, args.py2, args.clear_outputs, False, None, True)
    entries = [e for t in trees for e in t.entries if e.convert]
    cache = None
    if not args.no_cache:
        from k1port.cache import Cache, default_dir

        cache = Cache(default_dir(), dict(options, py2=args.py2, clear_outputs=args.clear_outputs))
    with _progress(args, len(entries)) as advance:
        records, hits = batch.run(entries, job, cache, args.jobs, advance)
    copied = _copy_the_rest(trees, job, records) if job.output is not None else 0
    skipped = [s for t in trees for s in t.skipped]
    totals = report.summary(records, copied, len(skipped), hits)
    if output == "-":
        for rec in records:
            sys.stdout.write(rec.get("code", rec.get("text")) or entries[0].path.read_text())
    doc = report.document(_public(records, args.diff and output != "-"), {
        "k1port_version": __version__, "command": args.command, "wrote": write, "roots": list(args.paths),
        "output": output, "options": dict(options, py2=args.py2, clear_outputs=args.clear_outputs)},
        skipped, totals)
    if args.format == "json":
        sys.stdout.write(report.to_json(doc))
    else:
        _print_text(doc, records, args, show_diff=args.diff and output != "-")
        if not args.quiet:
            for line in report.terminal_lines(totals, write):
                print(line, file=sys.stderr)
            for s in skipped:
                print(f"{s['path']}: skipped: {s['reason']}", file=sys.stderr)
    if args.report is not None:
        text = report.to_json(doc) if args.report.suffix == ".json" else report.to_markdown(doc)
        args.report.write_text(text, encoding="utf-8")
    return max(status, _exit_status(records, write or output == "-"))


def _usage(message: str) -> int:
    print(f"k1port: {message}", file=sys.stderr)
    return 2


def _stdin(args, options: dict, write: bool) -> int:
    from k1port import report
    from k1port.api import ConversionError, Options
    from k1port.documents import convert_document

    text = sys.stdin.read()
    try:
        result = convert_document(text, "<stdin>", Options(**options), py2=args.py2,
                                  clear_outputs=args.clear_outputs)
    except ConversionError as exc:
        rec = report.failed("<stdin>", str(exc), exc.line, exc.col)
    else:
        rec = report.record("<stdin>", text, result)
        if args.diff and result.changed:
            rec["code"], rec["text"] = result.code, text
        elif write:
            sys.stdout.write(result.code)
    doc = report.document(_public([rec], args.diff), {
        "k1port_version": __version__, "command": args.command, "wrote": False,
        "roots": ["-"], "output": "-" if write else None,
        "options": dict(options, py2=args.py2, clear_outputs=args.clear_outputs)},
        [], report.summary([rec]))
    if args.format == "json":
        sys.stdout.write(report.to_json(doc))
    else:
        _print_text(doc, [rec], args, show_diff=args.diff)
    return _exit_status([rec], write)


def _copy_the_rest(trees, job, records) -> int:
    """-o FOLDER: the files not converted are copied and in-tree links recreated, so the output
    is a complete working tree."""
    from k1port import batch, files, report

    copied = 0
    for tree in trees:
        for entry in tree.entries:
            if entry.convert:
                continue
            try:
                files.copy_atomic(entry.path, batch.destination(job, entry))
                copied += 1
            except OSError as exc:
                records.append(report.failed(entry.shown, f"cannot copy: {exc}"))
        for entry, target in tree.links:
            try:
                files.symlink_atomic(target, batch.destination(job, entry))
                copied += 1
            except OSError as exc:
                tree.skipped.append({"path": entry.shown, "reason": f"cannot recreate the link: {exc}"})
    return copied


def _public(records: list[dict], with_diff: bool) -> list[dict]:
    """Records as the report shows them: the code is dropped, a diff kept when asked for."""
    out = []
    for rec in records:
        rec = {k: v for k, v in rec.items() if k not in ("code", "text")}
        out.append(rec)
    if with_diff:
        for rec, full in zip(out, records):
            if "code" in full:
                rec["diff"] = _diff(full["path"], full["text"], full["code"])
    return out


def _print_text(doc: dict, records: list[dict], args, show_diff: bool) -> None:
    for rec in doc["files"]:
        where = rec["path"]
        if rec["error"]:
            e = rec["error"]
            print(f"{where}:{e['line']}:{e['col']}: ERROR: {e['message']}", file=sys.stderr)
        for f in rec["findings"]:
            if args.quiet and f["level"] == "info":
                continue
            cell = f"cell_{f['cell']}:" if "cell" in f else ""  # as findings.Finding.format
            print(f"{where}:{cell}{f['line']}:{f['col']}: {f['level'].upper()}: {f['message']} [{f['kind']}]",
                  file=sys.stderr)
        if show_diff and rec.get("diff"):
            sys.stdout.write(rec["diff"])
        elif args.command == "check" and rec["status"] == "changed":  # even with -q: what check is for
            print(f"{where}: would change", file=sys.stderr)


def _diff(name: str, before: str, after: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"))


def _exit_status(records: list[dict], wrote: bool) -> int:
    from k1port.report import needs_human

    status = 0
    for rec in records:
        if rec["status"] == "failed":
            return 2
        if needs_human(rec) or (not wrote and rec["status"] == "changed"):
            status = 1
    return status


class _progress:
    """A rich progress bar on a terminal (stderr), nothing otherwise; yields `advance(n)`."""

    def __init__(self, args, total: int) -> None:
        self.bar = None
        if args.format == "text" and not args.quiet and total > 1 and sys.stderr.isatty():
            self.total = total

    def __enter__(self):
        if not hasattr(self, "total"):
            return lambda n: None

        def advance(n: int) -> None:
            if self.bar is None:  # started on first use: after the worker processes are forked
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

                self.bar = Progress("k1port", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                    console=Console(stderr=True), transient=True)
                self.task = self.bar.add_task("", total=self.total)
                self.bar.start()
            self.bar.advance(self.task, n)
        return advance

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


if __name__ == "__main__":  # python -m k1port.cli (as python -m k1port)
    raise SystemExit(main())
