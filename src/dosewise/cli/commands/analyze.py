"""dosewise analyze [--scale S] [--design D] [--json] [--chart FILE.svg]"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.model.vocab import label
from dosewise.private import write_private
from dosewise.services import insights
from dosewise.services.runtime import open_database


def show_analysis(out: insights.AnalysisOut) -> None:
    """Print an analysis result as text (shared by 'analyze' and 'trial analyze')."""
    e = out.estimate
    console.print(
        f"[bold]{escape(out.scale_name)}[/] - {out.design.replace('_', '/')} ({out.label}), "
        f"{out.n_days} days with ratings"
    )
    console.print(f"Verdict: [bold]{label(out.verdict, 'verdict')}[/]")
    console.print(
        f"Effect: {e.mean:+.2f} points (95 % interval {e.low:+.2f} to {e.high:+.2f}); "
        f"{'negative' if out.lower_is_better else 'positive'} = better"
    )
    console.print(
        f"P(improves by >= {out.mcid:.2f} points) = {out.p_benefit:.0%}; "
        f"P(worsens by >= {out.mcid:.2f}) = {out.p_harm:.0%}; day-to-day correlation rho = {out.rho:.2f}"
    )
    if out.randomisation_p is not None and out.design_based is not None:
        d = out.design_based
        console.print(
            f"Design-based: {d.estimate.mean:+.2f} ({d.estimate.low:+.2f} to {d.estimate.high:+.2f}) "
            f"from {d.blocks_used} blocks; randomisation p = {out.randomisation_p:.3f} "
            f"(smallest possible {d.smallest_p:.3f})"
        )
    for note in out.notes:
        console.print(f"- {escape(note)}")


def analyze(
    scale: Annotated[str | None, typer.Option("--scale", help="Scale to analyse (default: primary scale).")] = None,
    design: Annotated[
        str | None,
        typer.Option(
            "--design", help="Force a design: before_after, randomised or exposure (default: the best available)."
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also write the charts to this SVG file.")] = None,
) -> None:
    """Is it helping me? The most honest analysis your journal allows, with its caveats."""
    if chart is not None and chart.suffix.lower() != ".svg":
        raise InvalidInput(f"The chart file must end in .svg (got '{chart}').", field="chart")
    out = insights.analyze(open_database(), scale=scale, design=design, with_charts=chart is not None)
    if chart is not None:
        write_private(chart, insights.chart_document(out).encode("utf-8"))
    if json_:
        print_json(out)
        return
    show_analysis(out)
    if chart is not None:
        console.print(f"Charts written to {escape(str(chart))}")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
