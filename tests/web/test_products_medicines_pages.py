"""Products and Medicines: add and edit; adding shows the interaction check at once."""

from dosewise.services import products
from tests.helpers import snapshot
from tests.web.conftest import submit


def test_adding_a_medicine_shows_the_interaction_check_right_away(client, ana):
    r = submit(client, "/medicines", {"name": "clobazam", "dose": "10 mg at night"}, page="/medicines")
    assert r.status_code == 303 and r.headers["location"].endswith("#findings")
    page = client.get(r.headers["location"]).text
    assert "Medicine added" in page and "Interaction check" in page
    assert "clobazam" in page


def test_adding_a_medicine_as_json_returns_the_findings(client):
    r = client.post("/api/v1/medicines", json={"name": "warfarin"})
    assert r.status_code == 201
    body = r.json()
    assert body["medicine"]["name"] == "warfarin"
    assert "findings" in body and "unknown" in body


def test_a_medicine_without_a_name_is_refused_with_input_kept(client, ana):
    before = snapshot(ana)
    r = submit(client, "/medicines", {"name": " ", "dose": "5 mg"}, page="/medicines")
    assert r.status_code == 400 and 'id="medicine-name-error"' in r.text and 'value="5 mg"' in r.text
    assert snapshot(ana) == before


def test_stopping_a_medicine_removes_it_from_the_list(client, ana):
    med = client.get("/api/v1/medicines").json()["medicines"][0]
    assert submit(client, f"/medicines/{med['id']}/stop", {}, page=f"/medicines/{med['id']}/stop").status_code == 303
    body = client.get("/api/v1/medicines").json()
    assert body["medicines"] == [] and body["stopped"][0]["name"] == "baclofen"
    assert "Stopped" in client.get("/medicines").text


def test_adding_a_product_lists_it_and_shows_findings(client, ana):
    fields = {"name": "Night drops", "form": "oil", "thc_mg": "2", "cbd_mg": "20"}
    r = submit(client, "/products", {**fields, "confirm": "yes"}, page="/products")
    assert r.status_code == 303
    page = client.get("/products?saved=added").text
    assert "Night drops" in page and "Product added" in page and "Interaction check" in page


def test_a_product_with_a_bad_number_is_refused_next_to_the_field(client, ana):
    before = snapshot(ana)
    r = submit(client, "/products", {"name": "Odd oil", "form": "oil", "cbd": "lots"}, page="/products")
    assert r.status_code == 400
    assert 'id="product-cbd-error"' in r.text and 'value="Odd oil"' in r.text
    assert snapshot(ana) == before


def test_editing_a_product_changes_its_content(client, ana):
    oil = products.list_products(ana)[0]
    form = client.get(f"/products/{oil.id}/edit").text
    assert 'value="33.3 mg per ml"' in form
    r = submit(
        client,
        f"/products/{oil.id}/edit",
        {"name": oil.name, "cbd_mg": "50", "thc_mg": "0"},
        page=f"/products/{oil.id}/edit",
    )
    assert r.status_code == 303
    assert products.list_products(ana)[0].cbd_mg == 50


def test_editing_an_unknown_product_is_a_404(client):
    assert client.get("/products/99/edit").status_code == 404


def test_a_medicine_started_in_the_future_is_refused(client, ana):
    from datetime import timedelta

    from dosewise import clock

    later = (clock.now().date() + timedelta(days=3)).isoformat()
    r = submit(client, "/medicines", {"name": "clobazam", "since": later}, page="/medicines")
    assert r.status_code == 400 and 'id="medicine-since-error"' in r.text
