"""Reading one answer as people and export tools write it: numbers and lists of choices.

Numbers: `1.000` is Indonesian for a thousand, `2,5` and `2.5` are two and a half; `1,000` may be
either a thousand or one, so it is reported rather than guessed. Lists of choices are matched
against the questionnaire's own names and labels (which may contain `/`, `,` or brackets), never
by splitting blindly on a separator.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from planner.core import N_
from planner.survey.questionnaire import QUESTION_BY_NAME, Choice

NOT_A_NUMBER = N_("'{value}' is not a number")
NOT_WHOLE = N_("'{value}' is not a whole number")
AMBIGUOUS_NUMBER = N_(
    "'{value}' is ambiguous (one thousand or one?); write the number without a separator"
)
AMBIGUOUS_CHOICES = N_("'{value}' can be read as different sets of choices; separate them with ';'")
# Whole numbers, then forms whose reading is certain; each gives (thousands mark, decimal mark).
NUMBER_FORMS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"[+-]?\d+"), "", ""),
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+"), ".", ""),  # 1.000 / 12.345.678
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3}){2,}"), ",", ""),  # 1,000,000
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})*,\d+"), ".", ","),  # 1.000,5
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})*\.\d+"), ",", "."),  # 1,000.5
    (re.compile(r"[+-]?\d*,\d+"), "", ","),  # 2,5 (three digits: checked first as ambiguous)
    (re.compile(r"[+-]?\d*\.\d+"), "", "."),  # 2.5
)
AMBIGUOUS_FORM = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
SEPARATORS = frozenset(" ,;\n\t|")
MAX_READINGS = 2


@dataclass(frozen=True)
class NumberReading:
    """A number read from text, or the msgid of why it cannot be read."""

    value: Decimal | None
    problem: str | None = None


@lru_cache(maxsize=65536)
def read_number(raw: str) -> NumberReading:
    """The number written in `raw` (Indonesian or English separators), or why not."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if AMBIGUOUS_FORM.fullmatch(text):
        return NumberReading(None, AMBIGUOUS_NUMBER)
    for pattern, thousands, decimal in NUMBER_FORMS:
        if pattern.fullmatch(text):
            plain = text.replace(thousands, "") if thousands else text
            plain = plain.replace(decimal, ".") if decimal else plain
            return NumberReading(Decimal(plain))
    return NumberReading(None, NOT_A_NUMBER)


def normalise(text: str) -> str:
    """Lowercase without accents, dashes unified and blanks collapsed (punctuation kept)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"[\u2010-\u2015\u2212]", "-", plain)
    return " ".join(plain.split())


def choice_texts(choice: Choice) -> tuple[str, ...]:
    """Every way an export may write a choice: name, labels, labels without the bracket."""
    texts = {choice.name, choice.label_id, choice.label_en}
    texts |= {label.split(" (", 1)[0] for label in (choice.label_id, choice.label_en)}
    # "5 – Sangat berminat" is also written without its number.
    texts |= {
        label.split(" – ", 1)[1]
        for label in (choice.label_id, choice.label_en)
        if label[:1].isdigit() and " – " in label
    }
    return tuple(sorted({normalise(t) for t in texts if t.strip()}, key=len, reverse=True))


@lru_cache(maxsize=16)
def _tokens(question: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (text, choice.value)
        for choice in QUESTION_BY_NAME[question].choices
        for text in choice_texts(choice)
    )


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in SEPARATORS:
        at += 1
    return at


class _Segmenter:
    """Every way `text` is a list of known choice texts joined by separators."""

    def __init__(self, question: str, text: str) -> None:
        self.tokens = _tokens(question)
        self.text = text
        self.memo: dict[int, set[frozenset[str]]] = {}
        self.furthest = 0

    def readings(self, at: int) -> set[frozenset[str]]:
        if at >= len(self.text):
            return {frozenset()}
        if at in self.memo:
            return self.memo[at]
        self.furthest = max(self.furthest, at)
        found: set[frozenset[str]] = set()
        for token, value in self.tokens:
            end = at + len(token)
            if not self.text.startswith(token, at):
                continue
            if end < len(self.text) and self.text[end] not in SEPARATORS:
                continue
            for rest in self.readings(_skip(self.text, end)):
                found.add(rest | {value})
                if len(found) >= MAX_READINGS:
                    break
        self.memo[at] = found
        return found


@dataclass(frozen=True)
class ChoiceReading:
    """The choices read from a cell (in questionnaire order), or the part that is unknown."""

    values: tuple[str, ...]
    unknown: str | None = None
    ambiguous: bool = False


@lru_cache(maxsize=8192)
def read_choices(question: str, raw: str) -> ChoiceReading:
    """The choices of a select_multiple answer such as `Pagi, Sore, setelah sekolah/Ashar`."""
    text = normalise(raw)
    segmenter = _Segmenter(question, text)
    readings = segmenter.readings(_skip(text, 0))
    order = [c.value for c in QUESTION_BY_NAME[question].choices]
    if len(readings) == 1:
        return ChoiceReading(tuple(sorted(next(iter(readings)), key=order.index)))
    if len(readings) > 1:
        return ChoiceReading((), ambiguous=True)
    rest = text[segmenter.furthest :]
    cut = re.split(r"[,;\n|]" if re.search(r"[,;\n|]", rest) else r"\s", rest, maxsplit=1)[0]
    return ChoiceReading((), unknown=cut.strip() or rest)
