"""Logging to stderr (gunicorn, systemd's journal) and the audit trail's logger."""

import logging

from flask import Flask

from web.settings import SettingsError

AUDIT = logging.getLogger("keliling.audit")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_LOGGED_CHARS = 80


def init_app(app: Flask) -> None:
    """Log at LOG_LEVEL to stderr, unless the server (or a test runner) set up logging already."""
    level = str(app.config.get("LOG_LEVEL") or "INFO").upper()
    if level not in LEVELS:
        msg = f"LOG_LEVEL '{level}' tidak dikenal; pilih salah satu dari {', '.join(LEVELS)}."
        raise SettingsError(msg)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()  # stderr
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    # Alembic announces its dialect on every start ("Context impl ..."): noise below DEBUG.
    logging.getLogger("alembic").setLevel(level if level == "DEBUG" else "WARNING")


def loggable(text: str | None) -> str:
    """A user-typed value safe for one log line: no line breaks or control characters, short."""
    cleaned = "".join(c if c.isprintable() else "?" for c in (text or "")[:MAX_LOGGED_CHARS])
    return cleaned.replace(" ", "_") or "-"
