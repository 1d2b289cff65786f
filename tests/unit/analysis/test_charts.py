"""SVG charts are valid XML and readable without colour or sight (title, desc, text labels, hatching)."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import numpy as np

from dosewise.analysis.bayes_ar1 import CoefPosterior
from dosewise.analysis.charts import posterior_chart, series_chart, stack

NS = {"s": "http://www.w3.org/2000/svg"}
D0 = date(2026, 10, 1)


def _series_svg():
    dates = [D0 + timedelta(days=i) for i in range(30)]
    return series_chart(
        dates,
        [6 - 0.05 * i for i in range(30)],
        dose_mg={D0 + timedelta(days=15): 10.0},
        periods=[
            (D0, D0 + timedelta(days=14), "baseline"),
            (D0 + timedelta(days=15), D0 + timedelta(days=29), "on product"),
        ],
        scale_name="Spasticity",
        y_range=(0, 10),
        lower_is_better=True,
    )


def test_series_chart_has_title_desc_labels_and_hatching_for_the_treatment_period():
    root = ET.fromstring(_series_svg())
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert root.find("s:title", NS).text == "Spasticity over time"
    desc = root.find("s:desc", NS).text
    assert "30 days with ratings" in desc and "on product: 2026-10-16 to 2026-10-30" in desc
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "baseline" in texts and "on product" in texts
    fills = [r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert any(f and f.startswith("url(#") for f in fills)  # pattern, not only colour
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "2026-10-16: 10.0 mg THC+CBD" in tips


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
    assert root.get("height") == "640" and len(root.findall("s:svg", NS)) == 2
