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


def test_interaction_findings_show_sources_as_links_and_known_drugs_as_checked(client, ana):
    from tests.web.conftest import submit

    submit(client, "/medicines", {"name": "clobazam", "dose": "10 mg at night"}, page="/medicines")
    submit(client, "/medicines", {"name": "metformin", "dose": "500 mg"}, page="/medicines")
    submit(client, "/medicines", {"name": "blorbium", "dose": "1 a day"}, page="/medicines")
    page = client.get("/medicines").text
    findings = page[page.index('id="findings-title"') :]
    assert 'href="https://doi.org/' in findings
    assert "vanlandingham2020" not in findings and "geffrey2015" not in findings  # no raw reference ids
    assert "No known interaction (checked)" in findings and "metformin" in findings
    assert "Unknown — not checked" in findings and "blorbium" in findings
