"""Starting the app (or any `keliling` command) on a database not set up yet is quiet about jobs.

A new IT person runs `keliling init` on an empty PostgreSQL database; the start-up checks of
stale solve runs and survey imports must not log errors about tables `init` is about to create.
"""

import logging
import sqlite3
from pathlib import Path

import pytest

from web import create_app


def test_an_empty_database_logs_no_job_check_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "empty.db"
    sqlite3.connect(database).close()  # the file exists, with no tables in it
    with caplog.at_level(logging.INFO):
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{database}",
                "SECRET_KEY": "test-secret-key-0123456789abcdef",
            }
        )
    app.extensions["keliling.engine"].dispose()
    assert "not checked at start-up" not in caplog.text
    assert "does not exist" not in caplog.text and "no such table" not in caplog.text
