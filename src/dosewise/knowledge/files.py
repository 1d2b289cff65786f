"""Read the packaged YAML data files (knowledge/data/...) fast: parsed once, then kept parsed beside the byte code.

Parsing YAML (and importing PyYAML) costs tens of milliseconds, which a command such as ``dosewise log rating``
would pay on every run for the same unchanged files. The first parse of a file is pickled to
``knowledge/__pycache__/<file>.pickle`` with the file's size and mtime; later runs load that instead while the
file is unchanged. A cache that is missing, stale, unreadable or unwritable (a read-only install) only means
the YAML is parsed again. The result is the same plain data (dicts, lists, str, numbers, dates) either way.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_CACHE_VERSION = 1

YamlRecord = dict[str, Any]
"""One mapping as written in a knowledge/data YAML file (its keys and values are those of the file)."""


def parse_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader (no Python objects); libyaml's when PyYAML was built with it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # a safe loader


def _cache_file(path: Path) -> Path | None:
    """Where the parsed ``path`` is kept; None for a file outside knowledge/data (parsed every time)."""
    package = Path(str(resources.files("dosewise.knowledge")))
    try:
        relative = path.relative_to(package / "data")
    except ValueError:
        return None
    return package / "__pycache__" / f"{'.'.join(relative.parts)}.pickle"


def _stamp(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return (_CACHE_VERSION, st.st_mtime_ns, st.st_size)


def _load_cached(cache: Path, stamp: tuple[int, ...]) -> tuple[bool, Any]:
    try:
        with cache.open("rb") as fh:
            saved_stamp, data = pickle.load(fh)  # written by this module, beside our own byte code
    except Exception:  # any unreadable cache is simply parsed again
        return False, None
    return (True, data) if tuple(saved_stamp) == stamp else (False, None)


def _save(cache: Path, stamp: tuple[int, ...], data: Any) -> None:
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((stamp, data), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except Exception:  # best effort: a read-only install parses each time
        pass


def read_yaml_file(path: Path) -> Any:
    """Return the parsed YAML file at ``path`` (from the parse cache when the file is unchanged)."""
    cache = _cache_file(path)
    if cache is None:
        return parse_yaml(path.read_text(encoding="utf-8"))
    stamp = _stamp(path)
    hit, data = _load_cached(cache, stamp)
    if hit:
        return data
    data = parse_yaml(path.read_text(encoding="utf-8"))
    _save(cache, stamp, data)
    return data


def load_yaml(name: str) -> Any:
    """Return the parsed YAML file ``knowledge/data/<name>`` (packaged data)."""
    return read_yaml_file(Path(str(resources.files("dosewise.knowledge").joinpath("data", name))))


def load_validated(name: str, validate: Callable[[Any], T], schema: Path) -> T:
    """Return ``validate(load_yaml(name))``, kept (pickled) while both the YAML file and ``schema`` (the source
    file of the models ``validate`` builds) are unchanged: a command that only needs the already validated
    rules then neither parses nor validates them again (nor builds the validators)."""
    path = Path(str(resources.files("dosewise.knowledge").joinpath("data", name)))
    cache = _cache_file(path)
    if cache is None:
        return validate(read_yaml_file(path))
    cache = cache.with_name(cache.name.replace(".pickle", ".validated.pickle"))
    stamp = (*_stamp(path), *_stamp(schema)[1:])
    hit, data = _load_cached(cache, stamp)
    if hit:
        return data
    data = validate(read_yaml_file(path))
    _save(cache, stamp, data)
    return data
