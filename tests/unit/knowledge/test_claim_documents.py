"""What the claim checker reads: pasted text, .txt, .html (never rendered) and .pdf, and bad input refused."""

from __future__ import annotations

import pytest

from dosewise.errors import InvalidInput
from dosewise.knowledge.claims import check_article, read_document, read_pasted
from dosewise.knowledge.claims.documents import MAX_FILE_BYTES, MAX_TEXT_CHARS

HTML = """<!doctype html><html><head><title>Shop</title>
<script>document.write("CBD cures cancer"); alert(1)</script><style>p{color:red}</style></head>
<body><p>CBD oil relieves dystonia.</p><noscript>Enable scripts</noscript>
<img src=x onerror="alert(2)"><p>Riluzole restores muscle strength &amp; stamina.</p></body></html>"""


def test_html_gives_its_visible_text_only():
    text = read_document(HTML.encode(), "page.html")
    assert "CBD oil relieves dystonia." in text and "strength & stamina" in text
    assert "cancer" not in text and "alert" not in text and "Enable scripts" not in text and "<" not in text
    verdicts = [c.verdict for c in check_article(text).claims]
    assert verdicts == ["unsupported", "contradicted"]


def test_pasted_html_is_read_as_text_too():
    assert "alert" not in read_pasted(HTML) and "CBD oil relieves dystonia." in read_pasted(HTML)


def test_a_pdf_article_is_read():
    from weasyprint import HTML as Pdf

    pdf = Pdf(string="<p>Riluzole restores muscle strength.</p><p>CBD oil relieves dystonia.</p>").write_pdf()
    text = read_document(pdf, "article.pdf")
    assert "Riluzole restores muscle strength." in text
    assert [c.verdict for c in check_article(text).claims] == ["contradicted", "unsupported"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", "empty"),
        (b"   \n\n ", "a.txt", "no text"),
        (bytes(range(256)) * 10, "photo.jpg", "not text, HTML or PDF"),
        (b"%PDF-1.7\nthis is not really a pdf", "a.pdf", "could not be read"),
        (b"x" * (MAX_FILE_BYTES + 1), "big.txt", "too large"),
    ],
)
def test_bad_files_are_refused_with_what_to_do(data, name, message):
    with pytest.raises(InvalidInput, match=message):
        read_document(data, name)


def test_five_megabytes_of_pasted_text_is_refused():
    with pytest.raises(InvalidInput, match="too long"):
        read_pasted("CBD oil relieves dystonia. " * 200_000)
    assert MAX_TEXT_CHARS < 5_000_000


def test_empty_pasted_text_is_refused():
    with pytest.raises(InvalidInput, match="no text"):
        read_pasted("  \n ")


def test_a_text_with_no_health_claims_says_so():
    result = check_article("The weather was lovely on Sunday. We walked to the park and had a picnic by the lake.")
    assert result.claims == () and result.message.startswith("No health claims found")


def test_french_is_not_supported():
    with pytest.raises(InvalidInput, match="only check articles in English"):
        check_article(
            "L'huile de CBD soulage la dystonie et réduit les spasmes musculaires chez les patients atteints "
            "de sclérose en plaques, selon plusieurs études récentes publiées cette année."
        )
