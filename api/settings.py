"""Settings of the service, read from the environment (``OVERLAP_*``) and nowhere else."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``OVERLAP_DB``, ``OVERLAP_MAX_UPLOAD_BYTES``, ... ; read when first asked for."""

    model_config = SettingsConfigDict(env_prefix="OVERLAP_")

    db: str = "overlap.duckdb"
    max_upload_bytes: int = 20 * 1024 * 1024
    # Every request body but an upload's is a small JSON document.
    max_body_bytes: int = 1024 * 1024
    max_header_bytes: int = 16 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_rows: int = 2_000_000
    max_cell_chars: int = 10_000
    max_parallel_uploads: int = 2
    """Uploads parsed at once; one more is answered 429 (each may take ~0.5 GB to parse)."""
    auth_failure_limit: int = 20
    """Failed authentications from one client address before it is answered 429 ..."""
    auth_failure_window_seconds: float = 60.0
    """... until this many seconds after its first failure of the window."""
    auth_failure_clients: int = 10_000
    """Client addresses whose failures are remembered at most (oldest forgotten first)."""


@lru_cache
def get_settings() -> Settings:
    """The settings, read from the environment once (a FastAPI dependency)."""
    return Settings()
