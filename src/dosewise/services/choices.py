"""What the edges offer a person to choose from, and the few core helpers they format with.

Edges (cli/, web/, reports/) import only services, errors, config, clock and the vocabulary
(tests/unit/test_layering.py); this module hands them the core's lists: conditions and flags
(model/people.py), scales (model/scales.py, from knowledge/data/scales.yaml), side effects and symptoms
(knowledge/data/side_effects.yaml, symptoms.yaml), product forms, what a certificate of analysis can hold
(model/coa.py), who can enter data, and how a dose quantity is written ("5 drops", "0.5 ml").
"""

from __future__ import annotations

from dosewise.knowledge.references import load_references
from dosewise.model.coa import ANALYTES, MAX_COA_PDF_BYTES, PANELS, UNITS
from dosewise.model.inputs import MAX_ID, check_text, load_json, one_line, parse_decimal, parse_whole, shown
from dosewise.model.journal import side_effects, symptoms, validate_entered_by
from dosewise.model.people import CONDITIONS, FLAGS
from dosewise.model.products import Form
from dosewise.model.scales import all_scales
from dosewise.model.units import format_quantity

__all__ = [
    "ANALYTES",
    "MAX_COA_PDF_BYTES",
    "PANELS",
    "UNITS",
    "CONDITIONS",
    "FLAGS",
    "MAX_ID",
    "Form",
    "all_scales",
    "format_quantity",
    "check_text",
    "load_json",
    "load_references",
    "one_line",
    "parse_decimal",
    "parse_whole",
    "shown",
    "side_effects",
    "symptoms",
    "validate_entered_by",
]
