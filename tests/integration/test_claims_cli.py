"""dosewise claims check: the README example is real, stdin and --json work, bad input gets one clear line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _readme_example() -> tuple[str, str]:
    block = re.search(r"<!-- claims-example -->\n```\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    article = block.split("$ cat article.txt\n", 1)[1].split("$ dosewise claims check article.txt\n")[0]
    output = block.split("$ dosewise claims check article.txt\n", 1)[1]
    return article, output


def test_the_readme_example_is_what_the_command_prints(cli, fresh_db, tmp_path, monkeypatch):
    article, expected = _readme_example()
    (tmp_path / "article.txt").write_text(article)
    monkeypatch.chdir(tmp_path)
    result = cli("claims", "check", "article.txt")
    assert result.code == 0, result.err
    assert [line.rstrip() for line in result.out.splitlines()] == [line.rstrip() for line in expected.splitlines()]


def test_standard_input_and_json(cli, fresh_db, monkeypatch):
    import io
    import sys

    text = "Riluzole restores muscle strength. CBD melts away anxiety."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    result = cli("claims", "check", "-", "--json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert [c["verdict"] for c in out["claims"]] == ["contradicted", "not-covered"]
    assert out["counts"]["contradicted"] == 1 and out["total"] == 2 and out["supported"] == 0
    assert out["claims"][0]["references"][0]["link"].startswith("https://")
    assert "anxiety" in out["claims"][1]["explanation"]


def test_an_html_file_is_read_without_its_scripts(cli, fresh_db, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><script>alert('CBD cures cancer')</script><p>CBD oil relieves dystonia.</p></html>")
    result = cli("claims", "check", str(page))
    assert result.code == 0 and "Not supported by evidence" in result.out
    assert "cancer" not in result.out and "alert" not in result.out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (bytes(range(256)) * 4, "not text, HTML or PDF"),
        ("Le CBD soulage la dystonie et les spasmes chez les patients, selon des études récentes.".encode(), "English"),
    ],
)
def test_bad_files_give_one_line_and_exit_1(cli, fresh_db, tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = cli("claims", "check", str(path))
    assert result.code == 1 and message in result.err and "Traceback" not in result.output


def test_a_missing_file_is_named(cli, fresh_db, tmp_path):
    result = cli("claims", "check", str(tmp_path / "nope.txt"))
    assert result.code == 1 and "is not a file" in result.err


def test_an_article_with_no_health_claims_says_so(cli, fresh_db, tmp_path):
    path = tmp_path / "walk.txt"
    path.write_text("We walked to the lake on Sunday. The weather was lovely and the ducks were out.")
    result = cli("claims", "check", str(path))
    assert result.code == 0 and "No health claims found" in result.out


def test_the_persons_own_medicines_are_checked_against_the_article(cli, db, tmp_path):
    from dosewise.services import medicines, people

    people.set_person(db, name="Ana", conditions=["ms-spasticity"], weight_kg=64, birth_year=1979, timezone="UTC")
    medicines.add_medicine(db, name="warfarin", dose_text="5 mg")
    medicines.add_medicine(db, name="floopex", dose_text="1 a day")
    path = tmp_path / "a.txt"
    path.write_text("CBD oil eases stiffness in multiple sclerosis. It has no side effects.")
    result = cli("claims", "check", str(path))
    assert result.code == 0, result.err
    assert "Your medicines with what this article is about" in result.out
    assert re.search(r"SERIOUS.*warfarin \+ CBD", result.out)
    assert "floopex: unknown - not checked" in result.out
