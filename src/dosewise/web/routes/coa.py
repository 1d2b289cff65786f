"""A product's certificate of analysis: type its numbers, or open a text-based PDF to fill the form first."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import InvalidInput
from dosewise.services import coa_pdf, coas
from dosewise.services.choices import ANALYTES, MAX_COA_PDF_BYTES, PANELS, UNITS
from dosewise.services.schemas import CoaDraftOut, CoaOut, ProductOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import date_value, done, expect_form, form_input, number, optional, respond

router = APIRouter(tags=["certificates of analysis"])
FORM_ANALYTES = ("cbd", "thc", "cbda", "thca", "cbg", "cbn", "total_thc", "total_cbd")


class CoaPage(BaseModel):
    frame: FrameOut
    product: ProductOut
    coa: CoaOut | None  # the latest certificate with what it shows and does not show
    draft: CoaDraftOut | None = None  # numbers read from a PDF, waiting to be checked and saved
    analytes: dict[str, str]
    panels: dict[str, str]
    units: list[str]
    saved: bool = False


def build_coa_page(request: Request) -> CoaPage:
    db = get_db(request)
    product, coa = coas.product_coa(db, product_id=int(request.path_params["product_id"]))
    return CoaPage(
        frame=frame(db),
        product=product,
        coa=coa,
        analytes={a: ANALYTES[a] for a in FORM_ANALYTES},
        panels=PANELS,
        units=list(UNITS),
        saved=request.query_params.get("saved") == "1",
    )


@router.get("/products/{product_id}/coa", response_model=CoaPage)
def coa_page(product_id: int, request: Request) -> Response:
    """The product's certificate of analysis: what it shows and does not show, and a form for a new one."""
    return respond(request, "coa.html", build_coa_page(request))


@router.post(
    "/products/{product_id}/coa",
    status_code=201,
    openapi_extra=fields(
        {"lab": "The laboratory's name.", "unit": "%, mg/g, mg/ml or mg/unit"},
        {
            "batch": "Batch / lot on the certificate",
            "tested_on": "YYYY-MM-DD",
            "density": "g/ml",
            "loq": "limit of quantitation, same unit",
            "iso17025": "yes if the COA states ISO/IEC 17025 accreditation",
            **{f"r_{a}": f"{ANALYTES[a]}: a number, ND or <LOQ" for a in FORM_ANALYTES},
            **{f"panel_{p}": "pass, fail or tested (blank: not on the COA)" for p in PANELS},
        },
    ),
)
async def add_coa(product_id: int, request: Request, db: DbDep) -> Response:
    """Save a certificate of analysis; answers what it shows and does not show."""
    data = await form_input(request)
    expect_form(request, "coa", "coa.html", build_coa_page, data, aliases=_ALIASES)
    product, _ = await run_in_threadpool(coas.product_coa, db, product_id=product_id)
    coa = coas.build_coa(
        lab=data.get("lab", ""),
        batch=optional(data, "batch"),
        tested_on=date_value(data, "tested_on"),
        unit=data.get("unit", ""),
        results={a: data[f"r_{a}"] for a in ANALYTES if data.get(f"r_{a}", "").strip()},
        loq=number(data, "loq", "limit of quantitation"),
        loqs={a: float(data[f"loq_{a}"]) for a in ANALYTES if _is_number(data.get(f"loq_{a}"))},
        panels={p: v for p in PANELS if (v := (data.get(f"panel_{p}") or "").strip().lower()) not in ("", "none")},
        density_g_ml=number(data, "density", "density"),
        accredited=True if data.get("iso17025") in ("yes", "on", "true") else None,
        source="pdf" if data.get("source") == "pdf" else "form",
    )
    out = await run_in_threadpool(
        coas.attach_coa, db, product=product.name, coa=coa, file_name=optional(data, "file_name")
    )
    return done(request, out, f"/products/{product_id}/coa?saved=1#review")


_ALIASES = {**{a: f"r_{a}" for a in ANALYTES}, "density_g_ml": "density"}


@router.post("/products/{product_id}/coa/pdf", openapi_extra=fields({"file": "the COA as a PDF (multipart)"}))
async def read_coa_pdf(product_id: int, request: Request, db: DbDep) -> Response:
    """Read a text-based COA PDF into the form (nothing is saved until the form is submitted)."""
    too_big = int(request.headers.get("content-length") or 0) > MAX_COA_PDF_BYTES + 1_048_576
    data = {} if too_big else await form_input(request)
    expect_form(request, "coa_pdf", "coa.html", build_coa_page, data)
    if too_big:
        raise InvalidInput(
            f"This file is larger than {MAX_COA_PDF_BYTES // 1_048_576} MB, too large for a certificate of "
            "analysis. Enter the numbers in the form instead.",
            field="file",
        )
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("Choose the certificate's PDF file first.", field="file")
    content = await upload.read(MAX_COA_PDF_BYTES + 1)
    draft = await run_in_threadpool(coa_pdf.read_coa_pdf, content)
    page = await run_in_threadpool(build_coa_page, request)
    page.draft = draft
    values = _draft_values(draft) | {"file_name": upload.filename[:200]}
    return respond(request, "coa.html", page, values={"coa": values})


def _draft_values(draft: CoaDraftOut) -> dict[str, str]:
    values = {
        "lab": draft.lab or "",
        "batch": draft.batch or "",
        "tested_on": draft.tested_on.isoformat() if draft.tested_on else "",
        "unit": draft.unit or "",
        "density": f"{draft.density_g_ml:g}" if draft.density_g_ml else "",
        "iso17025": "yes" if draft.accredited else "no",
        "source": "pdf",
    }
    values |= {f"r_{a}": v for a, v in draft.results.items()}
    values |= {f"loq_{a}": f"{v:g}" for a, v in draft.loqs.items()}
    values |= {f"panel_{p}": s for p, s in draft.panels.items()}
    return values


def _is_number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True
