"""The `k1port` command line (never imports TensorFlow, Keras or torch).

Exit codes (the same for every command):
  0  nothing left to do: every file converted exactly, or (check) nothing would change
  1  check: some file would change; convert: some construct was not converted exactly
     (an ERROR or WARNING finding, also marked `# k1port:` in the output)
  2  usage error, or a file could not be read, decoded or parsed
"""
from __future__ import annotations

import difflib
import enum
import sys
from pathlib import Path
from typing import List, Optional

import typer

from k1port import __version__

EXIT_HELP = """Exit codes: 0 done (all exact, or nothing to change); 1 changes pending (check) or
something not converted exactly (convert); 2 usage error or a file that cannot be read or parsed."""

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Convert Keras 1 code to Keras 3 / tf.keras.\n\n" + EXIT_HELP)


class TargetName(str, enum.Enum):
    keras = "keras"
    tf_keras = "tf.keras"


class Ordering(str, enum.Enum):
    th = "th"
    tf = "tf"


class Backend(str, enum.Enum):
    theano = "theano"
    tensorflow = "tensorflow"


TARGET = typer.Option(TargetName.keras, "--target", "-t", help="What to write: Keras 3 or tf.keras.")
ORDERING = typer.Option(None, "--image-dim-ordering",
                        help="What Keras 1's dim_ordering='default' meant (keras.json's image_dim_ordering). "
                             "Default: detected from the code, else 'tf' as in Keras 1.2.2.")


WEIGHTS = typer.Option(None, "--keras1-backend",
                       help="Which backend ran the Keras 1 code: Theano computed border_mode='same' and "
                            "saved convolution kernels differently from TensorFlow. Default: Theano for "
                            "'th' dim ordering, else TensorFlow (Keras 1.2.2's default backend).")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"k1port {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Show the version and exit.")) -> None:
    pass


def _run(paths: List[str], output: Optional[Path], diff: bool, write: bool, target: TargetName,
         ordering: Optional[Ordering], quiet: bool, backend: Optional[Backend] = None) -> int:
    from k1port.api import ConversionError, Options, convert_source
    from k1port.files import python_files, read_source, write_atomic

    options = Options(target=target.value, image_dim_ordering=ordering.value if ordering else None,
                      keras1_backend=backend.value if backend else None)
    status = 0
    changed_files = 0
    if output is not None and len(paths) != 1:
        typer.echo("k1port: -o/--output takes exactly one input path", err=True)
        return 2
    for spec in paths:
        if spec == "-":
            text = sys.stdin.read()
            try:
                result = convert_source(text, options)
            except ConversionError as exc:
                typer.echo(f"<stdin>:{exc.line}:{exc.col}: ERROR: {exc}", err=True)
                status = 2
                continue
            _report("<stdin>", result, quiet)
            if diff:
                sys.stdout.write(_diff("<stdin>", text, result.code))
            elif write:
                sys.stdout.write(result.code)
            status = max(status, _status(result, write, diff))
            continue
        root = Path(spec)
        if not root.exists():
            typer.echo(f"k1port: {spec}: no such file or directory", err=True)
            status = 2
            continue
        for path in python_files(root):
            shown = str(path)
            try:
                text, encoding = read_source(path)
                result = convert_source(text, options)
            except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
                typer.echo(f"{shown}:1:1: ERROR: cannot decode: {exc}", err=True)
                status = 2
                continue
            except ConversionError as exc:
                typer.echo(f"{shown}:{exc.line}:{exc.col}: ERROR: {exc}", err=True)
                status = 2
                continue
            _report(shown, result, quiet)
            if result.changed:
                changed_files += 1
            if diff:
                sys.stdout.write(_diff(shown, text, result.code))
            if write:
                dest = path if output is None else _destination(root, path, output)
                if str(output) == "-":
                    sys.stdout.write(result.code)
                elif result.changed or dest != path:
                    write_atomic(dest, result.code, encoding)
            status = max(status, _status(result, write, diff))
    if not quiet:
        verb = "converted" if write else "would convert"
        typer.echo(f"k1port: {changed_files} file(s) {verb}", err=True)
    return status


def _status(result, write: bool, diff: bool) -> int:
    if not write or diff:
        return 1 if result.changed or not result.exact else 0
    return 0 if result.exact else 1


def _destination(root: Path, path: Path, output: Path) -> Path:
    if root.is_file():
        return output / path.name if output.is_dir() else output
    return output / path.relative_to(root)


def _report(shown: str, result, quiet: bool) -> None:
    for finding in result.findings:
        if quiet and finding.level.value == "info":
            continue
        typer.echo(finding.format(shown), err=True)


def _diff(name: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        f"a/{name}", f"b/{name}"))


@app.command(help="Convert files in place (or to -o), folders recursively; '-' reads stdin.\n\n" + EXIT_HELP)
def convert(paths: List[str] = typer.Argument(..., help="Files, folders, or '-' for stdin."),
            output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                  help="Write here (a file, a folder, or '-' for stdout) "
                                                       "instead of in place."),
            diff: bool = typer.Option(False, "--diff", help="Print a unified diff; write nothing."),
            target: TargetName = TARGET, image_dim_ordering: Optional[Ordering] = ORDERING,
            keras1_backend: Optional[Backend] = WEIGHTS,
            quiet: bool = typer.Option(False, "--quiet", "-q", help="Hide INFO findings and the summary.")) -> None:
    raise typer.Exit(_run(paths, output, diff, not diff, target, image_dim_ordering, quiet, keras1_backend))


@app.command(help="Write nothing; exit 1 if any file would change.\n\n" + EXIT_HELP)
def check(paths: List[str] = typer.Argument(..., help="Files, folders, or '-' for stdin."),
          diff: bool = typer.Option(False, "--diff", help="Also print the diff."),
          target: TargetName = TARGET, image_dim_ordering: Optional[Ordering] = ORDERING,
          keras1_backend: Optional[Backend] = WEIGHTS,
          quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    raise typer.Exit(_run(paths, None, diff, False, target, image_dim_ordering, quiet, keras1_backend))


@app.command(help="Convert a Keras 1 model.save() file into a Keras 3 .keras file (needs the "
                  "keras extra; imports Keras).\n\n" + EXIT_HELP)
def weights(source: Path = typer.Argument(..., help="A Keras 1 .h5 file written by model.save()."),
            output: Path = typer.Option(..., "--output", "-o", help="The .keras file to write."),
            keras1_backend: Optional[Backend] = WEIGHTS) -> None:
    if output.suffix != ".keras":
        typer.echo("k1port: the output must be a .keras file", err=True)
        raise typer.Exit(2)
    try:
        import k1port.runtime as k1
    except ImportError as exc:  # pragma: no cover - depends on the installation
        typer.echo(f"k1port: weights needs Keras 3 (pip install 'k1port[keras]'): {exc}", err=True)
        raise typer.Exit(2)
    try:
        model = k1.load_model(source, backend=keras1_backend.value if keras1_backend else "auto")
    except (OSError, ValueError, KeyError) as exc:
        typer.echo(f"{source}: ERROR: {exc}", err=True)
        raise typer.Exit(2)
    model.save(output)
    typer.echo(f"k1port: wrote {output}", err=True)


@app.command(help="Print the conversion reference (generated from the rule tables) as Markdown.")
def rules() -> None:
    from k1port.coverage import markdown

    typer.echo(markdown())


def main() -> None:
    app()
