"""dosewise guide [CONDITION] and dosewise ask "QUESTION" - the curated, cited knowledge base."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table

from dosewise.cli.output import LEVEL_COLOUR, console, level_label, print_json
from dosewise.services import knowledge
from dosewise.services.knowledge import AskOut, FactOut, GuideOut

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
GRADE_STYLE = {
    "substantial": "bold green",
    "moderate": "green",
    "limited": "yellow",
    "insufficient": "magenta",
    "evidence-of-no-effect": "red",
}


def _cite(ids: list[str], numbers: dict[str, int]) -> str:
    nums = sorted({numbers[i] for i in ids if i in numbers})
    return f" [dim][{', '.join(map(str, nums))}][/]" if nums else ""


def _fact_line(f: FactOut, numbers: dict[str, int]) -> str:
    title = f"[bold]{escape(f.title)}[/]: " if f.title else ""
    flag = " [yellow](unverified)[/]" if not f.verified else ""
    return f"  - {title}{escape(f.text)}{flag}{_cite(f.refs, numbers)}"


def _section(title: str, lines: list[str]) -> None:
    console.print(Rule(f"[bold]{title}[/]", align="left", style="cyan"))
    for line in lines:
        console.print(line)
    console.print()


def _evidence_lines(g: GuideOut, numbers: dict[str, int]) -> list[str]:
    lines = []
    for e in g.evidence:
        style = GRADE_STYLE[e.grade]
        lines.append(
            f"  [bold]{escape(e.outcome)}[/] - [{style}]{e.grade_label} ({e.grade})[/]{_cite(e.refs, numbers)}"
        )
        lines.append(f"    {escape(e.summary)}")
        for s in e.studies:
            lines.append(
                f"    * [italic]{escape(s.name)}[/] ({escape(s.design)}; {escape(s.intervention)}): "
                f"{escape(s.result)}{_cite(s.refs, numbers)}"
            )
    for m in g.myths:
        lines.append(f'  [bold]Claim you may have read:[/] "{escape(m.claim)}"')
        lines.append(f"    What the evidence shows: {escape(m.answer)}{_cite(m.refs, numbers)}")
    return lines


def _mechanism_lines(g: GuideOut, numbers: dict[str, int]) -> list[str]:
    lines = [
        f"  - [bold]{escape(m.target)}[/] [dim](evidence: {', '.join(m.levels)}; {m.caution})[/] "
        f"{escape(m.text)}{' [yellow](unverified)[/]' if not m.verified else ''}{_cite(m.refs, numbers)}"
        for m in g.mechanisms
    ]
    return lines + [_fact_line(f, numbers) for f in g.mechanism_notes]


def _advice_lines(g: GuideOut, numbers: dict[str, int]) -> list[str]:
    lines = [_fact_line(f, numbers) for f in g.seek_advice]
    for r in (r for r in g.red_flags if r.condition_specific):
        lines.append(
            f"  - [{LEVEL_COLOUR[r.level]}]{level_label(r.level)}[/] - [bold]{escape(r.title)}[/]: "
            f"{escape(r.message)}{_cite(r.refs, numbers)}"
        )
    general = [r for r in g.red_flags if not r.condition_specific]
    if general:
        lines.append("  Also watch for (these apply to everyone):")
        lines += [
            f"    - [{LEVEL_COLOUR[r.level]}]{level_label(r.level)}[/] - {escape(r.title)}{_cite(r.refs, numbers)}"
            for r in general
        ]
    return lines


def render_guide(g: GuideOut) -> None:
    """Print a guide as readable sections; citations are numbers pointing into the reference list."""
    numbers = {r.id: n for n, r in enumerate(g.references, start=1)}
    code = f"SNOMED CT {g.snomed.code} ({g.snomed.term})" if g.snomed else g.snomed_note
    console.print(f"[bold underline]{escape(g.name)}[/]")
    console.print(f"Also called: {escape(', '.join(g.synonyms))}. {escape(code)}")
    console.print(f"[dim]{g.disclaimer}[/]\n")
    _section("What it is", [_fact_line(f, numbers) for f in g.what_it_is])
    _section("Causes", [_fact_line(f, numbers) for f in g.causes])
    _section("Symptoms", [_fact_line(f, numbers) for f in g.symptoms])
    _section("Usual treatments", [_fact_line(f, numbers) for f in g.treatments])
    _section("What the evidence says about cannabinoids", _evidence_lines(g, numbers))
    _section("How they might work", _mechanism_lines(g, numbers))
    _section("Practical considerations", [_fact_line(f, numbers) for f in g.practical])
    _section("When to seek medical advice", _advice_lines(g, numbers))
    _section(
        "References",
        [
            f"  [{n}] {escape(r.citation)}. {escape(r.title)}."
            f"{' ' + r.link if r.link else ''}{' (unverified)' if not r.verified else ''}"
            for n, r in enumerate(g.references, start=1)
        ],
    )


def render_answers(out: AskOut) -> None:
    """Print the answers to a question, each with its grade and citations."""
    style = "green" if out.confident else "yellow"
    console.print(f"[bold]{escape(out.short_answer)}[/]" if out.confident else f"[{style}]{escape(out.message)}[/]")
    if out.confident:
        console.print(f"[{style}]{escape(out.message)}[/]")
    if out.understood:
        u = out.understood
        parts = [f"condition: {', '.join(u.conditions) or 'none named'}", f"topic: {u.topic or 'unclear'}"]
        parts += [f"products: {', '.join(u.products)}"] if u.products else []
        parts += [f"medicines: {', '.join(u.medicines)}"] if u.medicines else []
        console.print(f"[dim]Understood as - {escape('; '.join(parts))}[/]")
    console.print()
    short = {r.id: r.citation for r in out.references}
    for n, a in enumerate(out.answers, start=1):
        about = a.condition or "general"
        grade = f" - [{GRADE_STYLE[a.grade]}]grade: {a.grade}[/]" if a.grade else ""
        console.print(f"[bold]{n}. {about} / {a.topic}[/]{grade}")
        if a.short:
            console.print(f"   [bold]{escape(a.short)}[/]")
        console.print(f"   {escape(a.text)}{'' if a.verified else ' [yellow](unverified)[/]'}")
        console.print(f"   [dim]Sources: {escape('; '.join(short.get(c, c) for c in a.citations))}[/]\n")
    if not out.answers:
        console.print("Try asking about one of: " + ", ".join(c.id for c in knowledge.list_conditions()))


def guide(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CONDITION]",
            help="Condition name, e.g. als, MND, lou gehrig, ms, dystonia. Leave out to list them.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """List the condition guides, or show one: evidence grades, key studies, when to seek advice."""
    condition = " ".join(words or []).strip() or None
    if condition is None:
        rows = knowledge.list_conditions()
        if json_:
            print_json(rows)
            return
        table = Table(title="Condition guides (dosewise guide NAME)", show_lines=False)
        for col in ("id", "name", "evidence on cannabinoids"):
            table.add_column(col)
        for c in rows:
            table.add_row(c.id, c.name, "; ".join(f"{g.outcome}: {g.grade}" for g in c.grades))
        console.print(table)
        return
    out = knowledge.get_guide(condition)
    print_json(out) if json_ else render_guide(out)


def ask(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="QUESTION",
            help="Your question in plain words, e.g. is cbd oil good for dystonia (quotes optional).",
        ),
    ],
    json_: JsonOpt = False,
) -> None:
    """Answer a question from the curated, cited knowledge base only (never made-up text)."""
    out = knowledge.ask_question(" ".join(words))
    print_json(out) if json_ else render_answers(out)


def register(app: typer.Typer) -> None:
    app.command("guide")(guide)
    app.command("ask")(ask)
