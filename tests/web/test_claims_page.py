"""Check an article (web): paste or upload, every claim graded, HTML never rendered, bad input kept and explained."""

from __future__ import annotations

import re

from tests.web.conftest import token

ARTICLE = (
    "CBD oil relieves dystonia. Riluzole restores muscle strength.\n\n"
    "Sativex eases muscle stiffness in people with multiple sclerosis. Buy now and get 20% off!"
)


def _post(client, **files_or_text):
    data = {"csrf_token": token(client, "/claims")}
    files = files_or_text.pop("files", None)
    data.update(files_or_text)
    return client.post("/claims", data=data, files=files)


def test_the_page_is_in_the_navigation_and_its_form_is_ready_for_the_browser_test(client):
    page = client.get("/today").text
    assert 'href="/claims"' in page and "Check an article" in page
    form = client.get("/claims").text
    assert 'enctype="multipart/form-data"' in form and 'data-example="' in form
    assert re.search(r'<label for="claims-text">', form) and re.search(r'<label for="claims-file">', form)
    assert '<button type="submit" class="button">Check the article</button>' in form


def test_pasted_article_shows_summary_corrections_and_every_claim(client):
    r = _post(client, text=ARTICLE)
    assert r.status_code == 200
    assert "3 health claims found" in r.text
    assert "The most important corrections" in r.text and "Contradicted by the evidence" in r.text
    assert "This page sells a product" in r.text
    assert r.text.count('class="card claim"') == 3
    assert "Supported by good evidence" in r.text and "https://doi.org/" in r.text
    # Ana takes baclofen: her own medicines are checked against the article's cannabinoids
    assert "Your own medicines" in r.text and "baclofen" in r.text


def test_an_uploaded_html_file_is_read_as_text_and_never_rendered(client):
    page = b"<html><script>alert('x')</script><p>CBD oil relieves dystonia.</p><p>&lt;b&gt;bold&lt;/b&gt;</p></html>"
    r = _post(client, files={"file": ("page.html", page, "text/html")})
    assert r.status_code == 200 and "Not supported by evidence" in r.text
    assert "alert(" not in r.text
    html = "<p>CBD oil relieves dystonia.</p><script>alert(1)</script><img src=x onerror=alert(2)>"
    pasted = _post(client, text=html)
    assert "Not supported by evidence" in pasted.text
    assert "<script>alert" not in pasted.text and "<img src=x" not in pasted.text  # kept in the box, escaped


def test_pasted_text_is_escaped_not_rendered(client):
    r = _post(client, text="CBD oil relieves dystonia <b>now</b>. Riluzole restores muscle strength.")
    assert "<b>now</b>" not in r.text and "&lt;b&gt;now&lt;/b&gt;" in r.text


def test_bad_input_is_explained_and_the_text_kept(client):
    empty = _post(client, text="   ")
    assert empty.status_code == 400 and "Not checked." in empty.text and "no text to check" in empty.text
    french = _post(
        client, text="Le CBD soulage la dystonie et les spasmes chez les patients, selon des études récentes."
    )
    assert french.status_code == 400 and "English" in french.text and "soulage la dystonie" in french.text
    binary = _post(client, files={"file": ("x.bin", bytes(range(256)) * 4, "application/octet-stream")})
    assert binary.status_code == 400 and "not text, HTML or PDF" in binary.text
    none = _post(client, text="We walked to the lake on Sunday and the weather was lovely all day long.")
    assert none.status_code == 200 and "No health claims found" in none.text


def test_a_form_without_its_token_is_refused(client):
    r = client.post("/claims", data={"text": "CBD oil relieves dystonia."})
    assert r.status_code in (400, 403) and "did not come from Dosewise" in r.text


def test_the_json_twin_grades_the_same_article(client):
    r = client.post("/api/v1/claims", json={"text": ARTICLE})
    assert r.status_code == 200
    body = r.json()["result"]
    assert [c["verdict"] for c in body["claims"]] == ["unsupported", "contradicted", "supported"]
    assert body["selling"] is True and body["counts"]["supported"] == 1
    assert {f["drug"] for f in body["your_medicines"]} == {"baclofen"}
    bad = client.post("/api/v1/claims", json={"text": ""})
    assert bad.status_code == 400 and "no text" in bad.json()["error"]


def test_five_megabytes_are_refused(client):
    r = client.post("/api/v1/claims", json={"text": "CBD oil relieves dystonia. " * 200_000})
    assert r.status_code == 413 and "too large" in r.json()["error"]  # the body limit refuses it before it is read


def test_the_form_submitted_as_the_form_test_would_checks_its_example(client):
    from tests.web.html_forms import forms_of

    form = next(f for f in forms_of(client.get("/claims").text) if f.action.startswith("/claims"))
    data = {**form.values, **form.examples}
    r = client.post(form.action, data=data)
    assert r.status_code == 200 and "2 health claims found" in r.text


def test_a_pdf_upload_is_read(client):
    from weasyprint import HTML

    pdf = HTML(string="<p>Riluzole restores muscle strength.</p>").write_pdf()
    r = _post(client, files={"file": ("article.pdf", pdf, "application/pdf")})
    assert r.status_code == 200 and "Contradicted by the evidence" in r.text and "article.pdf" in r.text
