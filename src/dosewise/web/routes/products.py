"""Products: list, add (the label read back first) and edit; adding shows the interaction findings at once."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dosewise.errors import NotFound
from dosewise.services import products, safety
from dosewise.services.choices import Form
from dosewise.services.safety_schemas import CheckOut
from dosewise.services.schemas import ProductOut, ProductPreview
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, number, optional, respond, wants_json

router = APIRouter(tags=["products and medicines"])


class ProductsPage(BaseModel):
    frame: FrameOut
    products: list[ProductOut]
    forms: list[str]
    findings: CheckOut
    saved: str | None
    editing: ProductOut | None = None
    preview: ProductPreview | None = None  # the label read back, waiting for "Save product"
    preview_fields: dict[str, str] = {}  # what was typed, sent again with the confirmation


LABEL_INPUTS = (
    "name",
    "form",
    "per",
    "thc",
    "cbd",
    "thca",
    "cbda",
    "spectrum",
    "drop_ml",
    "density",
    "batch",
    "thc_mg",
    "cbd_mg",
)


def build_products(request: Request) -> ProductsPage:
    db = get_db(request)
    listed = products.list_products(db)
    editing = None
    if "product_id" in request.path_params:
        wanted = int(request.path_params["product_id"])
        editing = next((p for p in listed if p.id == wanted), None)
        if editing is None:
            raise NotFound(f"No product number {wanted}.")
    return ProductsPage(
        frame=frame(db),
        products=listed,
        forms=[f.value for f in Form],
        findings=safety.check_person(db),
        saved=request.query_params.get("saved"),
        editing=editing,
    )


@router.get("/products", response_model=ProductsPage)
def products_page(request: Request) -> Response:
    """Your cannabinoid products and what they contain, with the current interaction findings."""
    return respond(request, "products.html", build_products(request))


@router.post(
    "/products",
    status_code=201,
    openapi_extra=fields(
        {"name": "Name.", "form": "oil, capsule, spray, edible, flower, vape, topical"},
        {
            "cbd": "CBD as the label prints it: '1000 mg in 30 ml', '10 mg per capsule', '18 %', 'unknown'",
            "thc": "THC as the label prints it ('unknown' if not stated)",
            "thca": "THCA as printed (flower); total THC = THC + 0.877 x THCA",
            "cbda": "CBDA as printed; total CBD = CBD + 0.877 x CBDA",
            "spectrum": "thc-free, broad, full or isolate",
            "per": "ml, unit, spray or g (usually read from the label)",
            "thc_mg": "mg THC per basis (instead of thc)",
            "cbd_mg": "mg CBD per basis (instead of cbd)",
            "drop_ml": "ml per drop",
            "density": "g/ml, to turn % into mg per ml",
            "batch": "batch / lot number on the bottle",
            "preview": "yes: only read the label back, save nothing",
        },
    ),
)
async def add_product(request: Request, db: DbDep) -> Response:
    """Add a product as the label prints it; a browser first sees the label read back and confirms."""
    data = await form_input(request)
    expect_form(request, "product", "products.html", build_products, data, aliases=_ALIASES)
    args = _label_args(data)
    asks_preview = optional(data, "preview") in ("yes", "true", "1")
    if asks_preview or (not wants_json(request) and data.get("confirm") != "yes"):
        preview = await run_in_threadpool(products.preview_product, db, **args)
        if wants_json(request):
            return JSONResponse(preview.model_dump(mode="json"))
        page = await run_in_threadpool(build_products, request)
        page.preview = preview
        page.preview_fields = {k: data[k] for k in LABEL_INPUTS if data.get(k)}
        return respond(request, "products.html", page, values={"product": data})
    out, findings = await run_in_threadpool(products.add_product, db, **args, batch=optional(data, "batch"))
    return done(
        request,
        {"product": out.model_dump(mode="json"), **findings.model_dump(mode="json")},
        "/products?saved=added#findings",
    )


_ALIASES = {"density_g_ml": "density", "spectrum": "spectrum"}


def _label_args(data: dict[str, str]) -> products.LabelInput:
    return products.LabelInput(
        name=data.get("name", ""), form=data.get("form", ""), per=optional(data, "per"), **_label_content(data)
    )


def _label_content(data: dict[str, str]) -> products.LabelContent:
    return products.LabelContent(
        thc=optional(data, "thc"),
        cbd=optional(data, "cbd"),
        thca=optional(data, "thca"),
        cbda=optional(data, "cbda"),
        spectrum=optional(data, "spectrum"),
        thc_mg=number(data, "thc_mg", "THC content"),
        cbd_mg=number(data, "cbd_mg", "CBD content"),
        drop_ml=number(data, "drop_ml", "drop size"),
        density_g_ml=number(data, "density", "density"),
    )


@router.get("/products/{product_id}/edit", response_model=ProductsPage)
def product_edit_page(product_id: int, request: Request) -> Response:
    """The product's edit form."""
    return respond(request, "products.html", build_products(request))


@router.post(
    "/products/{product_id}/edit",
    openapi_extra=fields(
        optional={
            "name": "New name.",
            "thc": "THC as the label prints it",
            "cbd": "CBD as the label prints it",
            "thca": "THCA as printed",
            "cbda": "CBDA as printed",
            "spectrum": "thc-free, broad, full or isolate",
            "thc_mg": "mg THC per basis",
            "cbd_mg": "mg CBD per basis",
            "drop_ml": "ml per drop",
            "density": "g/ml",
            "batch": "batch / lot number",
        }
    ),
)
async def edit_product(product_id: int, request: Request, db: DbDep) -> Response:
    """Change a product's name, label content, drop size or batch; past doses keep the mg they were logged with."""
    data = await form_input(request)
    expect_form(request, "product_edit", "products.html", build_products, data, aliases=_ALIASES)
    current = next((p for p in await run_in_threadpool(products.list_products, db) if p.id == product_id), None)
    if current is None:
        raise NotFound(f"No product number {product_id}.")
    new_name = optional(data, "name")
    out = await run_in_threadpool(
        products.edit_product,
        db,
        name=current.name,
        **_label_content(data),
        batch=data.get("batch"),
        new_name=new_name if new_name != current.name else None,
    )
    return done(request, out, "/products?saved=edited", status=200)
