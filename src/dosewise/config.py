"""One settings object. Every setting has a default and is documented in the README.

Settings are read from ``DOSEWISE_*`` environment variables; a value given to ``Settings(...)`` wins over
the environment. A plain dataclass (not pydantic-settings): every command reads the settings, and a quick
``dosewise log`` should not pay for importing a settings framework.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dosewise.errors import InvalidInput
from dosewise.private import private_dir

ENV_PREFIX = "DOSEWISE_"


def _env(name: str) -> str | None:
    """The environment variable DOSEWISE_<NAME>, or None when it is unset."""
    return os.environ.get(ENV_PREFIX + name.upper())


def _env_int(name: str, default: int, low: int, high: int) -> int:
    raw = _env(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidInput(f"{ENV_PREFIX}{name.upper()} must be a whole number, not '{raw}'.", field=name) from None
    if not low <= value <= high:
        raise InvalidInput(f"{ENV_PREFIX}{name.upper()} must be between {low} and {high}, not {value}.", field=name)
    return value


def _default_data_dir() -> Path:
    raw = _env("data_dir")
    if raw:
        return Path(raw)
    from platformdirs import user_data_dir

    return Path(user_data_dir("dosewise"))


@dataclass(frozen=True)
class Settings:
    """Dosewise settings, read from ``DOSEWISE_*`` environment variables."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str | None = field(default_factory=lambda: _env("database_url"))
    day_start_hour: int = field(default_factory=lambda: _env_int("day_start_hour", 4, 0, 12))
    timezone: str | None = field(default_factory=lambda: _env("timezone"))
    host: str = field(default_factory=lambda: _env("host") or "127.0.0.1")
    port: int = field(default_factory=lambda: _env_int("port", 8000, 1, 65535))
    secret_key: str | None = field(default_factory=lambda: _env("secret_key"))

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if not 0 <= self.day_start_hour <= 12:
            raise InvalidInput("The journal day must start between 0 and 12 o'clock.", field="day_start_hour")

    def replace(self, **changes: object) -> Settings:
        """Return a copy with ``changes`` (e.g. the host and port given on the command line)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # field names checked by replace()

    @classmethod
    def names(cls) -> list[str]:
        """The setting names; each is read from DOSEWISE_<NAME upper-cased>."""
        return [f.name for f in dataclasses.fields(cls)]

    def resolved_database_url(self) -> str:
        """Return the database URL: the configured one or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        private_dir(self.data_dir)  # the journal is health data: only its owner may list or read the folder
        return f"sqlite:///{self.data_dir / 'dosewise.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return Settings()
