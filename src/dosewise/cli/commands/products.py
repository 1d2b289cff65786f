"""dosewise product add|list|edit — contents as the label prints them ("1000 mg in 30 ml", "THC-free")."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dosewise.cli.output import console, print_json, show_findings
from dosewise.services import products
from dosewise.services.runtime import open_database

group = typer.Typer(help="Your cannabinoid products and what they contain.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
LABEL_HELP = (
    "as the label prints it: '1000 mg in 30 ml', '33.3 mg/ml', '10 mg per capsule', '2.7 mg per spray', "
    "'18 %', '< 0.3 %', 'none' or 'unknown' (a bare number is mg per --per)"
)
ThcOpt = Annotated[str | None, typer.Option(help=f"THC {LABEL_HELP}.")]
CbdOpt = Annotated[str | None, typer.Option(help=f"CBD {LABEL_HELP}.")]
ThcaOpt = Annotated[str | None, typer.Option(help="THCA as printed (flower: '20 %'); total THC = THC + 0.877 x THCA.")]
CbdaOpt = Annotated[str | None, typer.Option(help="CBDA as printed; total CBD = CBD + 0.877 x CBDA.")]
ClaimOpt = Annotated[
    str | None, typer.Option("--claim", help="What the label claims: THC-free, broad spectrum, full spectrum, isolate.")
]
DensityOpt = Annotated[float | None, typer.Option(help="Density in g/ml (from the COA), to turn % into mg per ml.")]
BatchOpt = Annotated[str | None, typer.Option(help="Batch or lot number printed on your bottle.")]


@group.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The product's name as you call it.")],
    form: Annotated[str, typer.Option(help="oil, capsule, spray, edible, flower, vape or topical.")],
    thc: ThcOpt = None,
    cbd: CbdOpt = None,
    thca: ThcaOpt = None,
    cbda: CbdaOpt = None,
    claim: ClaimOpt = None,
    per: Annotated[str | None, typer.Option(help="What the content is per: ml, unit, spray or g.")] = None,
    drop_ml: Annotated[float | None, typer.Option(help="ml per drop for oils (default 0.05).")] = None,
    density: DensityOpt = None,
    batch: BatchOpt = None,
    check: Annotated[bool, typer.Option("--check", help="Only show how the label is read; save nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Save without asking (asks only at a terminal).")] = False,
    json_: JsonOpt = False,
) -> None:
    """Add a product with its THC and CBD content as the label prints it."""
    db = open_database()
    fields: products.LabelInput = {
        "name": name,
        "form": form,
        "per": per,
        "thc": thc,
        "cbd": cbd,
        "thca": thca,
        "cbda": cbda,
        "spectrum": claim,
        "thc_mg": None,
        "cbd_mg": None,
        "drop_ml": drop_ml,
        "density_g_ml": density,
    }
    preview = products.preview_product(db, **fields)
    if check:
        print_json(preview) if json_ else _show_reading(preview.name, preview.in_words, "Read as (not saved)")
        return
    if not json_:
        _show_reading(preview.name, preview.in_words, "Read as")
        if sys.stdin.isatty() and not yes and not typer.confirm("Save this product?", default=True):
            console.print("Nothing saved.")
            return
    out, result = products.add_product(db, **fields, batch=batch)
    if json_:
        print_json({"product": out, "check": result})
        return
    console.print(f"Added [bold]{escape(out.name)}[/] ({out.form}, {out.route}): {out.content}")
    show_findings(result)


def _show_reading(name: str, lines: list[str], title: str) -> None:
    console.print(f"{title}: [bold]{escape(name)}[/]")
    for line in lines:
        console.print(f"  {escape(line)}")


@group.command("edit")
def edit(
    name: str,
    thc: ThcOpt = None,
    cbd: CbdOpt = None,
    thca: ThcaOpt = None,
    cbda: CbdaOpt = None,
    claim: ClaimOpt = None,
    drop_ml: Annotated[float | None, typer.Option(help="ml per drop.")] = None,
    density: DensityOpt = None,
    batch: BatchOpt = None,
    rename: Annotated[str | None, typer.Option(help="New name.")] = None,
) -> None:
    """Change a product's label content, drop size, batch or name (past doses keep their mg)."""
    out = products.edit_product(
        open_database(),
        name=name,
        thc=thc,
        cbd=cbd,
        thca=thca,
        cbda=cbda,
        spectrum=claim,
        drop_ml=drop_ml,
        density_g_ml=density,
        batch=batch,
        new_name=rename,
    )
    console.print(f"Updated [bold]{escape(out.name)}[/]: {out.content}")
    for line in out.in_words:
        console.print(f"  {escape(line)}")


@group.command("list")
def list_(json_: JsonOpt = False) -> None:
    """List your products."""
    items = products.list_products(open_database())
    if json_:
        print_json(items)
        return
    table = Table("Product", "Form", "Route", "Content", "Source", title="Products")
    for p in items:
        table.add_row(escape(p.name), p.form, p.route, p.content, p.potency_source)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="product")
