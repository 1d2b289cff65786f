"""Hand-written, accessible SVG charts: the symptom over time, and the posterior of the effect.

``symptom_chart`` is the one drawing of a symptom over time: the Insights page (``services.insights``)
and the clinician report (``services.reports.report_chart``) both use it. Scores are in the scale's
points, doses in mg THC and mg CBD per journal day.

Long spans are drawn in weeks (or fortnights, four-week spans): at most MAX_POINTS points fit the plot's
width with a dot and a bar a finger can aim at, so two years of days become 105 weekly points, each the mean
of its days' mean scores and the mean mg a day. The description and legend say so; nothing is hidden (every
point's tooltip names its days and how many were rated).

Accessibility: every chart has ``role="img"`` with a <title> and a <desc> that states the numbers in words;
periods are told apart by text labels and hatching, never by colour alone; CBD and THC bars by two greys and
a legend in words, readable in black and white; every point and bar carries a <title> tooltip; text is at
least 12 px. No JavaScript, so the same SVG works in the page, the PDF and a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import NamedTuple

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.model.scales import Scale

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 48  # margins of the posterior chart, px
S_H = 228  # height of the symptom chart, px (plus PERIOD_ROOM when it shows periods)
S_LEFT, S_RIGHT, S_TOP, S_BOTTOM = 50, 52, 12, 44  # its margins: score axis left, mg axis right, legend below
PERIOD_ROOM = 30  # room above the plot for the period labels, px
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _open(title: str, desc: str, height: int = H) -> tuple[str, str]:
    """Return the <svg> head with <title> and <desc>, and the chart's pattern id. Ids come from the words, so
    the same chart is the same text each time (the report's HTML and PDF match) and two charts differ."""
    n = hashlib.sha1(f"{title}\n{desc}".encode()).hexdigest()[:10]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" '
        f'role="img" aria-labelledby="t{n} d{n}"><title id="t{n}">{escape(title)}</title>'
        f'<desc id="d{n}">{escape(desc)}</desc><rect width="{W}" height="{height}" fill="#ffffff"/>'
    )
    return head, f"p{n}"


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} fill="#1a1a1a" {extra}>{escape(s)}</text>'


class ChartDay(NamedTuple):
    """One journal day of the symptom chart: mean score (None = no rating that day), mg THC and CBD taken.
    A named tuple: two years make 730 of them per drawing, and a frozen dataclass costs 4x to build."""

    day: date
    score: float | None
    ratings: int
    thc_mg: float
    cbd_mg: float


Period = tuple[date, date, str]  # first day, last day, label ("baseline", "on product", ...)
_Slot = Callable[[float], float]  # day index (fractional: a group's centre) -> x, px
MAX_POINTS = 120  # more points than this and dots overlap on the 614 px plot: group the days
GROUPS = (1, 7, 14, 28)  # days a point may stand for: a day, a week, two weeks, four weeks
GROUP_WORDS = {1: "daily", 7: "weekly", 14: "two-weekly", 28: "four-weekly"}  # the legend's "... mean score"


@dataclass(frozen=True)
class _Point:
    """One drawn point: a day, or a group of consecutive days (a week, ...), as a span of day indices."""

    first: int  # index of its first day in the chart's days
    n: int  # how many days it stands for
    tip: str  # the days it covers, for its tooltips ("2026-10-01" or "2026-10-01 to 2026-10-07")
    score: float | None  # mean of its days' mean scores (None: no day rated)
    rated: int  # days with a score
    thc_mg: float  # mg THC a day (the mean over its days)
    cbd_mg: float

    @property
    def centre(self) -> float:
        return self.first + (self.n - 1) / 2


def group_size(n_days: int) -> int:
    """Return how many days one point stands for so that ``n_days`` make at most MAX_POINTS points."""
    return next((g for g in GROUPS if -(-n_days // g) <= MAX_POINTS), GROUPS[-1])


def _points(days: Sequence[ChartDay], size: int) -> list[_Point]:
    """Group consecutive days ``size`` at a time (the last group may be shorter); one day each when size is 1."""
    if size == 1:
        return [
            _Point(i, 1, str(d.day), d.score, int(d.score is not None), d.thc_mg, d.cbd_mg) for i, d in enumerate(days)
        ]
    out = []
    for first in range(0, len(days), size):
        group = days[first : first + size]
        scores = [d.score for d in group if d.score is not None]
        out.append(
            _Point(
                first,
                len(group),
                f"{group[0].day} to {group[-1].day}",
                sum(scores) / len(scores) if scores else None,
                len(scores),
                sum(d.thc_mg for d in group) / len(group),
                sum(d.cbd_mg for d in group) / len(group),
            )
        )
    return out


_Scale = Callable[[float], float]  # value (score points or mg) -> y, px


def nice_max(value: float) -> float:
    """Return a round axis maximum at or above ``value``: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 0:
        return 1.0
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def _score_top(days: Sequence[ChartDay], scale: Scale) -> float:
    """Return the top of the score axis: the scale's maximum for short scales (0-10, 0-48), else a round
    number just above the highest daily mean (a count scale up to 500 would flatten 2-8 cramps a day)."""
    if scale.max - scale.min <= 50:
        return scale.max
    highest = max((d.score for d in days if d.score is not None), default=scale.min)
    return min(scale.max, scale.min + nice_max((highest - scale.min) * 1.15))


def _tick_step(span: float) -> float:
    """Return a round tick step that gives at most 6 gridlines over ``span`` scale points."""
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if span / (m * step) <= 6:
                return m * step
        step *= 10


def _day_words(d: date, with_year: bool) -> str:
    return f"{d.day} {d:%b %Y}" if with_year else f"{d.day} {d:%b}"


def symptom_chart(days: Sequence[ChartDay], *, scale: Scale, periods: Sequence[Period] = ()) -> str:
    """Return the symptom-over-time chart: the daily mean score (a line with a dot per rated day; a day
    without ratings breaks the line instead of joining across it) over the mg CBD (light) and mg THC (dark)
    taken each day as stacked bars, with labelled, hatched periods behind. ``days`` is one entry per journal
    day, consecutive. The one chart of a symptom over time: the Insights page and the clinician report both
    draw it. Returns "" when there are no days."""
    if not days:
        return ""
    n = len(days)
    size = group_size(n)
    points = _points(days, size)
    top = S_TOP + (PERIOD_ROOM if periods else 0)
    height = S_H + top - S_TOP
    plot_w, plot_h = W - S_LEFT - S_RIGHT, S_H - S_TOP - S_BOTTOM
    score_max = _score_top(days, scale)
    mg_max = nice_max(max(p.thc_mg + p.cbd_mg for p in points))
    slot = plot_w / n  # px per day

    def x(i: float) -> float:
        return S_LEFT + slot * (i + 0.5)

    def y_score(v: float) -> float:
        return top + plot_h * (1 - (v - scale.min) / (score_max - scale.min))

    def y_mg(v: float) -> float:
        return top + plot_h * (1 - v / mg_max)

    head, pid = _open(f"{scale.short} over time", _series_desc(days, scale, periods, size), height=height)
    parts = [head, *_periods(days, periods, x, slot, top, plot_h, pid)]
    parts.append(_frame(top, plot_w, plot_h, (scale.min, score_max), mg_max, y_score, y_mg))
    parts += _bars(points, x, y_mg, slot, per_day=size > 1)
    parts += _line(points, x, y_score)
    parts += _x_labels(days, x, height, GROUP_WORDS[size])
    return "".join(parts) + "</svg>"


def _series_desc(days: Sequence[ChartDay], scale: Scale, periods: Sequence[Period], size: int = 1) -> str:
    rated = [d.score for d in days if d.score is not None]
    better = "lower is better" if scale.lower_is_better else "higher is better"
    first, last = days[0].day, days[-1].day
    words = (
        f"{scale.short}: daily mean of {sum(d.ratings for d in days)} ratings on {len(rated)} of {len(days)} days "
        f"from {first} to {last} ({better})"
    )
    if rated:
        words += f"; first week mean {np.mean(rated[:7]):.1f}, last week mean {np.mean(rated[-7:]):.1f}"
    words += ". "
    if size > 1:
        words += f"Drawn as {GROUP_WORDS[size]} points: the mean of the daily means of each {size} days. "
    words += "".join(f"{label}: {a} to {b}. " for a, b, label in periods)
    return words + (
        f"Bars show mg CBD (light) and mg THC (dark) taken per day, up to {max(d.cbd_mg for d in days):g} mg CBD "
        f"and {max(d.thc_mg for d in days):g} mg THC."
    )


def _periods(
    days: Sequence[ChartDay], periods: Sequence[Period], x: _Slot, slot: float, top: float, plot_h: float, pid: str
) -> list[str]:
    """Shaded period bands behind the plot: grey for baseline or control, hatched for treatment; labelled."""
    if not periods:
        return []
    first, last = days[0].day, days[-1].day
    out = [
        f'<defs><pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#7a7a7a" '
        f'stroke-width="2"/></pattern></defs>'
    ]
    for i, (a, b, label) in enumerate(periods):
        a, b = max(a, first), min(b, last)
        if b < a:
            continue
        hatched = not (label.startswith("baseline") or label.startswith("control"))
        fill = f"url(#{pid})" if hatched else "#eeeeee"
        x0, x1 = x((a - first).days) - slot / 2, x((b - first).days) + slot / 2
        out.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1):.1f}" height="{plot_h:.1f}" '
            f'fill="{fill}" fill-opacity="0.35"><title>{escape(label)}: {a} to {b}</title></rect>'
        )
        if x1 - x0 > 60 or len(periods) <= 2:
            out.append(_text((x0 + x1) / 2, top - 8 - 14 * (i % 2 and len(periods) > 2), label, "middle"))
    return out


def _frame(
    top: float,
    plot_w: float,
    plot_h: float,
    score_range: tuple[float, float],
    mg_max: float,
    y_score: _Scale,
    y_mg: _Scale,
) -> str:
    """The plot's box, score gridlines and labels (left), mg labels (right) and both axis names."""
    smin, smax = score_range
    out = [
        f'<rect x="{S_LEFT}" y="{top}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="none" stroke="#000" '
        'stroke-width="0.8"/>'
    ]
    step = _tick_step(smax - smin)
    for v in np.arange(smin, smax + step * 1e-6, step).tolist():
        y = y_score(v)
        out.append(
            f'<line x1="{S_LEFT}" x2="{S_LEFT + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" '
            'stroke-width="0.6"/>'
        )
        out.append(_text(S_LEFT - 5, y + 4, f"{v:g}", "end"))
    for frac in (0, 0.5, 1):
        out.append(_text(S_LEFT + plot_w + 5, y_mg(mg_max * frac) + 4, f"{mg_max * frac:g}"))
    mid = top + plot_h / 2
    out.append(_text(12, mid, "score", "middle", f'transform="rotate(-90 12 {mid:.1f})"'))
    out.append(_text(W - 11, mid, "mg per day", "middle", f'transform="rotate(90 {W - 11} {mid:.1f})"'))
    return "".join(out)


def _bars(points: Sequence[_Point], x: _Slot, y_mg: _Scale, slot: float, *, per_day: bool) -> list[str]:
    """mg CBD (light grey) with mg THC (dark grey) stacked on top, one bar per point with doses (for a group
    of days: the mean mg a day)."""
    out = []
    base = y_mg(0)
    a_day = " a day on average" if per_day else ""
    for p in points:
        if p.cbd_mg <= 0 and p.thc_mg <= 0:
            continue
        w = max(slot * p.n * 0.7, 1.0)
        left, top = x(p.centre) - w / 2, y_mg(p.cbd_mg + p.thc_mg)
        cbd, thc = (f"{p.cbd_mg:.3g}", f"{p.thc_mg:.3g}") if per_day else (f"{p.cbd_mg:g}", f"{p.thc_mg:g}")
        out.append(f"<g><title>{p.tip}: {cbd} mg CBD, {thc} mg THC{a_day}</title>")
        if p.cbd_mg > 0:
            out.append(
                f'<rect x="{left:.1f}" y="{y_mg(p.cbd_mg):.1f}" width="{w:.1f}" '
                f'height="{base - y_mg(p.cbd_mg):.1f}" fill="#c8c8c8"/>'
            )
        if p.thc_mg > 0:
            out.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{y_mg(p.cbd_mg) - top:.1f}" fill="#555"/>'
            )
        out.append("</g>")
    return out


def _line(points: Sequence[_Point], x: _Slot, y_score: _Scale) -> list[str]:
    """The mean score as dots (each with its value as a tooltip) joined by a line that breaks at gaps."""
    out: list[str] = []
    run: list[str] = []
    for p in [*points, None]:
        if p is not None and p.score is not None:
            px, py = x(p.centre), y_score(p.score)
            run.append(f"{px:.1f},{py:.1f}")
            rated = f" ({p.rated} of {p.n} days rated)" if p.n > 1 else ""
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="#000" stroke="#fff" stroke-width="0.6">'
                f"<title>{p.tip}: {p.score:.1f}{rated}</title></circle>"
            )
            continue
        if len(run) > 1:  # a white halo keeps the line readable where it crosses dark THC bars
            points_attr = " ".join(run)
            out.append(f'<polyline points="{points_attr}" fill="none" stroke="#fff" stroke-width="3.4"/>')
            out.append(f'<polyline points="{points_attr}" fill="none" stroke="#000" stroke-width="1.4"/>')
        run = []
    return out


def _x_labels(days: Sequence[ChartDay], x: _Slot, height: int, every: str = "daily") -> list[str]:
    """Day labels every two weeks (wider apart on long series, at most 8, or 6 with years) and the legend."""
    with_year = days[-1].day.year != days[0].day.year and (days[-1].day - days[0].day).days > 180
    most = 6 if with_year else 8  # "21 Nov 2024" is wider than "21 Nov": fewer labels, so they never touch
    step = 14 * max(1, -(-len(days) // (14 * most)))
    y = height - S_BOTTOM + 16
    out = [_text(x(i), y, _day_words(days[i].day, with_year), "middle") for i in range(0, len(days), step)]
    legend_y = height - 6
    out.append(
        f'<line x1="{S_LEFT}" x2="{S_LEFT + 18}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="#000" '
        'stroke-width="1.4"/>'
    )
    score_words = f"{every} mean score"
    cbd_x = S_LEFT + 22 + max(128, 8 * len(score_words))  # room for the longer "two-weekly mean score"
    out.append(_text(S_LEFT + 22, legend_y, score_words))
    out.append(f'<rect x="{cbd_x}" y="{legend_y - 10}" width="10" height="10" fill="#c8c8c8"/>')
    out.append(_text(cbd_x + 14, legend_y, "mg CBD per day"))
    out.append(f'<rect x="{cbd_x + 130}" y="{legend_y - 10}" width="10" height="10" fill="#555"/>')
    out.append(_text(cbd_x + 144, legend_y, "mg THC per day"))
    return out


def posterior_chart(
    post: CoefPosterior,
    *,
    mean: float,
    low: float,
    high: float,
    mcid: float,
    lower_is_better: bool,
    scale_name: str,
    label: str,
) -> str:
    """Return the posterior density of the effect with the 95 % interval, zero and +/- MCID marked."""
    left, right = min(low, -mcid) - 0.5, max(high, mcid) + 0.5
    xs = np.linspace(left, right, 240)
    dens = post.pdf(xs)
    top = float(dens.max()) or 1.0
    x = lambda v: LEFT + (W - LEFT - RIGHT) * (v - left) / (right - left)  # noqa: E731
    axis = H - BOTTOM  # the density's baseline; below it: ticks, the interval bar, its label, direction words
    y = lambda d: axis - (axis - TOP) * d / top  # noqa: E731
    good = "lower" if lower_is_better else "higher"
    desc = (
        f"Estimated effect on {scale_name} ({label}): {mean:+.2f} points, 95 % interval {low:+.2f} to "
        f"{high:+.2f}. The minimal important difference is {mcid:.2f} points; {good} values mean improvement."
    )
    head, _ = _open(f"How big is the effect on {scale_name}?", desc, height=H + 40)
    path = " ".join(f"{x(v):.1f},{y(d):.1f}" for v, d in zip(xs, dens, strict=True))
    parts = [
        head,
        f'<polygon points="{x(left):.1f},{y(0):.1f} {path} {x(right):.1f},{y(0):.1f}" '
        'fill="#9db7e0" stroke="#1f4e9c" stroke-width="2"/>',
    ]
    for v, name, dash in (
        (-mcid, f"-MCID ({-mcid:.1f})", "6 4"),
        (0.0, "0 = no effect", ""),
        (mcid, f"+MCID ({mcid:.1f})", "6 4"),
    ):
        parts.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{TOP}" y2="{axis}" stroke="#1a1a1a" '
            f'stroke-width="1.5" stroke-dasharray="{dash}"/>'
        )
        parts.append(_text(x(v), TOP - 6, name, "middle"))
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{axis}" y2="{axis}" stroke="#1a1a1a"/>')
    for v in range(int(np.ceil(left)), int(np.floor(right)) + 1):
        parts.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{axis}" y2="{axis + 5}" stroke="#1a1a1a"/>')
        parts.append(_text(x(v), axis + 18, f"{v:+d}" if v else "0", "middle"))
    yb = axis + 32
    parts.append(f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{yb}" y2="{yb}" stroke="#1a1a1a" stroke-width="4"/>')
    parts.append(f'<circle cx="{x(mean):.1f}" cy="{yb}" r="5" fill="#1a1a1a"><title>mean {mean:+.2f}</title></circle>')
    parts.append(_text(x(mean), yb + 20, f"{mean:+.2f} (95 %: {low:+.2f} to {high:+.2f})", "middle"))
    left_word, right_word = ("better", "worse") if lower_is_better else ("worse", "better")
    parts.append(_text(LEFT, H + 36, f"<- lower = {left_word}"))
    parts.append(_text(W - RIGHT, H + 36, f"higher = {right_word} ->", "end"))
    return "".join(parts) + "</svg>"


def stack(svgs: list[str], *, title: str) -> str:
    """Return one SVG document with the given charts stacked vertically."""
    inner, y = [], 0
    for s in svgs:
        height = int(s.split('height="', 1)[1].split('"', 1)[0])
        inner.append(s.replace("<svg ", f'<svg y="{y}" ', 1))
        y += height
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{W}" '
        f'height="{y}" viewBox="0 0 {W} {y}" role="group" aria-label="{escape(title)}"><title>'
        f"{escape(title)}</title>{''.join(inner)}</svg>\n"
    )
