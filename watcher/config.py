"""One settings object for the whole service: flags override ``REPORT_INBOX_*`` env vars."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from schema import SCHEMA_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPORT_INBOX_", extra="ignore")

    inbox: Path = Field(Path("inbox"), description="Folder to watch")
    db: Path = Field(Path("db/reports.db"), description="SQLite database file")
    host: str = Field("127.0.0.1", description="Datasette host")
    port: int = Field(8001, ge=0, le=65535, description="Datasette port")
    settle: float = Field(
        0.1, ge=0, description="Seconds a file must stay unchanged after it is seen before it is read"
    )
    max_file_size: int = Field(50 * 1024 * 1024, gt=0, description="Larger files fail (bytes)")
    keep_files: bool = Field(
        False, description="Leave files in the inbox instead of moving them; the database is the checkpoint"
    )
    allow_hard_links: bool = Field(
        False, description="Take files with more than one hard link (refused by default, like symbolic links)"
    )
    retry_max: float = Field(
        60.0, gt=0, description="Longest wait, seconds, before retrying a file the machine refused (lock, disk, permission)"
    )
    rescan: float = Field(60.0, gt=0, description="Seconds between full rescans of the inbox")
    vocabulary: Path = Field(
        SCHEMA_DIR,
        description="Folder of vocabulary files (indicators.yaml, organs.yaml, genres.yaml, units.yaml…); "
        "a rule file it leaves out is read from schema/",
    )
    correction_token: SecretStr | None = Field(
        None,
        description="Token that lets the site accept corrections of facts (POST /-/correct); "
        "unset, the site is read-only. Set it with the REPORT_INBOX_CORRECTION_TOKEN variable",
    )
    jobs: int = Field(
        default_factory=lambda: len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        ge=1, description="Worker processes that prepare files in parallel [number of cores]",
    )
    time_limit: float = Field(
        120.0, ge=0, description="Seconds one file's prepare step may take before it fails (0: no limit)"
    )
    memory_limit: int = Field(
        2048, ge=0, description="Megabytes a worker may add while preparing one file before it fails (0: no limit)"
    )
    scheduler: str | None = Field(
        None, description="Dask scheduler address (tcp://HOST:PORT): prepare files on that cluster"
    )
    pause_before_commit: float = Field(
        0.0, ge=0, description="Fault injection for crash tests: wait this long before each commit"
    )
    pause_before_move: float = Field(
        0.0, ge=0, description="Fault injection for crash tests: wait this long before moving a stored file"
    )

    @property
    def processed_dir(self) -> Path:
        return self.inbox / "processed"

    @property
    def originals_dir(self) -> Path:
        """Where the original bytes are kept, beside the database (see watcher/originals.py)."""
        return self.db.parent / f"{self.db.stem}-originals"

    @property
    def failed_dir(self) -> Path:
        return self.inbox / "failed"
