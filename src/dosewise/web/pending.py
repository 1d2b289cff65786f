"""An honest "not available yet" page for a part of Dosewise whose service has not been built."""

from __future__ import annotations

from pydantic import BaseModel

from dosewise.store.db import Database
from dosewise.web.frame import FrameOut, frame


class PendingPage(BaseModel):
    frame: FrameOut
    title: str
    what: str
    available: bool = False
    message: str = "This part of Dosewise is not available yet. Nothing is shown rather than guesses."


def pending_page(db: Database, *, title: str, what: str) -> PendingPage:
    return PendingPage(frame=frame(db), title=title, what=what)
