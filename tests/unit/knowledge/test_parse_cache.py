"""The knowledge files' parse cache (dosewise.knowledge.files) gives exactly what parsing gives, and is never stale."""

from __future__ import annotations

import os
import pickle
from importlib import resources
from pathlib import Path

import pytest

from dosewise.knowledge import files
from dosewise.knowledge.red_flags import _validate, load_red_flags

DATA = Path(str(resources.files("dosewise.knowledge").joinpath("data")))
NAMES = ["red_flags.yaml", "drugs.yaml", "scales.yaml", "measurements.yaml", "conditions/als.yaml"]


@pytest.mark.parametrize("name", NAMES)
def test_cached_data_is_what_parsing_gives(name):
    parsed = files.parse_yaml((DATA / name).read_text(encoding="utf-8"))
    files.load_yaml(name)  # fills the cache if needed
    assert files.load_yaml(name) == parsed
    assert files.load_yaml(name) is not files.load_yaml(name)  # every caller gets its own copy to keep


def test_a_cache_for_another_version_of_the_file_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_cache_file", lambda path: tmp_path / "x.pickle")
    (tmp_path / "x.pickle").write_bytes(pickle.dumps(((files._CACHE_VERSION, 1, 2), ["stale"])))
    assert files.load_yaml("scales.yaml") != ["stale"]
    assert files.load_yaml("scales.yaml") == files.parse_yaml((DATA / "scales.yaml").read_text(encoding="utf-8"))


def test_an_unreadable_or_unwritable_cache_means_parsing_again(tmp_path, monkeypatch):
    (tmp_path / "broken.pickle").write_bytes(b"not a pickle")
    monkeypatch.setattr(files, "_cache_file", lambda path: tmp_path / "broken.pickle")
    expected = files.parse_yaml((DATA / "symptoms.yaml").read_text(encoding="utf-8"))
    assert files.load_yaml("symptoms.yaml") == expected
    folder = tmp_path / "read-only"
    folder.mkdir()
    os.chmod(folder, 0o500)
    monkeypatch.setattr(files, "_cache_file", lambda path: folder / "sub" / "c.pickle")
    assert files.load_yaml("symptoms.yaml") == expected


def test_validated_red_flags_are_the_same_as_validating_the_file():
    fresh = _validate(files.parse_yaml((DATA / "red_flags.yaml").read_text(encoding="utf-8")))
    load_red_flags.cache_clear()
    assert load_red_flags() == fresh
    load_red_flags.cache_clear()
    assert load_red_flags() == fresh  # the second time from the validated cache
