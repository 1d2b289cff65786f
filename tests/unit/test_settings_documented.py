"""Each setting is documented in the README (STYLE.md rule 3)."""

from pathlib import Path

from dosewise.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [f"DOSEWISE_{name.upper()}" for name in Settings.names() if f"DOSEWISE_{name.upper()}" not in text]
    assert missing == []
