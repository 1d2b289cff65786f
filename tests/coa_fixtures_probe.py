"""Set 3: five layouts written after the parser's general rules, by their author, to probe for wrong values.

Not blind (whoever wrote them knew the rules), so their score is no estimate of accuracy on real certificates;
they look for a value read wrong in situations the rules were not written for: a % of label claim column, a
summary line with two totals, a terpene table and a metals table beside the cannabinoids, mg per bottle beside
mg per ml, a day/month-ambiguous European date. Written before their first run; the first run is kept in
BENCHMARKS.md. Same machinery as tests/coa_fixtures.py.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from tests.coa_fixtures import Expected, _pdf, _table


def summit_capsule() -> tuple[str, Expected]:
    """Capsules: mg per capsule beside a '% of label claim' column; 'Lot No.'; the label claim in the text."""
    html = (
        "<h1>Summit Botanical Testing</h1><p>Certificate of Analysis</p>"
        "<p>Product: CBD Capsules — label claim 25 mg CBD per capsule</p>"
        "<p>Lot No.: SC-2210 &nbsp;&nbsp; Date of Analysis: 2026-10-12</p>"
        + _table(
            ["Analyte", "LOQ (mg/capsule)", "Result (mg/capsule)", "% of Label Claim"],
            [
                ["CBD", "0.05", "24.6", "98.4"],
                ["Δ9-THC", "0.05", "0.31", "—"],
                ["CBG", "0.05", "0.52", "—"],
                ["CBN", "0.05", "ND", "—"],
            ],
        )
        + "<p>Heavy metals: PASS &nbsp;&nbsp; Microbials: PASS</p>"
    )
    return html, Expected(
        lab="Summit Botanical Testing",
        batch="SC-2210",
        tested_on=date(2026, 10, 12),
        unit="mg/unit",
        results={"cbd": "24.6", "thc": "0.31", "cbg": "0.52", "cbn": "ND"},
        panels={"heavy_metals": "pass", "microbials": "pass"},
    )


def lagoon_flower() -> tuple[str, Expected]:
    """A summary line with two totals at the top, then the table with mg/g before %; a 'Limit' column."""
    html = (
        "<h1>Lagoon Analytical Labs</h1>"
        "<p><b>Total THC: 18.7 % &nbsp;&nbsp;&nbsp; Total CBD: 0.06 %</b></p>"
        "<p>Batch: LG-0311 &nbsp;&nbsp; Completed: 21 Oct 2026</p>"
        + _table(
            ["Analyte", "Limit", "LOQ", "Result (mg/g)", "Result (%)"],
            [
                ["THCA", "", "0.1", "206.4", "20.64"],
                ["Δ9-THC", "3.0", "0.1", "6.1", "0.61"],
                ["CBDA", "", "0.1", "0.7", "0.07"],
                ["CBD", "", "0.1", "ND", "ND"],
                ["CBGA", "", "0.1", "9.2", "0.92"],
                ["Total THC", "", "", "187.1", "18.71"],
                ["Total CBD", "", "", "0.6", "0.06"],
            ],
        )
        + "<p>Pesticides: PASS</p>"
    )
    keys = ("thca", "thc", "cbda", "cbd", "cbga", "total_thc", "total_cbd")
    return html, Expected(
        lab="Lagoon Analytical Labs",
        batch="LG-0311",
        tested_on=date(2026, 10, 21),
        unit="mg/g",
        results=dict(zip(keys, ("206.4", "6.1", "0.7", "ND", "9.2", "187.1", "0.6"), strict=True)),
        also={"%": dict(zip(keys, ("20.64", "0.61", "0.07", "ND", "0.92", "18.71", "0.06"), strict=True))},
        panels={"pesticides": "pass"},
    )


def fjord_flower() -> tuple[str, Expected]:
    """European flower: decimal commas, '12.10.2026' (day first, as '28.09.2026' shows), THC-A, a terpene table."""
    html = (
        "<h1>Fjord Analyse Laboratorium AS</h1><p>Akkreditert etter NS-EN ISO/IEC 17025</p>"
        "<p>Mottatt / Received: 28.09.2026 &nbsp;&nbsp; Analysedato / Date of analysis: 12.10.2026</p>"
        "<p>Batch: FJ-77/2026</p>"
        + _table(
            ["Analyte", "LOQ (%)", "Result (%)"],
            [
                ["Δ9-Tetrahydrocannabinol", "0,05", "0,88"],
                ["THC-A", "0,05", "17,42"],
                ["CBD", "0,05", "&lt;0,05"],
                ["CBG", "0,05", "0,31"],
                ["Total THC", "", "16,16"],
            ],
        )
        + "<h3>Terpenes</h3>"
        + _table(["Terpene", "Result (%)"], [["β-Myrcene", "0,45"], ["Limonene", "0,21"], ["Total terpenes", "1,02"]])
        + "<p>Moisture: 11,2 %</p>"
    )
    return html, Expected(
        lab="Fjord Analyse Laboratorium AS",
        batch="FJ-77/2026",
        tested_on=date(2026, 10, 12),
        unit="%",
        results={"thc": "0.88", "thca": "17.42", "cbd": "<LOQ", "cbg": "0.31", "total_thc": "16.16"},
        accredited=True,
    )


def mesa_oil_bottle() -> tuple[str, Expected]:
    """mg/mL beside mg per bottle (30 mL); a metals table with its own numbers and PASS per metal."""
    html = (
        "<h2>Mesa Verde Labs LLC</h2><p>Client: Red Rock Hemp</p>"
        "<p>Batch ID: RR-1500-B7 &nbsp;&nbsp; Date Tested: October 2, 2026</p>"
        + _table(
            ["Cannabinoid", "LOQ (mg/mL)", "mg/mL", "mg/bottle"],
            [
                ["CBD", "0.1", "50.2", "1506"],
                ["CBDA", "0.1", "1.1", "33"],
                ["THC", "0.1", "0.9", "27"],
                ["CBC", "0.1", "0.8", "24"],
                ["Total CBD", "", "51.2", "1536"],
            ],
        )
        + "<h3>Heavy Metals</h3>"
        + _table(
            ["Metal", "Result (ppm)", "Limit (ppm)", "Status"],
            [["Lead", "0.04", "0.5", "PASS"], ["Arsenic", "&lt;0.02", "0.2", "PASS"], ["Mercury", "ND", "0.1", "PASS"]],
        )
    )
    return html, Expected(
        lab="Mesa Verde Labs LLC",
        batch="RR-1500-B7",
        tested_on=date(2026, 10, 2),
        unit="mg/ml",
        results={"cbd": "50.2", "cbda": "1.1", "thc": "0.9", "cbc": "0.8", "total_cbd": "51.2"},
        panels={"heavy_metals": "pass"},
    )


def orchard_gummy_serving_only() -> tuple[str, Expected]:
    """Gummies reported per serving only (a serving is 2 gummies): nothing per unit may be read from it."""
    html = (
        "<h1>Orchard Lab Services</h1><p>Lot #: OG-5512 &nbsp;&nbsp; Tested: 2026-09-30</p>"
        "<p>Serving size: 2 gummies</p>"
        + _table(
            ["Analyte", "LOQ", "mg/serving"], [["CBD", "0.5", "20.4"], ["THC", "0.5", "ND"], ["CBN", "0.5", "4.8"]]
        )
    )
    return html, Expected(lab=None, batch=None, tested_on=None, unit=None, results={}, refused=True)


PROBE = {
    "summit_capsule": summit_capsule,
    "lagoon_flower": lagoon_flower,
    "fjord_flower": fjord_flower,
    "mesa_oil_bottle": mesa_oil_bottle,
    "orchard_gummy_serving_only": orchard_gummy_serving_only,
}


@cache
def probe_pdf(name: str) -> tuple[bytes, Expected]:
    html, expected = PROBE[name]()
    return _pdf(html), expected
