"""Knowledge-base services: list conditions, get a condition guide, ask a question.

The CLI (``dosewise guide`` / ``dosewise ask``) and the web app call these functions and render the Out
models; they never read the knowledge base directly. No database is involved: the curated data ships with
the package and is loaded once per process.
"""

from __future__ import annotations

from pydantic import BaseModel

from dosewise.errors import InvalidInput
from dosewise.knowledge import ask as ask_engine
from dosewise.knowledge import kb
from dosewise.knowledge.references import load_references
from dosewise.knowledge.schema import Fact, Treatment

MAX_QUESTION_CHARS = 500
DISCLAIMER = (
    "General information from published studies, not medical advice. Talk to your clinician before "
    "starting, changing or stopping any treatment."
)
GRADE_LABELS = {
    "substantial": "Substantial evidence",
    "moderate": "Moderate evidence",
    "limited": "Limited evidence",
    "insufficient": "Insufficient evidence",
    "evidence-of-no-effect": "Evidence of no effect",
}
MECHANISM_CAUTION = "not proof that it helps people"


class ReferenceOut(BaseModel):
    id: str
    citation: str
    authors: str
    year: int
    title: str
    source: str
    link: str | None
    verified: bool


class FactOut(BaseModel):
    """A statement with its citations; ``not_known`` = an explicit gap, ``verified`` false = unverified."""

    text: str
    refs: list[str]
    verified: bool = True
    not_known: bool = False
    title: str | None = None
    topic: str | None = None
    general: bool = False  # true = applies to everyone, shown in every guide


class StudyOut(BaseModel):
    name: str
    design: str
    intervention: str
    result: str
    refs: list[str]


class EvidenceOut(BaseModel):
    outcome: str
    grade: str
    grade_label: str
    summary: str
    studies: list[StudyOut]
    refs: list[str]


class MechanismOut(BaseModel):
    id: str
    target: str
    levels: list[str]
    text: str
    refs: list[str]
    verified: bool
    caution: str = MECHANISM_CAUTION


class MythOut(BaseModel):
    claim: str
    answer: str
    topic: str
    grade: str | None
    refs: list[str]


class RedFlagOut(BaseModel):
    id: str
    level: str
    title: str
    message: str
    refs: list[str]
    verified: bool
    condition_specific: bool


class SnomedOut(BaseModel):
    code: str
    term: str


class GradeSummaryOut(BaseModel):
    outcome: str
    grade: str
    grade_label: str


class ConditionSummaryOut(BaseModel):
    id: str
    name: str
    synonyms: list[str]
    snomed: SnomedOut | None
    grades: list[GradeSummaryOut]


class GuideOut(BaseModel):
    """A complete condition guide, in the order the sections are shown."""

    id: str
    name: str
    synonyms: list[str]
    snomed: SnomedOut | None
    snomed_note: str
    what_it_is: list[FactOut]
    causes: list[FactOut]
    symptoms: list[FactOut]
    treatments: list[FactOut]
    evidence: list[EvidenceOut]
    myths: list[MythOut]
    mechanisms: list[MechanismOut]
    mechanism_notes: list[FactOut]
    practical: list[FactOut]
    seek_advice: list[FactOut]
    red_flags: list[RedFlagOut]
    references: list[ReferenceOut]
    disclaimer: str = DISCLAIMER


class AnswerOut(BaseModel):
    """One answer: ``short`` is one plain sentence (the short answer), then ``text`` is the graded detail;
    ``sources`` are its citations as readable references with links (``citations`` keeps the ids)."""

    condition: str | None
    topic: str
    grade: str | None
    text: str
    citations: list[str]
    verified: bool = True
    short: str = ""
    sources: list[ReferenceOut] = []


class UnderstoodOut(BaseModel):
    """What the question was understood to be about, so an answer can be explained."""

    conditions: list[str]
    topic: str | None
    products: list[str]
    medicines: list[str]
    not_covered: list[str]


class AskOut(BaseModel):
    """JSON shape of ``dosewise ask``: question, answers, confident (+ message, references, how it was read)."""

    question: str
    answers: list[AnswerOut]
    confident: bool
    message: str
    references: list[ReferenceOut]
    understood: UnderstoodOut | None = None
    short_answer: str = ""  # the first answer's plain sentence when confident, else the message


def _refs_out(ids: list[str]) -> list[ReferenceOut]:
    refs = load_references()
    return [
        ReferenceOut(
            id=r.id,
            citation=r.short(),
            authors=r.authors,
            year=r.year,
            title=r.title,
            source=r.source,
            link=r.link(),
            verified=r.verified,
        )
        for r in (refs[i] for i in ids if i in refs)
    ]


def _fact_out(fact: Fact | Treatment) -> FactOut:
    if isinstance(fact, Treatment):
        return FactOut(text=fact.text, refs=list(fact.refs), verified=fact.verified, title=fact.name)
    return FactOut(
        text=fact.text,
        refs=list(fact.refs),
        verified=fact.verified,
        not_known=fact.not_known,
        topic=fact.topic,
        general=fact.in_every_guide,
    )


def _grades(guide_id: str) -> list[GradeSummaryOut]:
    guide = kb.load_conditions()[guide_id]
    return [
        GradeSummaryOut(outcome=e.outcome, grade=e.grade, grade_label=GRADE_LABELS[e.grade]) for e in guide.evidence
    ]


def list_conditions() -> list[ConditionSummaryOut]:
    """Return every condition with a guide: id, name, synonyms, SNOMED CT (if verified), evidence grades."""
    return [
        ConditionSummaryOut(
            id=g.id,
            name=g.name,
            synonyms=list(g.synonyms),
            grades=_grades(g.id),
            snomed=SnomedOut(code=g.snomed.code, term=g.snomed.term) if g.snomed else None,
        )
        for g in kb.load_conditions().values()
    ]


def get_guide(condition: str) -> GuideOut:
    """Return the guide for a condition id, name, synonym or close misspelling (UnknownCondition if none)."""
    cid = kb.resolve_condition(condition)
    g = kb.load_conditions()[cid]
    mechanisms = [kb.load_mechanisms()[m] for m in g.mechanisms]
    return GuideOut(
        id=g.id,
        name=g.name,
        synonyms=list(g.synonyms),
        snomed=SnomedOut(code=g.snomed.code, term=g.snomed.term) if g.snomed else None,
        snomed_note="" if g.snomed else "SNOMED CT code: not known (no verified code in Dosewise's sources).",
        what_it_is=[_fact_out(f) for f in g.what_it_is],
        causes=[_fact_out(f) for f in g.causes],
        symptoms=[_fact_out(f) for f in g.symptoms],
        treatments=[_fact_out(t) for t in g.treatments],
        evidence=[
            EvidenceOut(
                outcome=e.outcome,
                grade=e.grade,
                grade_label=GRADE_LABELS[e.grade],
                summary=e.summary,
                refs=list(e.refs),
                studies=[
                    StudyOut(
                        name=s.name, design=s.design, intervention=s.intervention, result=s.result, refs=list(s.refs)
                    )
                    for s in e.studies
                ],
            )
            for e in g.evidence
        ],
        myths=[
            MythOut(claim=m.claim, answer=m.answer, topic=m.topic, grade=m.grade, refs=list(m.refs)) for m in g.myths
        ],
        mechanisms=[
            MechanismOut(
                id=m.id, target=m.target, levels=list(m.level), text=m.text, refs=list(m.refs), verified=m.verified
            )
            for m in mechanisms
        ],
        mechanism_notes=[_fact_out(f) for f in g.mechanism_notes],
        practical=[
            *(_fact_out(f) for f in g.practical),
            *(_fact_out(f).model_copy(update={"title": name}) for name, f in kb.general_practical()),
        ],
        seek_advice=[_fact_out(f) for f in g.seek_advice],
        red_flags=[
            RedFlagOut(
                id=r.id,
                level=r.level,
                title=r.title,
                message=r.message,
                refs=list(r.refs),
                verified=r.verified,
                condition_specific="all" not in r.applies_to,
            )
            for r in kb.red_flags_for(cid)
        ],
        references=_refs_out(kb.guide_reference_ids(cid)),
    )


def ask_question(question: str) -> AskOut:
    """Answer ``question`` from the curated knowledge base only (see knowledge/ask.py for how)."""
    text = (question or "").strip()
    if not text:
        raise InvalidInput(
            "The question is empty. Type a question, e.g. 'is cbd oil good for dystonia'.", field="question"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"The question is too long ({len(text)} characters). Keep it under {MAX_QUESTION_CHARS} characters.",
            field="question",
        )
    result = ask_engine.ask(text)
    answers = [
        AnswerOut(
            condition=a.condition,
            topic=a.topic,
            grade=a.grade,
            text=a.text,
            citations=list(a.citations),
            verified=a.verified,
            short=a.short,
            sources=_refs_out(list(a.citations)),
        )
        for a in result.answers
    ]
    cited = list(dict.fromkeys(c for a in answers for c in a.citations))
    u = result.understood
    understood = UnderstoodOut(
        conditions=list(u.conditions),
        topic=u.topic,
        products=list(u.agents),
        medicines=list(u.drugs),
        not_covered=[*u.uncovered, *u.out_of_scope],
    )
    return AskOut(
        question=text,
        answers=answers,
        confident=result.confident,
        message=result.message,
        references=_refs_out(cited),
        understood=understood,
        short_answer=answers[0].short if result.confident and answers else result.message,
    )
