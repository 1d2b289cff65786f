"""dosewise product add|list|edit"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dosewise.cli.output import console, print_json, show_findings
from dosewise.services import products
from dosewise.services.runtime import open_database

group = typer.Typer(help="Your cannabinoid products and what they contain.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@group.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The product's name as you call it.")],
    form: Annotated[str, typer.Option(help="oil, capsule, spray, edible, flower, vape or topical.")],
    thc: Annotated[float | None, typer.Option(help="mg THC per --per (omit if not known).")] = None,
    cbd: Annotated[float | None, typer.Option(help="mg CBD per --per (omit if not known).")] = None,
    per: Annotated[str | None, typer.Option(help="What the content is per: ml, unit, spray or g.")] = None,
    drop_ml: Annotated[float | None, typer.Option(help="ml per drop for oils (default 0.05).")] = None,
    measured: Annotated[bool, typer.Option(help="Content is from a lab certificate, not the label.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Add a product with its THC and CBD content."""
    out, result = products.add_product(
        open_database(),
        name=name,
        form=form,
        per=per,
        thc_mg=thc,
        cbd_mg=cbd,
        drop_ml=drop_ml,
        potency_source="measured" if measured else "label",
    )
    if json_:
        print_json({"product": out, "check": result})
        return
    console.print(f"Added [bold]{out.name}[/] ({out.form}, {out.route}): {out.content}")
    if out.thc_mg is None or out.cbd_mg is None:
        console.print("[yellow]Content not fully known: doses cannot be converted to mg and no plan can be made.[/]")
    show_findings(result)


@group.command("edit")
def edit(
    name: str,
    thc: Annotated[float | None, typer.Option(help="New mg THC per unit of content.")] = None,
    cbd: Annotated[float | None, typer.Option(help="New mg CBD per unit of content.")] = None,
    drop_ml: Annotated[float | None, typer.Option(help="ml per drop.")] = None,
    rename: Annotated[str | None, typer.Option(help="New name.")] = None,
) -> None:
    """Change a product's content, drop size or name (past doses keep their mg)."""
    out = products.edit_product(open_database(), name=name, thc_mg=thc, cbd_mg=cbd, drop_ml=drop_ml, new_name=rename)
    console.print(f"Updated [bold]{out.name}[/]: {out.content}")


@group.command("list")
def list_(json_: JsonOpt = False) -> None:
    """List your products."""
    items = products.list_products(open_database())
    if json_:
        print_json(items)
        return
    table = Table("Product", "Form", "Route", "Content", "Source", title="Products")
    for p in items:
        table.add_row(p.name, p.form, p.route, p.content, p.potency_source)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="product")
