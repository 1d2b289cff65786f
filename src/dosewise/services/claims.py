"""Check an article's health claims (the CLI's `dosewise claims check` and the web page 'Check an article').

Reads pasted text or an uploaded .txt/.html/.pdf (knowledge/claims/documents.py), runs the pure checker
(knowledge/claims/) and adds what only a service can: the interactions of the person's own current medicines
with the cannabinoids the article is about. Nothing is stored; the database is only read.
"""

from __future__ import annotations

from pydantic import BaseModel

from dosewise.errors import InvalidInput, NoPerson
from dosewise.knowledge import kb
from dosewise.knowledge.claims import ArticleCheck, ClaimResult, check_article, read_document, read_pasted
from dosewise.knowledge.claims.data import load_vocabulary
from dosewise.knowledge.claims.documents import MAX_FILE_BYTES as MAX_FILE_BYTES  # the edges' upload limits
from dosewise.knowledge.claims.documents import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from dosewise.model.vocab import label
from dosewise.safety.interactions import check as check_interactions
from dosewise.services import checks
from dosewise.services.knowledge import GRADE_LABELS, ReferenceOut, _refs_out
from dosewise.services.runtime import get_person_row
from dosewise.services.safety_schemas import FindingOut
from dosewise.store.db import Database

DISCLAIMER = (
    "Graded only against Dosewise's curated, cited knowledge base, not the whole medical literature. Not "
    "medical advice: talk to your clinician before starting, changing or stopping any treatment."
)


class FlagOut(BaseModel):
    id: str
    label: str


class ClaimOut(BaseModel):
    """One sentence that makes a health claim: what it says, the verdict, why, and the sources."""

    number: int
    sentence: str
    substances: list[str]
    conditions: list[str]
    outcomes: list[str]
    direction: str
    verdict: str
    verdict_label: str
    grade: str | None
    grade_label: str | None
    explanation: str
    flags: list[FlagOut]
    references: list[ReferenceOut]
    verified: bool


class SafetyNoteOut(BaseModel):
    topic: str
    topic_label: str
    text: str
    references: list[ReferenceOut]


class ClaimCheckOut(BaseModel):
    """JSON shape of a claim check: the claims, counts, corrections and what the article left out."""

    source: str
    sentences: int
    words: int
    message: str
    counts: dict[str, int]
    total: int
    supported: int
    claims: list[ClaimOut]
    corrections: list[ClaimOut]
    selling: bool
    omitted: list[str]
    omitted_labels: list[str]
    safety_notes: list[SafetyNoteOut]
    your_medicines: list[FindingOut]
    medicines_not_checked: list[str]
    person_checked: bool
    disclaimer: str = DISCLAIMER


def _claim_out(c: ClaimResult) -> ClaimOut:
    v = load_vocabulary()
    guides = kb.load_conditions()
    return ClaimOut(
        number=c.number,
        sentence=c.sentence,
        substances=[v.names.get(a, a) for a in c.substances],
        conditions=[guides[cid].name if cid in guides else cid for cid in c.conditions],
        outcomes=[o.replace("-", " ") for o in c.outcomes],
        direction=c.direction,
        verdict=c.verdict,
        verdict_label=label(c.verdict, "claim_verdict"),
        grade=c.grade,
        grade_label=GRADE_LABELS.get(c.grade) if c.grade else None,
        explanation=c.explanation,
        flags=[FlagOut(id=f, label=v.flag_labels.get(f, f)) for f in c.flags],
        references=_refs_out(list(c.refs)),
        verified=c.verified,
    )


def _person_medicines(db: Database | None, result: ArticleCheck) -> tuple[list[FindingOut], list[str], bool]:
    """Interactions of the person's current medicines with the cannabinoids the article is about."""
    if db is None or not result.cannabinoids:
        return [], [], False
    with db.read() as session:
        try:
            person = get_person_row(session)
        except NoPerson:
            return [], [], False
        names = checks.current_medicine_names(session, person.id)
    if not names:
        return [], [], True
    found = check_interactions(names, cannabinoids=set(result.cannabinoids), smoked=result.smoked)
    return [FindingOut.model_validate(f, from_attributes=True) for f in found.findings], list(found.unknown), True


def read_article(*, text: str | None = None, data: bytes | None = None, filename: str | None = None) -> str:
    """Return the article's plain text from pasted ``text`` or an uploaded file (InvalidInput if neither)."""
    if data is not None:
        return read_document(data, filename)
    if text is not None and text.strip():
        return read_pasted(text)
    raise InvalidInput(
        "There is no text to check. Paste an article or choose a .txt, .html or .pdf file.", field="text"
    )


def check_claims(
    *, text: str | None = None, data: bytes | None = None, filename: str | None = None, db: Database | None = None
) -> ClaimCheckOut:
    """Check an article's health claims; with ``db``, also its safety gaps against the person's medicines."""
    article = read_article(text=text, data=data, filename=filename)
    result = check_article(article)
    v = load_vocabulary()
    yours, unchecked, person_checked = _person_medicines(db, result)
    claims = [_claim_out(c) for c in result.claims]
    return ClaimCheckOut(
        source=filename or "pasted text",
        sentences=result.sentences,
        words=result.words,
        message=result.message,
        counts=result.counts,
        total=len(claims),
        supported=result.counts.get("supported", 0),
        claims=claims,
        corrections=[_claim_out(c) for c in result.corrections],
        selling=result.selling,
        omitted=list(result.omitted),
        omitted_labels=[v.omission_labels[o] for o in result.omitted],
        safety_notes=[
            SafetyNoteOut(
                topic=n.topic, topic_label=v.omission_labels[n.topic], text=n.text, references=_refs_out(list(n.refs))
            )
            for n in result.safety_notes
        ],
        your_medicines=yours,
        medicines_not_checked=unchecked,
        person_checked=person_checked,
    )
