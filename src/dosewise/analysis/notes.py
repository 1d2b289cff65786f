"""Plain-language notes that go with every analysis result (what it shows, and why it may mislead)."""

from __future__ import annotations

from datetime import date

from dosewise.analysis.beforeafter import ModelFit, ResponderCheck
from dosewise.analysis.exposure import ExposureFit
from dosewise.analysis.trial import TrialAnalysis
from dosewise.analysis.verdict import EffectSummary
from dosewise.model.scales import Scale

OPEN_LABEL_CAVEAT = (
    "Open-label and not randomised: you knew when you started, so expectation (the placebo response) can "
    "improve ratings; people often start when symptoms are at their worst, so some improvement follows anyway "
    "(regression to the mean); and slow changes (weather, other medicines, the condition itself) can look "
    "like an effect. A randomised trial answers the question fairly: dosewise trial new --help."
)
ASSOCIATION_CAVEAT = (
    "Association, not proof: doses are often taken on bad days (confounding by indication), and expectation "
    "and other changes move ratings too. The model allows for time of day, trend and day-to-day correlation, "
    "but only a randomised trial shows cause and effect."
)


def _direction(mean: float, scale: Scale) -> str:
    higher = "higher" if mean > 0 else "lower"
    good = (mean < 0) == scale.lower_is_better
    return f"{abs(mean):.1f} points {higher} ({'better' if good else 'worse'})"


def effect_sentence(s: EffectSummary, scale: Scale, what: str) -> str:
    """Return 'X was ... points lower (better) ...' with the interval and the MCID probabilities."""
    return (
        f"{what}: {scale.short} was {_direction(s.mean, scale)} (95 % interval {s.low:+.2f} to {s.high:+.2f} "
        f"points). Chance of an improvement of at least {s.mcid:.1f} points (the minimal important "
        f"difference): {s.p_benefit:.0%}; chance of a worsening that large: {max(s.p_harm, 0):.0%}."
    )


def mcid_note(scale: Scale, mcid: float) -> str:
    refs = ", ".join(scale.mcid.refs) or "product default"
    rule = f"{scale.mcid.points:g} point(s)" + (
        f" or {scale.mcid.percent:g} % of the baseline, whichever is larger" if scale.mcid.percent else ""
    )
    return f"Minimal important difference used: {mcid:.2f} points ({rule}; sources: {refs}). It is a setting."


def responder_note(r: ResponderCheck) -> str:
    if r.status == "not_yet":
        return f"4-week responder check: due once week 4 on the product ends ({r.window_last})."
    if r.status == "no_ratings":
        return f"4-week responder check: no ratings in week 4 ({r.window_first} to {r.window_last})."
    if r.status == "not_applicable":
        return "4-week responder check: not possible, the baseline mean is 0."
    met = ", ".join(f">= {k} %: {'yes' if v else 'no'}" for k, v in r.met.items())
    return (
        f"4-week responder check (unadjusted, {r.window_first} to {r.window_last}): {r.percent_improvement:.0f} % "
        f"better than the baseline mean of {r.baseline_mean:.1f} ({met}). The Sativex label continues "
        "treatment only with at least 20 % improvement after 4 weeks."
    )


def before_after_notes(fit: ModelFit, responder: ResponderCheck, scale: Scale, first: date) -> list[str]:
    return [
        OPEN_LABEL_CAVEAT,
        effect_sentence(
            fit.summary, scale, f"Since {first}, compared with before, allowing for trend and day-to-day correlation"
        ),
        responder_note(responder),
        mcid_note(scale, fit.summary.mcid),
    ]


def trial_notes(res: TrialAnalysis, blinded: bool, scale: Scale) -> list[str]:
    notes = [
        "Randomised, blinded: neither expectation nor timing can explain a difference between the arms."
        if blinded
        else "Randomised, open-label: the order was random, so trends and bad spells cannot favour one arm, but "
        "knowing the arm can still colour ratings (it answers 'does taking it help me?', not 'is it the drug?').",
        effect_sentence(res.model.summary, scale, "Model-based (daily means, washout days dropped, trend, CAR(1))"),
        effect_sentence(
            res.design,
            scale,
            f"Design-based (mean of {res.blocks_used} block differences, t with {res.blocks_used - 1} df)",
        ),
        f"Randomisation test: p = {res.randomisation_p:.3f}. With {res.blocks_used} blocks the smallest p this "
        f"design can reach is {res.smallest_p:.3f}"
        + (", so it cannot reach 0.05; add blocks for a firmer answer." if res.smallest_p > 0.05 else "."),
        mcid_note(scale, res.model.summary.mcid),
    ]
    if res.model.summary.verdict != res.design.verdict:
        notes.append(
            f"The model-based verdict ({res.model.summary.verdict}) and the design-based one "
            f"({res.design.verdict}) differ; the design-based one relies on fewer assumptions."
        )
    return notes + res.notes


def exposure_notes(fit: ExposureFit, scale: Scale) -> list[str]:
    best = ", ".join(f"{route}: about {h:g} h" for route, h in fit.best_half_life_h.items())
    support = max(fit.half_life_support.values())
    typical = ", ".join(f"{route} {mg:.1f} mg" for route, mg in fit.typical_mg.items())
    return [
        ASSOCIATION_CAVEAT,
        effect_sentence(
            fit.model.summary, scale, f"At your typical exposure ({typical} THC+CBD, decayed) compared with none"
        ),
        f"Best-supported duration of effect (half-life of the effect): {best} (probability {support:.0%} "
        "among the candidates tried)"
        + (
            "; the journal cannot tell the candidate durations apart well, so treat this as unknown."
            if support < 0.5
            else "."
        ),
        mcid_note(scale, fit.model.summary.mcid),
    ]
