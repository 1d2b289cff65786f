"""One settings object. Every setting has a default and is documented in the README."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dosewise.private import private_dir


class Settings(BaseSettings):
    """Dosewise settings, read from ``DOSEWISE_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="DOSEWISE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("dosewise")))
    database_url: str | None = None
    day_start_hour: int = Field(default=4, ge=0, le=12)
    timezone: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = None

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
