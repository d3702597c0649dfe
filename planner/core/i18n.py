"""The language of the planner's own messages: Bahasa Indonesia by default, English on request.

Planner messages are written with English msgids, `_("Stop {name} has no window.").format(...)`,
and translated from the planner's own catalogue (`planner/translations/<lang>/LC_MESSAGES/
planner.po`, domain "planner"), so the planner needs neither Flask nor the web catalogue. The
language comes from a context variable: the command line and background jobs keep the default
(id); the web layer sets the page's language for each request with `set_language`.

Text built at import time (module constants, column labels) is marked with `N_` and translated
where it is used, with `_(CONSTANT)`.
"""

import contextvars
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "planner"
DEFAULT_LANGUAGE = "id"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "keliling_planner_language", default=DEFAULT_LANGUAGE
)


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, TRANSLATIONS, languages=[language], fallback=True)


def current_language() -> str:
    return _language.get()


def set_language(language: str) -> contextvars.Token[str]:
    """Speak `language` ("id" or "en") from now on in this context; returns a reset token."""
    return _language.set(language)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Speak `code` inside the block (tests, exports for an English reader)."""
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    return _catalogue(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural msgid for `n`, in the current language."""
    return _catalogue(_language.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark `message` for extraction without translating it (import-time text)."""
    return message
