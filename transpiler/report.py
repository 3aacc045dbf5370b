"""The migration report: one record per file, summed up for the terminal, written as JSON
(the stable, versioned format documented in docs/report-format.md) or Markdown.

A record is a plain dict (what the JSON holds, what the cache stores, what workers send back):
  path, kind ("python" | "notebook"), status ("changed" | "unchanged" | "failed"),
  lines_added, lines_removed, py2_fixes [str], findings [{line, col, level, kind, message[, cell]}],
  error (null | {line, col, message})
"""
from __future__ import annotations

import difflib
import json
from collections import Counter

SCHEMA = "k1port-report"
SCHEMA_VERSION = 1
LEVELS = ("error", "warning", "info")


def kind_of(path: str) -> str:
    return "notebook" if path.endswith(".ipynb") else "python"


def record(path: str, text: str, result) -> dict:
    """The record of a converted file (`result`: an api.Result)."""
    added = removed = 0
    if result.changed:
        matcher = difflib.SequenceMatcher(None, text.splitlines(), result.code.splitlines(), autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                removed += i2 - i1
                added += j2 - j1
    findings = []
    for f in result.findings:
        item = {"line": f.line, "col": f.col, "level": f.level.value, "kind": f.kind, "message": f.message}
        cell = getattr(f, "cell", None)  # notebooks: which cell the line belongs to
        if cell is not None:
            item["cell"] = cell
        findings.append(item)
    return {"path": path, "kind": kind_of(path), "status": "changed" if result.changed else "unchanged",
            "lines_added": added, "lines_removed": removed,
            "py2_fixes": sorted(getattr(result, "py2_fixes", None) or ()),
            "findings": findings, "error": None}


def unchanged(path: str) -> dict:
    return {"path": path, "kind": kind_of(path), "status": "unchanged", "lines_added": 0, "lines_removed": 0,
            "py2_fixes": [], "findings": [], "error": None}


def failed(path: str, message: str, line: int = 1, col: int = 1) -> dict:
    return dict(unchanged(path), status="failed", error={"line": line, "col": col, "message": message})


def needs_human(rec: dict) -> bool:
    return rec["status"] == "failed" or any(f["level"] != "info" for f in rec["findings"])


def summary(records: list[dict], copied: int = 0, skipped: int = 0, cache_hits: int = 0) -> dict:
    status = Counter(r["status"] for r in records)
    levels = Counter(f["level"] for r in records for f in r["findings"])
    kinds = Counter(f["kind"] for r in records for f in r["findings"])
    return {"files": len(records), "changed": status["changed"], "unchanged": status["unchanged"],
            "failed": status["failed"], "needs_human": sum(map(needs_human, records)),
            "copied": copied, "skipped": skipped, "cache_hits": cache_hits,
            "findings": {"by_level": {level: levels[level] for level in LEVELS},
                         "by_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))}}


def document(records: list[dict], meta: dict, skipped: list[dict], totals: dict) -> dict:
    """The whole JSON report (see docs/report-format.md)."""
    files = [dict(r, needs_human=needs_human(r)) for r in records]
    return {"format": SCHEMA, "version": SCHEMA_VERSION, **meta, "summary": totals,
            "files": files, "skipped": skipped}


def to_json(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def terminal_lines(totals: dict, wrote: bool) -> list[str]:
    verb = "converted" if wrote else "would change"
    extra = [f"{totals[k]} {k}" for k in ("copied", "skipped") if totals[k]]
    lines = [f"k1port: {totals['files']} files: {totals['changed']} {verb}, {totals['unchanged']} unchanged, "
             f"{totals['failed']} failed" + (f" ({', '.join(extra)})" if extra else "")]
    levels = totals["findings"]["by_level"]
    if any(levels.values()):
        kinds = ", ".join(f"{k} {n}" for k, n in totals["findings"]["by_kind"].items())
        lines.append(f"k1port: findings: {levels['error']} error, {levels['warning']} warning, "
                     f"{levels['info']} info ({kinds}); {totals['needs_human']} file(s) need a human")
    return lines


def to_markdown(doc: dict) -> str:
    s = doc["summary"]
    wrote = doc["wrote"]
    out = ["# k1port migration report", "",
           f"k1port {doc['k1port_version']}, `{doc['command']}`" + (" (files written)" if wrote else " (nothing written)"),
           "", "| files | " + ("converted" if wrote else "would change") + " | unchanged | failed | need a human |",
           "|---:|---:|---:|---:|---:|",
           f"| {s['files']} | {s['changed']} | {s['unchanged']} | {s['failed']} | {s['needs_human']} |", ""]
    levels = s["findings"]["by_level"]
    out += [f"Findings: {levels['error']} error, {levels['warning']} warning, {levels['info']} info.", ""]
    if s["findings"]["by_kind"]:
        out += ["| kind | count |", "|---|---:|"]
        out += [f"| `{k}` | {n} |" for k, n in s["findings"]["by_kind"].items()] + [""]
    human = [f for f in doc["files"] if f["needs_human"]]
    if human:
        out += ["## Needs a human", ""]
        for f in human:
            if f["error"]:
                e = f["error"]
                out.append(f"- `{f['path']}:{e['line']}:{e['col']}` **failed**: {_md(e['message'])}")
            out += [f"- `{f['path']}:{x['line']}:{x['col']}` {x['level'].upper()}: {_md(x['message'])} (`{x['kind']}`)"
                    for x in f["findings"] if x["level"] != "info"]
        out.append("")
    touched = [f for f in doc["files"] if f["status"] != "unchanged" or f["findings"]]
    if touched:
        out += ["## Files", "", "| file | status | lines +/- | findings | Python 2 fixes |", "|---|---|---:|---|---|"]
        for f in touched:
            counts = Counter(x["level"] for x in f["findings"])
            found = ", ".join(f"{counts[lv]} {lv}" for lv in LEVELS if counts[lv]) or "-"
            out.append(f"| `{f['path']}` | {f['status']} | +{f['lines_added']} -{f['lines_removed']} | {found} | "
                       f"{', '.join(f['py2_fixes']) or '-'} |")
        out.append("")
    if doc["skipped"]:
        out += ["## Skipped", ""] + [f"- `{x['path']}`: {x['reason']}" for x in doc["skipped"]] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
