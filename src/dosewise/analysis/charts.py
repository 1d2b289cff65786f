"""Hand-written, accessible SVG charts: the symptom over time, and the posterior of the effect.

Accessibility: every chart has ``role="img"`` with a <title> and a <desc> that states the numbers in words;
periods are told apart by text labels and hatching, never by colour alone; every point carries a <title>
tooltip; text is at least 12 px. No JavaScript, so the same SVG works in the page, the PDF and a file.
"""

from __future__ import annotations

from datetime import date
from html import escape
from itertools import count

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 48
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
_ids = count(1)


def _open(title: str, desc: str, height: int = H) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" '
        f'role="img" aria-labelledby="t{n} d{n}"><title id="t{n}">{escape(title)}</title>'
        f'<desc id="d{n}">{escape(desc)}</desc><rect width="{W}" height="{height}" fill="#ffffff"/>'
    )
    return head, f"p{n}"


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} fill="#1a1a1a" {extra}>{escape(s)}</text>'


def _xs(days: list[date], first: date, span: int) -> list[float]:
    """Horizontal pixel of each day (as ``x`` in series_chart computes it, for many days at once)."""
    offsets = np.array([d.toordinal() for d in days], dtype=np.int64) - first.toordinal()
    return (LEFT + (W - LEFT - RIGHT) * offsets / span).tolist()


def series_chart(
    dates: list[date],
    means: list[float],
    *,
    dose_mg: dict[date, float],
    periods: list[tuple[date, date, str]],
    scale_name: str,
    y_range: tuple[float, float],
    lower_is_better: bool,
) -> str:
    """Return the daily-mean chart: points and line, dose bars at the bottom, labelled hatched periods."""
    first = (
        min([dates[0], *[p[0] for p in periods]]) if dates else min((p[0] for p in periods), default=date(2000, 1, 1))
    )
    last = max([dates[-1], *[min(p[1], dates[-1]) for p in periods]]) if dates else first
    span = max((last - first).days, 1)
    lo, hi = y_range
    x = lambda d: LEFT + (W - LEFT - RIGHT) * (d - first).days / span  # noqa: E731
    y = lambda v: TOP + (H - TOP - BOTTOM) * (hi - v) / (hi - lo)  # noqa: E731
    better = "lower is better" if lower_is_better else "higher is better"
    desc = (
        (
            f"Daily mean {scale_name} ({better}) from {first} to {last}: {len(dates)} days with ratings, "
            f"first week mean {np.mean(means[:7]):.1f}, last week mean {np.mean(means[-7:]):.1f}. "
            + " ".join(f"{label}: {a} to {b}." for a, b, label in periods)
            + f" Doses on {len(dose_mg)} days are drawn as bars along the bottom."
        )
        if dates
        else "No ratings."
    )
    head, pid = _open(f"{scale_name} over time", desc)
    parts = [
        head,
        f'<defs><pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#7a7a7a" '
        f'stroke-width="2"/></pattern></defs>',
    ]
    for i, (a, b, label) in enumerate(periods):
        a, b = max(a, first), min(b, last)
        if b < a:
            continue
        hatched = not (label.startswith("baseline") or label.startswith("control"))
        fill = f"url(#{pid})" if hatched else "#eeeeee"
        x0, x1 = x(a), min(x(b) + (W - LEFT - RIGHT) / span, W - RIGHT)
        parts.append(
            f'<rect x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 1):.1f}" height="{H - TOP - BOTTOM}" '
            f'fill="{fill}" fill-opacity="0.35"><title>{escape(label)}: {a} to {b}</title></rect>'
        )
        if x1 - x0 > 60 or len(periods) <= 2:
            parts.append(_text((x0 + x1) / 2, TOP - 8 - 12 * (i % 2 and len(periods) > 2), label, "middle"))
    for v in np.linspace(lo, hi, 6):
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d0d0d0"/>')
        parts.append(_text(LEFT - 6, y(v) + 4, f"{v:g}", "end"))
    if dose_mg:
        top_mg = max(dose_mg.values()) or 1.0
        shown = [(d, mg) for d, mg in sorted(dose_mg.items()) if first <= d <= last]
        bar_x = _xs([d for d, _ in shown], first, span)
        for (d, mg), bx in zip(shown, bar_x, strict=True):
            h = 24 * mg / top_mg
            parts.append(
                f'<rect x="{bx:.1f}" y="{H - BOTTOM - h:.1f}" width="3" height="{h:.1f}" fill="#333">'
                f"<title>{d}: {mg:.1f} mg THC+CBD</title></rect>"
            )
    # coordinates for every day at once (the same arithmetic as x() and y(), so the same pixels)
    xs = _xs(dates, first, span)
    ys = (TOP + (H - TOP - BOTTOM) * (hi - np.asarray(means, dtype=float)) / (hi - lo)).tolist()
    pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in zip(xs, ys, strict=True))
    parts.append(f'<polyline points="{pts}" fill="none" stroke="#1f4e9c" stroke-width="2"/>')
    parts += [
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#1f4e9c"><title>{d}: {v:.1f}</title></circle>'
        for d, v, px, py in zip(dates, means, xs, ys, strict=True)
    ]
    parts.append(_text(LEFT, H - BOTTOM + 18, str(first)))
    parts.append(_text(W - RIGHT, H - BOTTOM + 18, str(last), "end"))
    parts.append(_text(LEFT, H - 10, f"Daily mean {scale_name} ({better}); bars: doses (mg THC+CBD per day)"))
    return "".join(parts) + "</svg>"


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
