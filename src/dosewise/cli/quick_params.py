"""Plain command-line values without pydantic: a quick start for every command.

Typer (0.29 and later) converts each parameter's text with a pydantic ``TypeAdapter`` built when the command
runs: importing pydantic's validation machinery and building the adapters costs ``dosewise log`` about as much
as writing the entry. Nearly every value a person types is plain: text for a ``str`` parameter, digits for an
``int``, a decimal for a ``float``, words for a ``list[str]``. ``install`` gives such parameters a converter
that returns exactly what the adapter would for those values and hands anything else (a path, a bounded
number, a sign, an exponent, a value from elsewhere) to Typer's own adapter, built only then. A mistake on the
command line therefore gets the same message and exit code as before.

``install`` wraps Typer's ``_TyperParameter.get_runtime_param`` (where Typer builds the converter on first use):
it is the one place every parameter, the ``--help`` option included, passes through. With a Typer that does not
convert through adapters (older versions), it changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

try:  # Typer's parameter conversion (0.29+); absent in older Typer, which needs nothing from here
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - depends on the installed Typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_INT = re.compile(r"0|[1-9][0-9]{0,17}")  # plain digits: int() and pydantic agree on them
_FLOAT = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?")  # a plain decimal, no sign, exponent or spaces
_SLOW = object()  # "not a plain value": Typer's adapter converts it


def _plain(annotation: Any, value: Any) -> Any:
    """``value`` converted as Typer's adapter would for ``annotation``, or _SLOW if it is not a plain case."""
    if annotation is str:
        return value if type(value) is str and _utf8(value) else _SLOW
    if annotation is bool:
        return value if type(value) is bool else _SLOW
    if annotation is int:
        if type(value) is int:
            return value
        return int(value) if type(value) is str and _INT.fullmatch(value) else _SLOW
    if annotation is float:
        if type(value) is float:
            return value
        return float(value) if type(value) is str and _FLOAT.fullmatch(value) else _SLOW
    if get_origin(annotation) is list and get_args(annotation) == (str,) and isinstance(value, (list, tuple)):
        return list(value) if all(type(v) is str for v in value) else _SLOW
    return _SLOW


def _utf8(text: str) -> bool:
    """Text that is valid Unicode (a terminal's undecodable bytes arrive as lone surrogates: the adapter's)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _handled(descriptor: Any) -> bool:
    """A parameter whose plain values this module converts (no parser, bounds, choices or files)."""
    info = descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None or descriptor.file_annotation:
        return False
    annotation = descriptor.annotation
    return annotation in (str, bool, int, float) or (get_origin(annotation) is list and get_args(annotation) == (str,))


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class QuickParam(RuntimeParam):
        """Converts plain values itself; anything else goes to the adapter Typer would have built."""

        descriptor: Any = None
        _slow: list[Any] = field(default_factory=list)  # Typer's own converter, once built

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            quick = _plain(self.annotation, value)
            if quick is not _SLOW:
                return quick
            if not self._slow:
                self._slow.append(build_runtime_param(self.descriptor))
            return self._slow[0]._coerce_value(value, param=param, ctx=ctx)


def install() -> None:
    """Make every Typer parameter in this process convert its plain values quickly (once; idempotent)."""
    if RuntimeParam is None or getattr(_TyperParameter.get_runtime_param, "quick", False):
        return
    typers_own = _TyperParameter.get_runtime_param

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None and _handled(self.type_descriptor):
            d = self.type_descriptor
            self._runtime_param = QuickParam(parameter_info=d.parameter_info, annotation=d.annotation, descriptor=d)
        return typers_own(self)

    get_runtime_param.quick = True  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
