"""Products as the label prints them on the web: the label read back in words, confirmed without JavaScript."""

import re

from dosewise.services import products
from tests.helpers import snapshot
from tests.web.conftest import submit

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def test_the_label_is_read_back_before_saving_and_saved_only_on_confirmation(client, ana):
    before = snapshot(ana)
    fields = {"name": "Hemp oil 1000", "form": "oil", "cbd": "1000 mg in 30 ml", "thc": "unknown", "spectrum": "none"}
    r = submit(client, "/products", fields, page="/products")
    assert r.status_code == 200
    assert "Check before saving" in r.text and "33.3 mg per ml" in r.text and "1.7 mg per drop" in r.text
    assert "THC: not known" in r.text and "dosewise " not in r.text
    assert snapshot(ana) == before  # nothing saved yet
    confirm = r.text[r.text.index("Check before saving") :]
    hidden = {k: v for k, v in HIDDEN.findall(confirm) if k != "csrf_token"}
    assert hidden["confirm"] == "yes" and hidden["cbd"] == "1000 mg in 30 ml"
    r = submit(client, "/products", hidden, page="/products")
    assert r.status_code == 303
    oil = next(p for p in products.list_products(ana) if p.name == "Hemp oil 1000")
    assert oil.label["cbd"] == "1000 mg in 30 ml" and round(oil.cbd_mg * 30, 9) == 1000 and oil.thc_mg is None
    assert "33.3 mg per ml" in client.get("/products").text


def test_a_bad_label_is_refused_next_to_its_field_and_nothing_is_saved(client, ana):
    before = snapshot(ana)
    r = submit(
        client, "/products", {"name": "Odd oil", "form": "oil", "cbd": "1000 mg", "confirm": "yes"}, page="/products"
    )
    assert r.status_code == 400
    assert 'id="product-cbd-error"' in r.text and "1000 mg in 30 ml" in r.text and 'value="Odd oil"' in r.text
    assert snapshot(ana) == before


def test_the_json_twin_can_preview_and_save_a_label(client, ana):
    body = {"name": "Gummies", "form": "edible", "cbd": "250 mg in 10 gummies", "thc": "THC-free"}
    preview = client.post("/api/v1/products", json={**body, "preview": "yes"})
    assert preview.status_code == 200 and preview.json()["per"] == "unit"
    assert any("25 mg per piece" in line for line in preview.json()["in_words"])
    saved = client.post("/api/v1/products", json=body)
    assert saved.status_code == 201 and saved.json()["product"]["cbd_mg"] == 25


def test_editing_the_label_text_changes_the_content(client, ana):
    oil = products.list_products(ana)[0]
    form = client.get(f"/products/{oil.id}/edit").text
    assert 'value="33.3 mg per ml"' in form
    r = submit(
        client,
        f"/products/{oil.id}/edit",
        {"name": oil.name, "cbd": "1500 mg in 30 ml"},
        page=f"/products/{oil.id}/edit",
    )
    assert r.status_code == 303
    assert products.list_products(ana)[0].cbd_mg == 50


def test_unknown_thc_asks_a_clear_question_on_the_plan_page_with_a_link_not_a_command(client, ana):
    products.add_product(ana, name="Full oil", form="oil", cbd="1000 mg in 30 ml", thc="unknown", spectrum="full")
    full = next(p for p in products.list_products(ana) if p.name == "Full oil")
    page = client.get("/plan").text
    assert "How much THC is in Full oil?" in page and f'href="/products/{full.id}/edit"' in page
    r = submit(client, "/plan", {"product": "Full oil", "protocol": "conservative"}, page="/plan")
    assert r.status_code == 400 and "How much THC does &#39;Full oil&#39; contain?" in r.text
    assert "dosewise " not in r.text
