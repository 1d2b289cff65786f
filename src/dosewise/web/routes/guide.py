"""Guide and Ask: condition guides from the curated knowledge base, and the question box."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NoPerson
from dosewise.services import knowledge, people
from dosewise.services.knowledge import AskOut, ConditionSummaryOut, GuideOut
from dosewise.web.frame import FrameOut, frame, get_db
from dosewise.web.rendering import expect_form, respond

router = APIRouter(tags=["guide and ask"])


class GuidesPage(BaseModel):
    frame: FrameOut
    conditions: list[ConditionSummaryOut]
    yours: list[str]  # the person's condition ids that have a guide


class GuidePage(BaseModel):
    frame: FrameOut
    guide: GuideOut


class AskPage(BaseModel):
    frame: FrameOut
    question: str
    answer: AskOut | None


def build_guides(request: Request) -> GuidesPage:
    db = get_db(request)
    conditions = knowledge.list_conditions()
    try:
        mine = set(people.get_person(db).conditions)
    except NoPerson:
        mine = set()
    return GuidesPage(frame=frame(db), conditions=conditions, yours=[c.id for c in conditions if c.id in mine])


def build_ask(request: Request) -> AskPage:
    return AskPage(frame=frame(get_db(request)), question=request.query_params.get("q", ""), answer=None)


@router.get("/guide", response_model=GuidesPage)
def guides_page(request: Request) -> Response:
    """The condition guides, yours first, and the question box."""
    return respond(request, "guides.html", build_guides(request))


@router.get("/guide/{condition}", response_model=GuidePage)
def guide_page(condition: str, request: Request) -> Response:
    """One condition guide: what it is, treatments, evidence with grades, myths, red flags, references."""
    return respond(request, "guide.html", GuidePage(frame=frame(get_db(request)), guide=knowledge.get_guide(condition)))


@router.get("/ask", response_model=AskPage)
def ask_page(request: Request) -> Response:
    """Answer ``?q=`` from the curated knowledge base only (a search: nothing is stored)."""
    expect_form(
        request, "ask", "ask.html", build_ask, {"q": request.query_params.get("q", "")}, aliases={"question": "q"}
    )
    page = build_ask(request)
    if page.question.strip():
        page.answer = knowledge.ask_question(page.question)
    return respond(request, "ask.html", page)
