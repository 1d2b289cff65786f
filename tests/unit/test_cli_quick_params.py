"""Command-line values converted without pydantic (dosewise.cli.quick_params) are exactly Typer's own.

Each value goes through the quick converter and through the adapter Typer builds itself; both must give the
same value, or the same error message. A value the quick converter does not take (a sign, an exponent, a path)
still reaches the person as Typer's message.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param

from dosewise.cli.quick_params import QuickParam, install

install()


def _command() -> Any:
    app = typer.Typer()

    @app.command()
    def cmd(
        text: str,
        count: int,
        amount: float,
        words: list[str],
        flag: bool = typer.Option(False, "--flag"),
        maybe: str | None = typer.Option(None, "--maybe"),
        limited: int = typer.Option(3, "--limited", min=1, max=9),
    ) -> None:
        """A command with one parameter of each kind the CLI uses."""

    @app.command()
    def other() -> None:
        """A second command, so that ``cmd`` is a sub-command."""

    return typer.main.get_group(app).commands["cmd"]


def _convert(param: Any, runtime: Any, value: Any) -> tuple[str, Any]:
    ctx = typer.Context(_command())
    try:
        out = runtime.coerce(value, param=param, ctx=ctx)
        return "ok", (type(out).__name__, repr(out))  # repr: nan equals nan
    except Exception as exc:  # the message a person would see
        return "error", f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"


VALUES = {
    "text": ["spasticity", "", " spaced ", "5 drops", "été", "bad\udcff"],
    "count": ["0", "7", "0007", "-3", "+4", " 5", "1_000", "3.0", "x", "99999999999999999999", 12],
    "amount": ["0.5", "5", "5.", ".5", "-1", "1e3", "inf", "nan", "1,5", "x", 2.5, 2],
    "words": [("4", "3"), (), ["a"]],
    "flag": [True, False, "yes", ""],
    "maybe": [None, "Ana"],
    "limited": ["5", "0", "10"],
}


@pytest.mark.parametrize("name,value", [(n, v) for n, vs in VALUES.items() for v in vs])
def test_quick_conversion_is_typers_conversion(name, value):
    param = next(p for p in _command().params if p.name == name)
    descriptor = param.type_descriptor
    quick = param.get_runtime_param()
    typers = build_runtime_param(descriptor)
    assert _convert(param, quick, value) == _convert(param, typers, value)
    if name == "limited":
        assert not isinstance(quick, QuickParam)  # bounded numbers stay Typer's
    else:
        assert isinstance(quick, QuickParam)
