"""Matching village names as people write them ("Ds. BALOKANG", "kel. hegarsari", codes)."""

import difflib
import re
import unicodedata
from collections.abc import Sequence

from planner.core.i18n import N_

# Words people put before a village name; they never distinguish two villages.
PREFIX_WORDS = frozenset({"ds", "desa", "kel", "kelurahan", "kel.", "ds."})
SUGGESTION_CUTOFF = 0.5


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_text.lower()).split())


# What a text field says when it holds what no database column can keep (PostgreSQL refuses NUL);
# a msgid: say it with `_(UNSTORABLE_TEXT)`.
UNSTORABLE_TEXT = N_(
    "Text contains an invalid character (NUL); remove that character and save again."
)


def unstorable(text: str) -> bool:
    """Whether `text` holds a NUL or a lone surrogate, which a text column cannot store."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def name_key(text: str) -> str:
    """The comparable form of a village name: folded, prefixes dropped, no spaces."""
    words = fold(text).split()
    while len(words) > 1 and words[0] in PREFIX_WORDS:
        words = words[1:]
    return "".join(words)


def code_key(text: str) -> str | None:
    """`32.79.01.2003` or `3279012003` as the dotted code; None for anything else."""
    digits = re.sub(r"[.\s]", "", text)
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return None


class VillageMatcher:
    """Finds a region's village from a code or a name in any common spelling."""

    def __init__(self, villages: Sequence[tuple[str, str]]) -> None:
        self._codes = {code for code, _ in villages}
        self._by_key = {name_key(name): code for code, name in villages}
        self._names = {name_key(name): name for _, name in villages}

    def match(self, text: str) -> str | None:
        """The village code, or None when the text names no village of the region."""
        code = code_key(text)
        if code is not None:
            return code if code in self._codes else None
        return self._by_key.get(name_key(text))

    def suggest(self, text: str) -> str | None:
        """The name of the closest village, for 'maksud Anda ...?' hints."""
        close = difflib.get_close_matches(
            name_key(text), list(self._names), n=1, cutoff=SUGGESTION_CUTOFF
        )
        return self._names[close[0]] if close else None
