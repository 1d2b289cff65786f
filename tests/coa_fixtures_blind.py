"""Held-out set 2: eight certificate layouts written before the parser was changed, and not tuned on afterwards.

Written 2026-12-02 by someone who had not read the parser's rules (model/coa_text.py), imitating how real
laboratories lay out certificates: % beside mg/g, LOD/LOQ before the result, totals rows carrying their
formula, several dates (received / tested / reported), client names near the lab's, Δ8 and Δ10 beside Δ9,
THCV/CBDV next to THC/CBD, European decimal commas, per-gummy beside per-serving columns, a two-column page,
the table on page 2, wrapped analyte names, and a scan with no text layer. Same machinery as
tests/coa_fixtures.py (WeasyPrint from our own HTML); no third-party PDF is used.

The truth (Expected) is what the certificate says, in its preferred unit; ``also`` holds the same results in
another unit the certificate prints too (reading either is right). A row marked NT / not tested is absent from
the truth: it is not 'ND'. Used by bench/bench_coa.py ('held-out set 2') and the tests.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache

from tests.coa_fixtures import Expected, _pdf, _table

PANEL_KEYS = ("residual_solvents", "microbials", "mycotoxins", "pesticides", "heavy_metals")


def _info(rows: list[tuple[str, str]]) -> str:
    """A two-column 'sample information' block, as most labs print it."""
    return "<table>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"


def amber_flower() -> tuple[str, Expected]:
    """US flower: LOD/LOQ then % and mg/g, received/tested/reported dates (MM/DD/YYYY), totals with formula."""
    html = (
        "<h1>Amber Valley Analytical, LLC</h1>"
        "<p>2150 Harbor Blvd, Suite 4, Sacramento, CA 95811 &nbsp; Lic. C8-0000123-LIC</p>"
        "<p>ISO/IEC 17025:2017 Accredited &nbsp;·&nbsp; Certificate of Analysis</p>"
        + _info(
            [
                ("Client", "Golden Hour Hemp Co."),
                ("Product", "“Sour Lime” hemp flower"),
                ("Sample ID", "AVA-260914-03"),
                ("Batch ID", "GH-FL-0422"),
                ("Matrix", "Flower"),
                ("Date Received", "09/10/2026"),
                ("Date Tested", "09/14/2026"),
                ("Date Reported", "09/16/2026"),
            ]
        )
        + "<h2>Cannabinoids (HPLC-DAD)</h2>"
        + _table(
            ["Analyte", "LOD (%)", "LOQ (%)", "Result (%)", "Result (mg/g)"],
            [
                ["Δ9-THC", "0.002", "0.01", "0.187", "1.87"],
                ["Δ8-THC", "0.002", "0.01", "ND", "ND"],
                ["THCA", "0.002", "0.01", "14.31", "143.1"],
                ["THCV", "0.002", "0.01", "&lt;LOQ", "&lt;LOQ"],
                ["CBD", "0.002", "0.01", "0.062", "0.62"],
                ["CBDA", "0.002", "0.01", "0.41", "4.1"],
                ["CBDV", "0.002", "0.01", "ND", "ND"],
                ["CBG", "0.002", "0.01", "0.09", "0.9"],
                ["CBGA", "0.002", "0.01", "0.88", "8.8"],
                ["CBN", "0.002", "0.01", "ND", "ND"],
                ["CBC", "0.002", "0.01", "0.05", "0.5"],
                ["Total THC (THCA × 0.877 + Δ9-THC)", "", "", "12.737", "127.37"],
                ["Total CBD (CBDA × 0.877 + CBD)", "", "", "0.422", "4.22"],
                ["Total Cannabinoids", "", "", "15.99", "159.9"],
            ],
        )
        + "<h2>Safety summary</h2>"
        + _table(
            ["Test", "Result"],
            [
                ["Pesticides", "PASS"],
                ["Heavy Metals", "PASS"],
                ["Microbials", "PASS"],
                ["Mycotoxins", "PASS"],
                ["Residual Solvents", "NOT TESTED"],
                ["Moisture Content", "10.4 %"],
                ["Water Activity", "0.52 aw"],
            ],
        )
    )
    keys = ("thc", "d8thc", "thca", "thcv", "cbd", "cbda", "cbdv", "cbg", "cbga", "cbn", "cbc")
    keys += ("total_thc", "total_cbd")
    mg_g = ("1.87", "ND", "143.1", "<LOQ", "0.62", "4.1", "ND", "0.9", "8.8", "ND", "0.5", "127.37", "4.22")
    pct = ("0.187", "ND", "14.31", "<LOQ", "0.062", "0.41", "ND", "0.09", "0.88", "ND", "0.05", "12.737", "0.422")
    return html, Expected(
        lab="Amber Valley Analytical, LLC",
        batch="GH-FL-0422",
        tested_on=date(2026, 9, 14),
        unit="mg/g",
        results=dict(zip(keys, mg_g, strict=True)),
        also={"%": dict(zip(keys, pct, strict=True))},
        panels={"pesticides": "pass", "heavy_metals": "pass", "microbials": "pass", "mycotoxins": "pass"},
        accredited=True,
    )


def nordhanf_oil() -> tuple[str, Expected]:
    """European oil: decimal commas everywhere (1,105 is one point one), dd.mm.yyyy dates, density 0,921."""
    html = (
        "<h1>Nordhanf Labor GmbH</h1>"
        "<p>Prüflabor akkreditiert nach DIN EN ISO/IEC 17025:2018 (D-PL-12345-01-00)</p>"
        "<h2>Certificate of Analysis / Prüfbericht Nr. 2026-11873</h2>"
        + _info(
            [
                ("Customer", "Alpenhanf e.U., Innsbruck"),
                ("Product", "CBD Öl 10 % Vollspektrum"),
                ("Lot #", "AH-10-2609"),
                ("Sample received", "08.09.2026"),
                ("Date of analysis", "14.09.2026"),
                ("Density (20 °C)", "0,921 g/ml"),
            ]
        )
        + "<h3>Cannabinoid content (HPLC-UV)</h3>"
        + _table(
            ["Analyte", "LOQ (% w/w)", "Content (% w/w)", "Content (mg/ml)"],
            [
                ["CBD", "0,01", "9,812", "90,37"],
                ["CBDA", "0,01", "0,214", "1,97"],
                ["Δ9-THC", "0,01", "0,168", "1,55"],
                ["THCA", "0,01", "&lt;0,01", "&lt;0,09"],
                ["CBG", "0,01", "1,105", "10,18"],
                ["CBN", "0,01", "n.d.", "n.d."],
                ["CBC", "0,01", "0,092", "0,85"],
                ["Total THC*", "", "0,168", "1,55"],
                ["Total CBD*", "", "10,000", "92,10"],
            ],
        )
        + "<p>* Total THC = Δ9-THC + 0,877 × THCA; Total CBD = CBD + 0,877 × CBDA</p>"
        + "<p>Microbiology (Ph. Eur. 2.6.12): Pass</p>"
        + "<p>Heavy metals: Pass &nbsp;·&nbsp; Pesticides: Pass &nbsp;·&nbsp; Mycotoxins: n.t.</p>"
    )
    keys = ("cbd", "cbda", "thc", "thca", "cbg", "cbn", "cbc", "total_thc", "total_cbd")
    mg_ml = ("90.37", "1.97", "1.55", "<LOQ", "10.18", "ND", "0.85", "1.55", "92.1")
    pct = ("9.812", "0.214", "0.168", "<LOQ", "1.105", "ND", "0.092", "0.168", "10")
    return html, Expected(
        lab="Nordhanf Labor GmbH",
        batch="AH-10-2609",
        tested_on=date(2026, 9, 14),
        unit="mg/ml",
        results=dict(zip(keys, mg_ml, strict=True)),
        also={"%": dict(zip(keys, pct, strict=True))},
        panels={"microbials": "pass", "heavy_metals": "pass", "pesticides": "pass"},
        density_g_ml=0.921,
        accredited=True,
    )


def brightwell_gummy() -> tuple[str, Expected]:
    """Gummies: mg/g, mg per gummy and mg per serving (two gummies) side by side; 'Sep 28, 2026' dates."""
    html = (
        "<h1>Brightwell Labs</h1><p>Certificate of Analysis</p>"
        "<p>Client: Dreamy Hemp Co. &nbsp;&nbsp; Product: Night Berry Gummies 25 mg</p>"
        "<p>Lot #: DH-NB-1009 &nbsp;&nbsp; Sample ID: BWL-44821</p>"
        "<p>Date Collected: Sep 28, 2026 &nbsp;&nbsp; Date Tested: Oct 5, 2026</p>"
        "<p>Unit weight: 4.0 g &nbsp;&nbsp; Serving size: 2 gummies &nbsp;&nbsp; Servings per container: 15</p>"
        + _table(
            ["Analyte", "LOQ (mg/g)", "mg/g", "mg/gummy", "mg/serving"],
            [
                ["Delta 9 THC", "0.05", "0.45", "1.8", "3.6"],
                ["CBD", "0.05", "6.25", "25.0", "50.0"],
                ["CBN", "0.05", "1.25", "5.0", "10.0"],
                ["CBG", "0.05", "&lt;LOQ", "&lt;LOQ", "&lt;LOQ"],
                ["CBDA", "0.05", "ND", "ND", "ND"],
                ["THCA", "0.05", "ND", "ND", "ND"],
                ["Total THC", "", "0.45", "1.8", "3.6"],
                ["Total CBD", "", "6.25", "25.0", "50.0"],
            ],
        )
        + _table(
            ["Contaminants", "Status"], [["Heavy Metals", "Pass"], ["Microbials", "Pass"], ["Pesticides", "Not tested"]]
        )
    )
    keys = ("thc", "cbd", "cbn", "cbg", "cbda", "thca", "total_thc", "total_cbd")
    return html, Expected(
        lab="Brightwell Labs",
        batch="DH-NB-1009",
        tested_on=date(2026, 10, 5),
        unit="mg/unit",
        results=dict(zip(keys, ("1.8", "25", "5", "<LOQ", "ND", "ND", "1.8", "25"), strict=True)),
        also={"mg/g": dict(zip(keys, ("0.45", "6.25", "1.25", "<LOQ", "ND", "ND", "0.45", "6.25"), strict=True))},
        panels={"heavy_metals": "pass", "microbials": "pass"},
    )


def coastline_softgel() -> tuple[str, Expected]:
    """Two pages: sample details and a pass/fail summary on page 1, the cannabinoid table on page 2."""
    html = (
        "<h1>Coastline Analytical Services</h1><p>A2LA accredited to ISO/IEC 17025 &nbsp; Certificate 4821.01</p>"
        "<h2>Certificate of Analysis</h2>"
        + _info(
            [
                ("Client", "Sunday Botanicals"),
                ("Product", "CBD Softgels 25 mg"),
                ("Batch ID", "SB-SG-25-0917"),
                ("Sample ID", "CAS-2609-117"),
                ("Received", "09-Sep-2026"),
                ("Analyzed", "14-Sep-2026"),
                ("Reported", "16-Sep-2026"),
            ]
        )
        + "<h2>Summary</h2>"
        + _table(
            ["Test", "Status"],
            [
                ["Cannabinoids", "Complete"],
                ["Pesticides", "PASS"],
                ["Heavy Metals", "PASS"],
                ["Residual Solvents", "PASS"],
                ["Microbials", "PASS"],
                ["Mycotoxins", "PASS"],
            ],
        )
        + "<p>Page 1 of 2</p>"
        + "<div style='page-break-before:always'><h2>Cannabinoid Profile — Batch SB-SG-25-0917</h2>"
        + "<p>Softgel fill weight: 0.95 g</p>"
        + _table(
            ["Compound", "LOD (mg/g)", "LOQ (mg/g)", "mg/g", "mg/softgel"],
            [
                ["d9-THC", "0.03", "0.1", "ND", "ND"],
                ["THCa", "0.03", "0.1", "ND", "ND"],
                ["CBD", "0.03", "0.1", "26.84", "25.5"],
                ["CBDa", "0.03", "0.1", "&lt;LOQ", "&lt;LOQ"],
                ["CBG", "0.03", "0.1", "0.63", "0.6"],
                ["CBN", "0.03", "0.1", "&lt;LOQ", "&lt;LOQ"],
                ["Total THC", "", "", "ND", "ND"],
                ["Total CBD", "", "", "26.84", "25.5"],
            ],
        )
        + "<p>Page 2 of 2</p></div>"
    )
    keys = ("thc", "thca", "cbd", "cbda", "cbg", "cbn", "total_thc", "total_cbd")
    return html, Expected(
        lab="Coastline Analytical Services",
        batch="SB-SG-25-0917",
        tested_on=date(2026, 9, 14),
        unit="mg/unit",
        results=dict(zip(keys, ("ND", "ND", "25.5", "<LOQ", "0.6", "<LOQ", "ND", "25.5"), strict=True)),
        also={"mg/g": dict(zip(keys, ("ND", "ND", "26.84", "<LOQ", "0.63", "<LOQ", "ND", "26.84"), strict=True))},
        panels=dict.fromkeys(PANEL_KEYS, "pass"),
        accredited=True,
    )


def keystone_vape() -> tuple[str, Expected]:
    """Two-column page: potency on the left, sample details and safety on the right; a Δ8 distillate."""
    left = "<h3>Potency</h3>" + _table(
        ["Analyte", "LOQ", "%", "mg/g"],
        [
            ["Delta-8 THC", "0.1", "85.21", "852.1"],
            ["Delta-9 THC", "0.1", "&lt;LOQ", "&lt;LOQ"],
            ["Delta-10 THC", "0.1", "1.02", "10.2"],
            ["CBD", "0.1", "ND", "ND"],
            ["CBG", "0.1", "2.31", "23.1"],
            ["CBN", "0.1", "0.44", "4.4"],
            ["THCV", "0.1", "ND", "ND"],
            ["HHC", "0.1", "ND", "ND"],
            ["Total THC", "", "&lt;LOQ", "&lt;LOQ"],
            ["Total Cannabinoids", "", "88.98", "889.8"],
        ],
    )
    right = (
        "<h3>Sample</h3><p>Batch: CN-D8-0914</p><p>Matrix: Distillate cartridge</p><p>Tested: 2026-09-14</p>"
        "<h3>Safety</h3>"
        + _table(
            ["Panel", "Result"],
            [
                ["Residual Solvents", "PASS"],
                ["Heavy Metals", "PASS"],
                ["Pesticides", "PASS"],
                ["Microbials", "NT"],
                ["Mycotoxins", "NT"],
            ],
        )
    )
    html = (
        "<h1>Keystone Labs</h1><p>Certificate of Analysis &nbsp;·&nbsp; Prepared for: Cloud Nine Distributors</p>"
        f"<div style='float:left;width:56%'>{left}</div><div style='float:right;width:40%'>{right}</div>"
    )
    keys = ("d8thc", "thc", "cbd", "cbg", "cbn", "thcv", "total_thc")
    return html, Expected(
        lab="Keystone Labs",
        batch="CN-D8-0914",
        tested_on=date(2026, 9, 14),
        unit="mg/g",
        results=dict(zip(keys, ("852.1", "<LOQ", "ND", "23.1", "4.4", "ND", "<LOQ"), strict=True)),
        also={"%": dict(zip(keys, ("85.21", "<LOQ", "ND", "2.31", "0.44", "ND", "<LOQ"), strict=True))},
        panels={"residual_solvents": "pass", "heavy_metals": "pass", "pesticides": "pass"},
    )


def prairie_isolate() -> tuple[str, Expected]:
    """CBD isolate: result then a units column then LOD/LOQ; full names wrapped in a narrow first column."""
    rows = [
        ("Cannabidiol (CBD)", "99.12"),
        ("Cannabidiolic acid (CBDA)", "ND"),
        ("Δ9-Tetrahydrocannabinol (Δ9-THC)", "ND"),
        ("Tetrahydrocannabinolic acid (THCA)", "ND"),
        ("Cannabigerol (CBG)", "0.21"),
        ("Cannabinol (CBN)", "&lt;LOD"),
        ("Cannabichromene (CBC)", "NT"),
        ("Cannabidivarin (CBDV)", "0.14"),
        ("Total THC", "ND"),
        ("Total CBD", "99.12"),
    ]
    cell = "<td style='width:3.2cm'>{}</td>"
    body = "".join(
        f"<tr>{cell.format(name)}<td>{value}</td><td>%</td><td>0.005</td><td>0.01</td></tr>" for name, value in rows
    )
    html = (
        "<p style='font-size:15pt'><b>PRAIRIE STATE TESTING</b></p><p>4410 Industrial Pkwy, Lincoln, NE 68504</p>"
        "<p>Certificate of Analysis — CBD Isolate Powder</p>"
        "<p>Sample ID: PST-77120 &nbsp;&nbsp; Lot Number: HC-ISO-5531 &nbsp;&nbsp; Report Date: Sep 14, 2026</p>"
        "<table><tr><th style='width:3.2cm'>Analyte</th><th>Result</th><th>Units</th><th>LOD</th><th>LOQ</th></tr>"
        f"{body}</table>"
        "<p>Residual solvents: PASS &nbsp;&nbsp; Heavy metals: PASS</p>"
    )
    return html, Expected(
        lab="PRAIRIE STATE TESTING",
        batch="HC-ISO-5531",
        tested_on=date(2026, 9, 14),
        unit="%",
        results={
            "cbd": "99.12",
            "cbda": "ND",
            "thc": "ND",
            "thca": "ND",
            "cbg": "0.21",
            "cbn": "ND",
            "cbdv": "0.14",
            "total_thc": "ND",
            "total_cbd": "99.12",
        },
        panels={"residual_solvents": "pass", "heavy_metals": "pass"},
    )


def riverbend_tincture() -> tuple[str, Expected]:
    """US tincture: the unit written after every value, 09/04/2026 (September: a US lab), a failed panel."""
    html = (
        "<h2>Riverbend Analytical Laboratory</h2><p>Portland, OR &nbsp; ORELAP ID OR100123</p>"
        "<p>Client: Juniper Wellness &nbsp;&nbsp; Product: CBD Tincture 1500 mg / 30 mL</p>"
        "<p>Batch #: JW-1500-0904 &nbsp;&nbsp; Date Sampled: 08/27/2026 &nbsp;&nbsp; Date Analyzed: 09/04/2026</p>"
        + _table(
            ["Analyte", "Concentration", "LOQ"],
            [
                ["CBD", "49.8 mg/mL", "0.2 mg/mL"],
                ["CBDA", "0.6 mg/mL", "0.2 mg/mL"],
                ["Delta 9 THC", "1.7 mg/mL", "0.2 mg/mL"],
                ["THCA", "&lt;0.2 mg/mL", "0.2 mg/mL"],
                ["CBG", "1.1 mg/mL", "0.2 mg/mL"],
                ["CBC", "0.4 mg/mL", "0.2 mg/mL"],
                ["CBN", "ND", "0.2 mg/mL"],
                ["Total THC", "1.7 mg/mL", ""],
                ["Total CBD", "50.3 mg/mL", ""],
            ],
        )
        + "<p>Heavy Metals: PASSED &nbsp; Pesticides: PASSED</p>"
        + "<p>Microbiological: FAILED (total yeast and mold above the action limit)</p>"
    )
    return html, Expected(
        lab="Riverbend Analytical Laboratory",
        batch="JW-1500-0904",
        tested_on=date(2026, 9, 4),
        unit="mg/ml",
        results={
            "cbd": "49.8",
            "cbda": "0.6",
            "thc": "1.7",
            "thca": "<LOQ",
            "cbg": "1.1",
            "cbc": "0.4",
            "cbn": "ND",
            "total_thc": "1.7",
            "total_cbd": "50.3",
        },
        panels={"heavy_metals": "pass", "pesticides": "pass", "microbials": "fail"},
    )


def scanned_lab_report() -> tuple[str, Expected]:
    """A full COA page photographed or scanned: an image, and only a scanner app's footer as text. Must be refused."""
    import base64

    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1600), 235)
    draw = ImageDraw.Draw(img)
    lines = [
        "MESA VERDE LABS - CERTIFICATE OF ANALYSIS",
        "Batch: MV-0912   Date Tested: 09/14/2026",
        "Analyte      LOQ     %       mg/g",
        "D9-THC       0.01    0.21    2.1",
        "CBD          0.01    3.41    34.1",
        "CBDA         0.01    ND      ND",
        "Pesticides PASS   Heavy metals PASS",
    ]
    for i, line in enumerate(lines):
        draw.text((80, 80 + 48 * i), line, fill=30)
    buf = io.BytesIO()
    img.rotate(0.7, fillcolor=235).save(buf, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    html = f"<img src='{src}' style='width:17cm'><p style='font-size:6pt'>Scanned with CamScanner</p>"
    return html, Expected(lab=None, batch=None, tested_on=None, unit=None, results={}, refused=True)


BLIND = {
    "amber_flower": amber_flower,
    "nordhanf_oil": nordhanf_oil,
    "brightwell_gummy": brightwell_gummy,
    "coastline_softgel": coastline_softgel,
    "keystone_vape": keystone_vape,
    "prairie_isolate": prairie_isolate,
    "riverbend_tincture": riverbend_tincture,
    "scanned_lab_report": scanned_lab_report,
}


@cache
def blind_pdf(name: str) -> tuple[bytes, Expected]:
    html, expected = BLIND[name]()
    return _pdf(html), expected
