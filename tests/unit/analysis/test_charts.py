"""SVG charts are valid XML and readable without colour or sight (title, desc, text labels, hatching)."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.analysis.charts import ChartDay, nice_max, posterior_chart, stack, symptom_chart
from dosewise.model.scales import get_scale

NS = {"s": "http://www.w3.org/2000/svg"}
D0 = date(2026, 10, 1)


SVG = "{http://www.w3.org/2000/svg}"


def _days(scores, cbd=0.0, thc=0.0, start=D0):
    return [ChartDay(start + timedelta(days=i), s, 0 if s is None else 1, thc, cbd) for i, s in enumerate(scores)]


def _series_svg():
    days = [ChartDay(D0 + timedelta(days=i), 6 - 0.05 * i, 1, 0.0, 10.0 if i == 15 else 0.0) for i in range(30)]
    return symptom_chart(
        days,
        scale=get_scale("spasticity"),
        periods=[
            (D0, D0 + timedelta(days=14), "baseline"),
            (D0 + timedelta(days=15), D0 + timedelta(days=29), "on product"),
        ],
    )


def _svg(days, scale="spasticity"):
    return ET.fromstring(symptom_chart(days, scale=get_scale(scale)))


def test_symptom_chart_has_title_desc_labels_and_hatching_for_the_treatment_period():
    root = ET.fromstring(_series_svg())
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert root.find("s:title", NS).text == "Spasticity over time"
    desc = root.find("s:desc", NS).text
    assert "30 ratings on 30 of 30 days" in desc and "on product: 2026-10-16 to 2026-10-30" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "baseline" in texts and "on product" in texts
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert any(f and f.startswith("url(#") for f in fills)  # pattern, not only colour
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "2026-10-16: 10 mg CBD, 0 mg THC" in tips and "2026-10-01: 6.0" in tips


def test_missing_days_break_the_line_instead_of_joining_it():
    root = _svg(_days([5, 6, None, None, 4, 3, 2]))
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == "#000"]
    assert [len(p.get("points").split()) for p in lines] == [2, 3]
    assert len(list(root.iter(f"{SVG}circle"))) == 5


def test_description_says_what_the_chart_shows():
    root = _svg(_days([5, None, 4], cbd=20.0, thc=2.7))
    desc = root.find("s:desc", NS).text
    assert "3 ratings" not in desc and "2 ratings on 2 of 3 days" in desc
    assert "20 mg CBD" in desc and "2.7 mg THC" in desc and "lower is better" in desc
    assert root.get("role") == "img"


def test_dose_axis_is_round_and_covers_the_largest_day():
    assert nice_max(0) == 1 and nice_max(66.6) == 100 and nice_max(12) == 20 and nice_max(5) == 5
    root = _svg(_days([5, 5], cbd=66.6, thc=5.4))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "100" in labels and "mg per day" in labels and "score" in labels and "mg CBD per day" in labels


def _score_labels(root):
    return [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


def test_count_scale_axis_fits_the_counts_not_the_scale_maximum():
    assert get_scale("cramp-count").max > 50
    assert _score_labels(_svg(_days([2, 8, 5]), "cramp-count")) == ["0", "2", "4", "6", "8", "10"]
    assert _score_labels(_svg(_days([40, 39]), "alsfrs-r")) == ["0", "10", "20", "30", "40"]


def test_no_days_no_chart():
    assert symptom_chart([], scale=get_scale("spasticity")) == ""


def test_a_long_series_keeps_its_day_labels_apart():
    root = _svg(_days([5.0] * 730))
    days = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle" and t.text[0].isdigit()]
    assert 4 <= len(days) <= 8 and days[0].text == "1 Oct 2026"


def test_posterior_chart_marks_mcid_zero_and_interval_in_words():
    post = CoefPosterior(np.ones(1), np.array([-1.2]), np.array([0.4]), 30.0)
    svg = posterior_chart(
        post,
        mean=-1.2,
        low=-2.0,
        high=-0.4,
        mcid=1.4,
        lower_is_better=True,
        scale_name="Spasticity",
        label="open-label, not randomised",
    )
    root = ET.fromstring(svg)
    assert "-1.20 points, 95 % interval -2.00 to -0.40" in root.find("s:desc", NS).text
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "-MCID (-1.4)" in texts and "+MCID (1.4)" in texts and "0 = no effect" in texts
    assert "<- lower = better" in texts


def test_stacked_document_is_one_valid_svg():
    post = CoefPosterior(np.ones(1), np.array([0.0]), np.array([0.4]), 30.0)
    doc = stack(
        [
            _series_svg(),
            posterior_chart(
                post, mean=0, low=-0.8, high=0.8, mcid=1, lower_is_better=False, scale_name="ALSFRS-R", label="x"
            ),
        ],
        title="Analysis",
    )
    root = ET.fromstring(doc.split("?>", 1)[1])
    assert root.get("height") == "598" and len(root.findall("s:svg", NS)) == 2


def test_two_years_are_drawn_as_weekly_points_that_say_what_they_stand_for():
    scores = [None if 14 <= i < 21 else float(i % 7) for i in range(730)]  # the third week unrated
    root = _svg(_days(scores, cbd=10.0))
    dots = list(root.iter(f"{SVG}circle"))
    assert len(dots) == 104  # 105 weeks (the last of 2 days), one of them unrated: no dot
    first = dots[0].findtext(f"{SVG}title")
    assert first == "2026-10-01 to 2026-10-07: 3.0 (7 of 7 days rated)"  # the mean of 0..6
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == "#000"]
    assert [len(p.get("points").split()) for p in lines] == [2, 102]  # the unrated week breaks the line
    bars = [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    assert bars[0] == "2026-10-01 to 2026-10-07: 10 mg CBD, 0 mg THC a day on average" and len(bars) == 105
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "weekly mean score" in texts and "daily mean score" not in texts
    desc = root.find("s:desc", NS).text
    assert "Drawn as weekly points" in desc and "on 723 of 730 days" in desc


def test_up_to_120_days_stay_one_point_a_day_and_longer_spans_group_more():
    from dosewise.analysis.charts import group_size

    assert [group_size(n) for n in (1, 84, 120, 121, 840, 841, 1680, 1681, 5000)] == [1, 1, 1, 7, 7, 14, 14, 28, 28]
    root = _svg(_days([5.0] * 84))
    assert len(list(root.iter(f"{SVG}circle"))) == 84
    assert "daily mean score" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_long_chart_is_light_enough_for_a_phone():
    svg = symptom_chart(_days([5.0] * 730, cbd=12.0, thc=1.0), scale=get_scale("spasticity"))
    assert len(svg.encode()) < 60_000  # one dot and bar a day made ~200 KB
