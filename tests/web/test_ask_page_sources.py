"""The ask page: the short answer comes first, sources are links, and no raw reference ids are shown."""

from __future__ import annotations

import re

from dosewise.services.knowledge import ask_question


def test_ask_page_leads_with_the_short_answer_and_links_sources_without_raw_ids(client):
    question = "is cannabis good for chronic pain"
    out = ask_question(question)
    page = client.get("/ask", params={"q": question}).text
    body = page[page.index('id="answers"') :]
    assert body.index(out.short_answer) < body.index(out.answers[0].text)
    assert 'href="https://doi.org/10.17226/24625"' in body  # NASEM 2017 as a link
    raw_ids = {c for a in out.answers for c in a.citations}
    assert not any(re.search(rf"\[{re.escape(i)}\]|\b{re.escape(i)}\b", body) for i in raw_ids)
