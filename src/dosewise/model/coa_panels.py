"""The contaminant panels on a COA's text and the status of each (part of model.coa_text).

A panel (residual solvents, microbials, mycotoxins, pesticides, heavy metals) takes the first status word after
its name and before the next test named on the same line: pass, fail or tested. 'NT', 'not tested' or 'N/A'
leave the panel out, and a panel with no status word is not read: it is never shown as tested or passed.
"""

from __future__ import annotations

import re

from dosewise.model.coa import PANELS

_PANEL_WORDS: dict[str, tuple[str, ...]] = {
    "residual_solvents": ("residual solvent",),
    "microbials": ("microbial", "microbiolog", "e. coli", "salmonella", "yeast and mo", "tamc"),
    "mycotoxins": ("mycotoxin", "aflatoxin", "ochratoxin"),
    "pesticides": ("pesticide",),
    "heavy_metals": ("heavy metal", "metals"),
}

_STATUS = (
    ("absent", r"\b(?:nt|n\.t\.?|n/t|not\s+tested|not\s+analy[sz]ed|not\s+requested|n/a|na)(?![\w/])"),
    ("fail", r"\bfail(?:s|ed|ure)?\b|\bdoes\s+not\s+comply\b|\bnon-?complian"),
    ("pass", r"\bpass(?:es|ed)?\b|\bcompl(?:ies|iant)\b|\bconforms?\b"),
    ("tested", r"(?<!not\s)\btested\b|\bcomplete[d]?\b"),
)


# tests that are not one of the five panels: their status is not a panel's ('Pesticides (p. 3)  Moisture PASS')
_OTHER_TESTS = (
    "water activity|moisture|foreign matter|filth|terpene|potency|cannabinoid|homogeneity|vitamin e|density|visual"
).split("|")


def panel_statuses(lines: list[str]) -> dict[str, str]:
    """Each panel's status: the first status word after its name and before the next test named on the
    same line ('Heavy metals: Pass · Mycotoxins: n.t.'). No status word: not read."""
    found: dict[str, str] = {}
    for ln in lines:
        low = ln.lower()
        starts = []
        for panel, words in _PANEL_WORDS.items():
            hits = [i for w in words if (i := low.find(w)) >= 0]
            if hits:
                starts.append((min(hits), panel))
        others = [i for w in _OTHER_TESTS if (i := low.find(w)) >= 0]  # another test ends a panel's segment
        starts.sort()
        for k, (at, panel) in enumerate(starts):
            if panel in found:
                continue
            end = min([i for i in others if i > at] + ([starts[k + 1][0]] if k + 1 < len(starts) else []) + [len(low)])
            segment = low[at:end]
            for status, pattern in _STATUS:
                if re.search(pattern, segment):
                    if status != "absent":
                        found[panel] = status
                    break
    return {p: found[p] for p in PANELS if p in found}
