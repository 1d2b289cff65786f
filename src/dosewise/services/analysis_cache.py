"""A small cache of analysis results, keyed by a fingerprint of everything the analysis reads.

The key is content-addressed: any write (a new, edited or deleted rating or dose, a plan, a trial, a
changed setting), from this process or another worker, changes the fingerprint, so a stale result is
never served. Only repeated views of an unchanged journal are answered from memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Any

MAX_ENTRIES = 32
CacheKey = tuple[Hashable, ...]  # what a cached analysis depends on (journal fingerprint, person, scale, ...)

_entries: OrderedDict[CacheKey, Any] = OrderedDict()
_lock = Lock()


def get(key: CacheKey) -> Any | None:
    """Return the cached value for ``key`` (and mark it recently used), or None."""
    with _lock:
        if key not in _entries:
            return None
        _entries.move_to_end(key)
        return _entries[key]


def put(key: CacheKey, value: Any) -> None:
    """Store ``value`` under ``key``, dropping the least recently used entry beyond MAX_ENTRIES."""
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()
