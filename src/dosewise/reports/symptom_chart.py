"""A small accessible SVG chart: daily mean symptom score (line) over daily mg CBD and mg THC (bars).

Readable in black and white: the score is a solid black line with dots; CBD bars are light grey,
THC bars dark grey stacked on top; both axes are labelled in their units. The SVG carries a
<title> and a <desc> that say in words what it shows, for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from dosewise.services.reports import DayPoint

_Position = Callable[[int], float]  # day index -> x in px
_Scale = Callable[[float], float]  # value (score points or mg) -> y in px

WIDTH, HEIGHT = 680, 215
LEFT, RIGHT, TOP, BOTTOM = 40, 52, 12, 34  # margins in px for the axes and labels


def _nice_max(value: float) -> float:
    """Return a round axis maximum (mg) at or above ``value``: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 0:
        return 1.0
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def _score_top(days: Sequence[DayPoint], scale_min: float, scale_max: float) -> float:
    """Return the top of the score axis: the scale's maximum for short scales (0-10, 0-48), else a round
    number just above the highest daily mean (a count scale up to 500 would flatten 2-8 cramps a day)."""
    if scale_max - scale_min <= 50:
        return scale_max
    highest = max((d.score for d in days if d.score is not None), default=scale_min)
    return min(scale_max, scale_min + _nice_max((highest - scale_min) * 1.15))


def _tick_step(span: float) -> float:
    """Return a round tick step that gives at most 6 gridlines over ``span`` scale points."""
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if span / (m * step) <= 6:
                return m * step
        step *= 10


def _fmt_day(d: date) -> str:
    return f"{d.day} {d:%b}"


def symptom_dose_svg(
    days: Sequence[DayPoint], *, scale_name: str, scale_min: float, scale_max: float, lower_is_better: bool
) -> str:
    """Return the chart as an inline SVG string (one x position per journal day)."""
    if not days:
        return ""
    n = len(days)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    scale_max = _score_top(days, scale_min, scale_max)
    slot = plot_w / n
    mg_max = _nice_max(max(d.thc_mg + d.cbd_mg for d in days))

    def x(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    def y_score(v: float) -> float:
        return TOP + plot_h * (1 - (v - scale_min) / (scale_max - scale_min))

    def y_mg(v: float) -> float:
        return TOP + plot_h * (1 - v / mg_max)

    parts = [_frame(plot_w, plot_h, scale_min, scale_max, mg_max, y_score, y_mg)]
    parts += _bars(days, x, y_mg, slot)
    parts += _line(days, x, y_score)
    parts += _x_labels(days, x)
    rated = [d for d in days if d.score is not None]
    better = "lower is better" if lower_is_better else "higher is better"
    desc = (
        f"{scale_name}: daily mean of {sum(d.ratings for d in days)} ratings on {len(rated)} of {n} days "
        f"from {_fmt_day(days[0].day)} to {_fmt_day(days[-1].day)} ({better}); bars show mg CBD (light) and "
        f"mg THC (dark) taken per day, up to {max(d.cbd_mg for d in days):g} mg CBD and "
        f"{max(d.thc_mg for d in days):g} mg THC."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="chart-title chart-desc" class="chart">'
        f'<title id="chart-title">{escape(scale_name)} with daily doses</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _frame(plot_w: float, plot_h: float, smin: float, smax: float, mg_max: float, y_score: _Scale, y_mg: _Scale) -> str:
    out = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="none" stroke="#000" '
        'stroke-width="0.8"/>'
    ]
    step = _tick_step(smax - smin)
    v = smin
    while v <= smax:
        y = y_score(v)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{LEFT - 5}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10">{v:g}</text>')
        v += step
    for frac in (0, 0.5, 1):
        y = y_mg(mg_max * frac)
        out.append(f'<text x="{LEFT + plot_w + 5:.1f}" y="{y + 3.5:.1f}" font-size="10">{mg_max * frac:g}</text>')
    out.append(
        f'<text x="10" y="{TOP + plot_h / 2:.1f}" font-size="10" text-anchor="middle" '
        f'transform="rotate(-90 10 {TOP + plot_h / 2:.1f})">score</text>'
    )
    out.append(
        f'<text x="{WIDTH - 8}" y="{TOP + plot_h / 2:.1f}" font-size="10" text-anchor="middle" '
        f'transform="rotate(90 {WIDTH - 8} {TOP + plot_h / 2:.1f})">mg per day</text>'
    )
    return "".join(out)


def _bars(days: Sequence[DayPoint], x: _Position, y_mg: _Scale, slot: float) -> list[str]:
    out = []
    w = max(slot * 0.7, 1.0)
    base = y_mg(0)
    for i, d in enumerate(days):
        if d.cbd_mg > 0:
            out.append(
                f'<rect x="{x(i) - w / 2:.1f}" y="{y_mg(d.cbd_mg):.1f}" width="{w:.1f}" '
                f'height="{base - y_mg(d.cbd_mg):.1f}" fill="#c8c8c8"/>'
            )
        if d.thc_mg > 0:
            top = y_mg(d.cbd_mg + d.thc_mg)
            out.append(
                f'<rect x="{x(i) - w / 2:.1f}" y="{top:.1f}" width="{w:.1f}" '
                f'height="{y_mg(d.cbd_mg) - top:.1f}" fill="#555"/>'
            )
    return out


def _line(days: Sequence[DayPoint], x: _Position, y_score: _Scale) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for i, d in enumerate([*days, None]):
        if d is not None and d.score is not None:
            run.append(f"{x(i):.1f},{y_score(d.score):.1f}")
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y_score(d.score):.1f}" r="1.9" fill="#000" stroke="#fff" '
                'stroke-width="0.6"/>'
            )
            continue
        if len(run) > 1:  # a white halo keeps the line readable where it crosses dark THC bars
            points = " ".join(run)
            out.append(f'<polyline points="{points}" fill="none" stroke="#fff" stroke-width="3.4"/>')
            out.append(f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="1.4"/>')
        run = []
    return out


def _x_labels(days: Sequence[DayPoint], x: _Position) -> list[str]:
    out = []
    y = HEIGHT - BOTTOM + 13
    for i in range(0, len(days), 14):
        out.append(f'<text x="{x(i):.1f}" y="{y}" font-size="10" text-anchor="middle">{_fmt_day(days[i].day)}</text>')
    legend_y = HEIGHT - 5
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT + 18}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="#000" stroke-width="1.4"/>'
    )
    out.append(f'<text x="{LEFT + 22}" y="{legend_y}" font-size="10">daily mean score</text>')
    out.append(f'<rect x="{LEFT + 140}" y="{legend_y - 9}" width="10" height="9" fill="#c8c8c8"/>')
    out.append(f'<text x="{LEFT + 154}" y="{legend_y}" font-size="10">mg CBD per day</text>')
    out.append(f'<rect x="{LEFT + 255}" y="{legend_y - 9}" width="10" height="9" fill="#555"/>')
    out.append(f'<text x="{LEFT + 269}" y="{legend_y}" font-size="10">mg THC per day</text>')
    return out
