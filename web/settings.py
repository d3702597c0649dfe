"""Settings that must be safe in production: the secret key."""

import secrets
from pathlib import Path

from planner.core import KelilingError


class SettingsError(KelilingError, RuntimeError):
    """A setting the app refuses to start with (the command line shows it as one Galat line)."""


PLACEHOLDER_SECRETS = {"", "dev", "changeme", "change-me", "secret", "keliling"}
MIN_SECRET_LENGTH = 16
KEY_FILE_NAME = "secret_key"


def load_secret_key(configured: str | None, instance_path: str) -> str:
    """Return the configured SECRET_KEY, or one generated once and kept in the instance folder.

    A placeholder or short key is refused so that sessions and driver links cannot be forged.
    """
    if configured is not None:
        if configured.strip().lower() in PLACEHOLDER_SECRETS or len(configured) < MIN_SECRET_LENGTH:
            msg = (
                f"SECRET_KEY masih contoh (placeholder) atau kurang dari {MIN_SECRET_LENGTH} "
                "karakter; isi dengan nilai acak yang panjang "
                "(python3 -c 'import secrets; print(secrets.token_hex())')."
            )
            raise SettingsError(msg)
        return configured
    path = Path(instance_path) / KEY_FILE_NAME
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
