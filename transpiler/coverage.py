"""The conversion reference, generated from the rule tables (README and docs/ embed it)."""
from __future__ import annotations

from k1port.rules import METHODS, RULES
from k1port.rules.spec import Rule


def _target(rule: Rule) -> str:
    if rule.custom is not None:
        return rule.note or "(custom)"
    if rule.target is None:
        return f"not converted: {rule.note}" if rule.note else "not converted"
    text = f"`{rule.target.replace('k1port.runtime.', 'k1.')}`"
    if rule.channels_first:
        text += f" (channels_first: `{rule.channels_first.replace('k1port.runtime.', 'k1.')}`)"
    return text


def _args(rule: Rule) -> str:
    parts = []
    for fold in rule.folds:
        parts.append(f"{', '.join(fold.sources)} → {fold.to}")
    for name, arg in rule.args.items():
        if name in ("batch_input_shape", "input_dtype", "weights") and rule.family not in ("models",):
            continue  # common to every layer; listed once below the table
        if arg.to is None:
            parts.append(f"~~{name}~~")
        elif arg.to != name or arg.value is not None:
            parts.append(f"{name} → {arg.to}" + ("*" if arg.value is not None else ""))
    for kw, src in rule.implied.items():
        parts.append(f"+{kw}={src}")
    return "; ".join(parts)


def markdown() -> str:
    lines = ["| family | Keras 1 | Keras 3 | arguments |", "|---|---|---|---|"]
    for rule in sorted(RULES.values(), key=lambda r: (r.family, r.keras1)):
        lines.append(f"| {rule.family} | `{rule.keras1}` | {_target(rule)} | {_args(rule)} |")
    for name, rule in sorted(METHODS.items(), key=lambda kv: (kv[1].family, kv[0])):
        lines.append(f"| {rule.family} | `.{name}()` | {_target(rule)} | {_args(rule)} |")
    lines += ["", "`a → b`: renamed; `*`: the value is converted too; ~~a~~: dropped (no effect in "
              "Keras 3); `+k=v`: Keras 1 behaviour stated explicitly. Every layer also converts "
              "`batch_input_shape` (→ `input_shape`), drops `input_dtype`, and sets `weights=` in Keras 1's "
              "layout when built (`k1.initial_weights`). "
              "Keras 1 defaults that Keras 3 changed are written out wherever they differ."]
    return "\n".join(lines)
