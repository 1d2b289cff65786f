"""Plan, Trial, Insights, Guide and Ask pages: they show what the services say, or say honestly that
there is nothing yet."""

from markupsafe import escape

from dosewise import clock
from dosewise.services import demo, journal
from tests.helpers import snapshot
from tests.web.conftest import submit


def test_no_plan_yet_offers_the_form(client):
    page = client.get("/plan").text
    assert "You have no active plan." in page and 'action="/plan"' in page
    assert client.get("/api/v1/plan").json()["plan"] is None
    assert client.get("/plan.ics").status_code == 404


def test_starting_a_plan_highlights_today_and_drives_the_dose_button(client):
    r = submit(client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "conservative"}, page="/plan")
    assert r.status_code == 303
    page = client.get("/plan").text
    assert 'aria-current="date"' in page and "<strong>Today</strong>" in page
    step = client.get("/api/v1/today").json()["plan_step"]
    today = client.get("/today").text
    assert "Today's plan step" in today
    assert f"I took my planned dose: {step['next_amount']} of Calm CBD oil 1000" in today
    ics = client.get("/plan.ics")
    assert ics.headers["content-type"].startswith("text/calendar") and b"BEGIN:VCALENDAR" in ics.content
    assert "attachment" in ics.headers["content-disposition"]


def test_a_refused_plan_says_why_and_saves_nothing(client, ana):
    before = snapshot(ana)
    r = submit(client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "fastest"}, page="/plan")
    assert r.status_code == 400 and "Unknown protocol" in r.text and 'id="plan-protocol-error"' in r.text
    assert snapshot(ana) == before


def test_stopping_a_plan(client):
    submit(client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "conservative"}, page="/plan")
    assert submit(client, "/plan/stop", {}, page="/plan").status_code == 303
    assert client.get("/api/v1/plan").json()["plan"] is None


def test_insights_without_ratings_say_so_instead_of_guessing(client):
    body = client.get("/api/v1/insights").json()
    assert body["analysis"] is None and "no Spasticity ratings yet" in body["problem"]
    assert "No analysis yet" in client.get("/insights").text


def test_insights_on_the_demo_give_a_verdict_in_words_an_interval_charts_and_caveats(empty_client, fresh_db):
    demo.load_demo(fresh_db)
    page = empty_client.get("/insights").text
    body = empty_client.get("/api/v1/insights").json()
    assert str(escape(body["verdict_words"])) in page
    assert "95 % interval" in page and "points" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2 and 'role="img"' in page
    assert "placebo" in page  # the open-label caveat is shown
    assert "charts" not in body  # the JSON twin carries numbers, not drawings


def test_trial_create_shows_todays_arm_and_progress(client):
    r = submit(
        client, "/trial", {"product": "Sativex", "amount": "2 sprays", "blocks": "2", "period_days": "7"}, page="/trial"
    )
    assert r.status_code == 303
    body = client.get("/api/v1/trial").json()
    assert body["trial"]["blocks"] == 2 and body["periods_done"] == 0
    page = client.get("/trial").text
    assert "0 of 4 periods done" in page and str(escape(body["trial"]["today"]["instruction"])) in page
    assert "No result yet" in page


def test_a_bad_trial_keeps_the_input(client):
    r = submit(client, "/trial", {"product": "Sativex", "amount": "lots"}, page="/trial")
    assert r.status_code == 400 and 'value="lots"' in r.text


def test_guides_list_every_condition_and_mark_the_persons_own(client):
    page = client.get("/guide").text
    assert 'href="/guide/ms-spasticity"' in page and "(yours)" in page


def test_a_guide_shows_evidence_grades_and_sources(client):
    g = client.get("/api/v1/guide/ms-spasticity").json()["guide"]
    page = client.get("/guide/ms-spasticity").text
    assert str(escape(g["name"])) in page and str(escape(g["evidence"][0]["grade_label"])) in page
    assert str(escape(g["references"][0]["citation"])) in page


def test_an_unknown_guide_is_a_404(client):
    assert client.get("/guide/not-a-condition").status_code == 404


def test_ask_answers_from_the_knowledge_base(client):
    r = client.get("/api/v1/ask", params={"q": "does cbd help ms spasticity"})
    answer = r.json()["answer"]
    assert answer["answers"]
    assert str(escape(answer["message"])) in client.get("/ask", params={"q": "does cbd help ms spasticity"}).text


def test_an_overlong_question_is_refused_next_to_the_box(client):
    r = client.get("/ask", params={"q": "why " * 400})
    assert r.status_code == 400 and 'id="ask-q-error"' in r.text


def test_the_question_is_escaped(client):
    page = client.get("/ask", params={"q": "<img src=x onerror=alert(1)>"}).text
    assert "<img src=x" not in page


def test_logging_through_the_web_updates_insights_input(client, ana):
    journal.record_rating(ana, scale="spasticity", value=5)
    assert client.get("/api/v1/insights").status_code == 200


def test_a_plan_that_can_no_longer_be_followed_says_why_on_today_and_plan(client, ana):
    from dosewise.services import people

    submit(client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "conservative"}, page="/plan")
    people.set_person(ana, birth_year=2015)  # now under 18: the plan must not be shown as if nothing changed
    today = client.get("/today")
    assert today.status_code == 200
    body = client.get("/api/v1/today").json()
    assert body["plan_problem"]
    assert "Your plan cannot be followed now." in today.text and body["plan_step"] is None
    assert "Your plan cannot be followed now." in client.get("/plan").text


def test_the_clinician_report_downloads_as_pdf(empty_client, fresh_db):
    demo.load_demo(fresh_db)
    assert 'href="/report.pdf"' in empty_client.get("/insights").text
    r = empty_client.get("/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf" and "attachment" in r.headers["content-disposition"]
    assert empty_client.get("/report.pdf?page=tabloid").status_code == 400


def test_a_paused_plan_says_so_on_today_and_offers_no_dose_button(client, ana):
    from datetime import timedelta

    now = clock.now()
    start = (now - timedelta(days=3)).date().isoformat()
    submit(client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "conservative", "start": start}, page="/plan")
    journal.record_side_effect(ana, effect="drowsiness", severity="severe", at=now - timedelta(days=1))
    body = client.get("/api/v1/today").json()
    plan_today = client.get("/api/v1/plan").json()["plan"]["today"]
    assert plan_today["action"] == "pause" or plan_today["step"] < 0
    assert body["plan_step"] is None and body["plan_problem"]
    page = client.get("/today").text
    assert "Your plan cannot be followed now." in page and "I took my planned dose" not in page


def test_a_spray_plan_puts_sprays_on_the_dose_button_and_logs_them(client):
    submit(client, "/plan", {"product": "Sativex", "protocol": "nabiximols"}, page="/plan")
    step = client.get("/api/v1/today").json()["plan_step"]
    assert step["next_amount"].endswith(("spray", "sprays"))
    assert f"I took my planned dose: {step['next_amount']} of Sativex" in client.get("/today").text
    assert submit(client, "/today/dose", {"product": "Sativex", "amount": step["next_amount"]}).status_code == 303
    assert client.get("/api/v1/today").json()["today"]["doses_today"][0]["amount_text"] == step["next_amount"]
