"""Call signatures (Keras 1 and Keras 3) and binding a call's arguments to one."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Mapping

import libcst as cst

NO_DEFAULT = object()


@dataclass(frozen=True)
class Signature:
    params: tuple[str, ...]  # positional-or-keyword parameters, in order
    defaults: dict[str, str]  # name -> repr of the default (literal), for params that have one
    varargs: bool = False
    varkw: bool = False
    kwargs: tuple[str, ...] = ()  # keywords that **kwargs accepted (base classes)
    keyword_only: frozenset[str] = frozenset()

    @classmethod
    def from_table(cls, entry: dict) -> "Signature":
        params, defaults, kwonly = [], {}, set()
        for p in entry["params"]:
            name, default = p[0], p[1]
            if len(p) > 2 and p[2]:
                kwonly.add(name)
            else:
                params.append(name)
            if default is not None:
                defaults[name] = default
        kwargs = tuple(k for k, _ in entry.get("kwargs", ()))
        # A class whose **kwargs we enumerated (Keras 1 layers check them) accepts only those.
        varkw = bool(entry.get("varkw")) and not kwargs
        return cls(tuple(params), defaults, bool(entry.get("varargs")), varkw, kwargs, frozenset(kwonly))

    def accepts(self, keyword: str) -> bool:
        return keyword in self.params or keyword in self.keyword_only or keyword in self.kwargs

    def default_value(self, name: str):
        """The default as a Python value (NO_DEFAULT when there is none or it is not literal)."""
        text = self.defaults.get(name)
        if text is None or text.startswith("<"):
            return NO_DEFAULT
        return ast.literal_eval(text)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p not in self.defaults)


@dataclass
class Bound:
    """A call's arguments bound to a signature.

    `args` maps parameter name -> cst.Arg in source order; `positional` holds the names that
    were passed positionally. `rest` keeps what could not be bound statically (*args, **kwargs
    expressions) and `errors` what a Keras 1 call would have rejected.
    """

    args: dict[str, cst.Arg] = field(default_factory=dict)
    positional: set[str] = field(default_factory=set)
    rest: list[cst.Arg] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    starred: bool = False  # positional binding stopped at a *args

    def __contains__(self, name: str) -> bool:
        return name in self.args

    def value(self, name: str) -> cst.BaseExpression | None:
        arg = self.args.get(name)
        return arg.value if arg is not None else None


_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def bind(args: tuple[cst.Arg, ...] | list[cst.Arg], sig: Signature,
         dicts: Mapping[str, cst.BaseExpression] | None = None) -> Bound:
    """Bind a call's arguments to `sig`. `**{...}`, `**dict(...)` and `**name` where `dicts`
    knows `name`'s literal dict are bound as keywords."""
    bound = Bound()
    index = 0
    for arg in args:
        if arg.star == "*":
            bound.starred = True
            bound.rest.append(arg)
        elif arg.star == "**":
            value = arg.value
            if isinstance(value, cst.Name) and dicts and value.value in dicts:
                value = dicts[value.value]
            expanded = literal_kwargs(value)
            if expanded is None:
                bound.rest.append(arg)
            else:
                for key, value in expanded:
                    _bind_keyword(bound, sig, key, cst.Arg(value=value, keyword=cst.Name(key), equal=_EQ))
        elif arg.keyword is None:
            if bound.starred:
                bound.rest.append(arg)
            elif index < len(sig.params):
                name = sig.params[index]
                bound.args[name] = arg
                bound.positional.add(name)
                index += 1
            elif sig.varargs:
                bound.rest.append(arg)
            else:
                bound.errors.append(f"too many positional arguments ({index + 1} given)")
                bound.rest.append(arg)
        else:
            _bind_keyword(bound, sig, arg.keyword.value, arg)
    return bound


def _bind_keyword(bound: Bound, sig: Signature, key: str, arg: cst.Arg) -> None:
    if key in bound.args:
        bound.errors.append(f"multiple values for argument '{key}'")
    elif not (sig.accepts(key) or sig.varkw):
        bound.errors.append(f"unexpected keyword argument '{key}'")
    bound.args[key] = arg


def literal_kwargs(value: cst.BaseExpression):
    """`**{'a': 1}` / `**dict(a=1)` as [(key, value)], else None."""
    if isinstance(value, cst.Dict):
        out = []
        for el in value.elements:
            if not (isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString)):
                return None
            key = el.key.evaluated_value
            if not (isinstance(key, str) and key.isidentifier()):
                return None
            out.append((key, el.value))
        return out
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Name)
            and value.func.value == "dict"
            and all(a.keyword is not None and not a.star for a in value.args)):
        return [(a.keyword.value, a.value) for a in value.args]
    return None
