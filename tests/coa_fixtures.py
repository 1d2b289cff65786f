"""Certificates of analysis made here (WeasyPrint from our own HTML), in several lab layouts, with the truth.

No third-party PDF is used. Each layout returns (pdf bytes, expected fields). Used by the tests and by
bench/bench_coa.py (how many fields the parser reads right).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from functools import cache

CSS = (
    "body{font-family:sans-serif;font-size:10pt} td,th{padding:2px 10px;text-align:left} "
    "table{border-collapse:collapse}"
)


@dataclass(frozen=True)
class Expected:
    lab: str | None
    batch: str | None
    tested_on: date | None
    unit: str | None
    results: dict[str, str]  # analyte -> '3.41' | 'ND' | '<LOQ'
    panels: dict[str, str] = field(default_factory=dict)
    density_g_ml: float | None = None
    accredited: bool | None = None
    # the same results in another unit the certificate also prints (e.g. % beside mg/g): reading those is right too
    also: dict[str, dict[str, str]] = field(default_factory=dict)
    refused: bool = False  # the reader must refuse this file (e.g. a scan with no text layer)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html><head><style>{CSS}</style></head><body>{html}</body></html>").write_pdf()


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def greenleaf_oil() -> tuple[str, Expected]:
    """% and mg/g columns, LOD/LOQ first, density stated, all five panels passed."""
    html = (
        "<h1>Greenleaf Analytical Laboratories</h1><p>ISO/IEC 17025:2017 accredited laboratory</p>"
        "<p>Client: Calm Hemp Co. &nbsp; Sample: Full spectrum oil 1000</p>"
        "<p>Batch: CBD-2611-A</p><p>Date tested: 2026-10-02</p><p>Density: 0.92 g/ml</p><h2>Cannabinoids</h2>"
        + _table(
            ["Analyte", "LOD (%)", "LOQ (%)", "Result (%)", "Result (mg/g)"],
            [
                ["Δ9-THC", "0.01", "0.03", "0.21", "2.1"],
                ["THCA", "0.01", "0.03", "ND", "ND"],
                ["CBD", "0.01", "0.03", "3.412", "34.12"],
                ["CBDA", "0.01", "0.03", "&lt;LOQ", "&lt;LOQ"],
                ["CBG", "0.01", "0.03", "0.05", "0.5"],
                ["CBN", "0.01", "0.03", "ND", "ND"],
                ["Total THC", "", "", "0.21", "2.1"],
                ["Total CBD", "", "", "3.412", "34.12"],
            ],
        )
        + "<h2>Safety</h2>"
        + _table(
            ["Test", "Result"],
            [
                ["Residual solvents", "PASS"],
                ["Microbials", "PASS"],
                ["Mycotoxins", "PASS"],
                ["Pesticides", "PASS"],
                ["Heavy metals", "PASS"],
            ],
        )
    )
    return html, Expected(
        lab="Greenleaf Analytical Laboratories",
        batch="CBD-2611-A",
        tested_on=date(2026, 10, 2),
        unit="mg/g",
        density_g_ml=0.92,
        accredited=True,
        results={
            "thc": "2.1",
            "thca": "ND",
            "cbd": "34.12",
            "cbda": "<LOQ",
            "cbg": "0.5",
            "cbn": "ND",
            "total_thc": "2.1",
            "total_cbd": "34.12",
        },
        panels={p: "pass" for p in ("residual_solvents", "microbials", "mycotoxins", "pesticides", "heavy_metals")},
    )


def northbay_tincture() -> tuple[str, Expected]:
    """mg/ml only, result before LOQ, a written date, 'Lot #', two panels, one not tested."""
    html = (
        "<p style='font-size:16pt'><b>NorthBay Labs</b> — Certificate of Analysis</p>"
        "<p>Product: Broad spectrum CBD tincture</p><p>Lot #: NB-77812</p>"
        "<p>Date of analysis: March 3, 2026</p>"
        "<p>Results are expressed in mg/ml</p>"
        + _table(
            ["Cannabinoid", "Amount (mg/ml)", "LOQ (mg/ml)", "Status"],
            [
                ["Cannabidiol (CBD)", "31.8", "0.5", "Detected"],
                ["Cannabidiolic acid (CBDA)", "ND", "0.5", "Not detected"],
                ["Delta-9 Tetrahydrocannabinol", "0.62", "0.5", "Detected"],
                ["Tetrahydrocannabinolic acid (THCA)", "&lt; LOQ", "0.5", ""],
                ["Cannabigerol (CBG)", "1.1", "0.5", "Detected"],
            ],
        )
        + "<p>Pesticides: PASS</p><p>Heavy Metals: PASS</p><p>Microbials: Not tested</p>"
    )
    return html, Expected(
        lab="NorthBay Labs — Certificate of Analysis",
        batch="NB-77812",
        tested_on=date(2026, 3, 3),
        unit="mg/ml",
        results={"cbd": "31.8", "cbda": "ND", "thc": "0.62", "thca": "<LOQ", "cbg": "1.1"},
        panels={"pesticides": "pass", "heavy_metals": "pass"},
    )


def sierra_flower() -> tuple[str, Expected]:
    """Flower in % only with a large THCA, a day/month/year date, 'Laboratory:' label, a failed panel."""
    html = (
        "<h2>Potency report</h2><p>Laboratory: Sierra Cannabis Testing Ltd</p>"
        "<p>Batch Number: SCT/24/0091 &nbsp;&nbsp; Report date: 28/09/2026</p>"
        + _table(
            ["Compound", "LOQ (%)", "Result (%)"],
            [
                ["Δ9-THC", "0.05", "0.48"],
                ["THCA-A", "0.05", "21.7"],
                ["CBD", "0.05", "ND"],
                ["CBDA", "0.05", "0.06"],
                ["CBGA", "0.05", "0.9"],
                ["Total THC", "", "19.51"],
                ["Total Cannabinoids", "", "23.14"],
            ],
        )
        + _table(["Panel", "Outcome"], [["Microbiological contaminants", "FAIL"], ["Mycotoxins", "PASS"]])
    )
    return html, Expected(
        lab="Sierra Cannabis Testing Ltd",
        batch="SCT/24/0091",
        tested_on=date(2026, 9, 28),
        unit="%",
        results={"thc": "0.48", "thca": "21.7", "cbd": "ND", "cbda": "0.06", "cbga": "0.9", "total_thc": "19.51"},
        panels={"microbials": "fail", "mycotoxins": "pass"},
    )


def harbor_gummy() -> tuple[str, Expected]:
    """mg per unit (gummies), no LOQ column, no batch, undated, no panels."""
    html = "<h1>Harbor Analytics</h1><p>Sample: Sleep gummies (10 mg CBD each)</p>" + _table(
        ["Analyte", "mg/unit", "%"],
        [["CBD", "9.6", "0.24"], ["CBN", "2.1", "0.0525"], ["THC", "ND", "ND"]],
    )
    return html, Expected(
        lab="Harbor Analytics",
        batch=None,
        tested_on=None,
        unit="mg/unit",
        results={"cbd": "9.6", "cbn": "2.1", "thc": "ND"},
    )


def pinecrest_spray() -> tuple[str, Expected]:
    """Bare 'Result' column with the unit on its own line, totals first, '17025' in a footer."""
    html = (
        "<p><b>Pinecrest Testing Laboratory</b></p><p>Batch ID: PX-5521 &nbsp; Date completed: 14 Aug 2026</p>"
        "<p>Units: mg/g</p>"
        + _table(
            ["Analyte", "Result", "LOQ"],
            [
                ["Total THC", "25.1", ""],
                ["Total CBD", "23.4", ""],
                ["Δ9-THC", "24.6", "0.1"],
                ["THCA", "0.6", "0.1"],
                ["CBD", "23.0", "0.1"],
                ["CBDA", "0.4", "0.1"],
            ],
        )
        + "<p>Residual Solvents — pass &nbsp;&nbsp; Pesticides — pass</p>"
        + "<p style='font-size:7pt'>Accredited to ISO/IEC 17025 by A2LA.</p>"
    )
    return html, Expected(
        lab="Pinecrest Testing Laboratory",
        batch="PX-5521",
        tested_on=date(2026, 8, 14),
        unit="mg/g",
        accredited=True,
        results={
            "total_thc": "25.1",
            "total_cbd": "23.4",
            "thc": "24.6",
            "thca": "0.6",
            "cbd": "23",
            "cbda": "0.4",
        },
        panels={"residual_solvents": "pass", "pesticides": "pass"},
    )


def verity_concentrate() -> tuple[str, Expected]:
    """Held out (written after the parser, never tuned on): a dilution column and the unit in its own column."""
    html = (
        _table(["Client", "Sample ID", "Lot Number"], [["Calm Hemp Co.", "VS-2026-4471", "LT-3390"]])
        + "<h1>Verity Labs</h1><p>Date Reported: 2026-07-19</p>"
        + _table(
            ["Analyte", "Dilution", "LOD", "LOQ", "Result", "Units"],
            [
                ["CBD", "20", "0.02", "0.05", "612.4", "mg/g"],
                ["CBDA", "20", "0.02", "0.05", "ND", "mg/g"],
                ["d9-THC", "20", "0.02", "0.05", "1.9", "mg/g"],
                ["CBG", "20", "0.02", "0.05", "8.8", "mg/g"],
            ],
        )
        + "<p>Heavy metals: Pass. Residual solvents: Pass. Microbiology: not tested.</p>"
    )
    return html, Expected(
        lab="Verity Labs",
        batch="LT-3390",
        tested_on=date(2026, 7, 19),
        unit="mg/g",
        results={"cbd": "612.4", "cbda": "ND", "thc": "1.9", "cbg": "8.8"},
        panels={"heavy_metals": "pass", "residual_solvents": "pass"},
    )


def cascadia_softgel() -> tuple[str, Expected]:
    """Held out: results as dotted lines with the unit after each value, no table header."""
    html = (
        "<h2>CASCADIA ANALYTICAL — Certificate of Analysis</h2><p>Lot: C-88 &nbsp; Tested: 14 September 2026</p>"
        "<p>CBD ........................ 24.1 mg/unit</p><p>THC ........................ ND</p>"
        "<p>CBN ........................ 0.8 mg/unit</p><p>Pesticide screen: PASS</p>"
    )
    return html, Expected(
        lab="CASCADIA ANALYTICAL — Certificate of Analysis",
        batch="C-88",
        tested_on=date(2026, 9, 14),
        unit="mg/unit",
        results={"cbd": "24.1", "thc": "ND", "cbn": "0.8"},
        panels={"pesticides": "pass"},
    )


HELD_OUT = {"verity_concentrate": verity_concentrate, "cascadia_softgel": cascadia_softgel}

LAYOUTS = {
    "greenleaf_oil": greenleaf_oil,
    "northbay_tincture": northbay_tincture,
    "sierra_flower": sierra_flower,
    "harbor_gummy": harbor_gummy,
    "pinecrest_spray": pinecrest_spray,
}


@cache
def coa_pdf(name: str) -> tuple[bytes, Expected]:
    html, expected = {**LAYOUTS, **HELD_OUT}[name]()
    return _pdf(html), expected


@cache
def invoice_pdf() -> bytes:
    """A PDF with plenty of text that is not a COA."""
    return _pdf(
        "<h1>Invoice 2291</h1><p>Calm Hemp Co., 12 Mill Lane</p>"
        + _table(["Item", "Qty", "Price"], [["Hemp oil 1000", "2", "59.90"], ["Shipping", "1", "4.90"]])
    )


@cache
def scanned_pdf() -> bytes:
    """A COA as an image only (what a scanner produces): no text layer."""
    import base64

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(["Certificate of Analysis", "CBD 33.1 mg/ml", "THC ND", "Batch A-1"]):
        draw.text((20, 20 + 40 * i), line, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return _pdf(f"<img src='{src}' style='width:15cm'>")


def with_javascript(pdf: bytes) -> bytes:
    """The same PDF with a document-level JavaScript action added (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    action = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def broken(pdf: bytes) -> bytes:
    """A PDF cut short with its cross-reference table garbled."""
    return pdf[:200] + b"\x00garbage xref\x00" * 20
