"""Matching a survey export's header row to the questionnaire's questions and choices."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from planner.core import ImportProblem, _, fold
from planner.survey.answers import choice_texts
from planner.survey.questionnaire import (
    QUESTION_BY_NAME,
    QUESTIONS,
    SYNTHETIC_NOTE_COLUMN,
    Choice,
    Question,
)

INSTANCE_ID_COLUMNS = frozenset({"_uuid", "instanceid", "meta/instanceid", "meta-instanceid"})
# The first version's id, kept by every edit: Kobo `meta/rootUuid`, ODK Central `KEY`.
ROOT_ID_COLUMNS = frozenset({"key", "rootuuid", "meta/rootuuid", "meta-rootuuid"})
# The version an edit replaced.
DEPRECATED_ID_COLUMNS = frozenset({"deprecatedid", "meta/deprecatedid", "meta-deprecatedid"})
# Kobo joins groups, questions and choices with '/' (or a separator chosen at export, such as
# '.'), ODK Central with '-'.
HEADER_SEPARATORS = "/-:."
SEPARATOR_PATTERN = re.compile(r"[/\-:.]")
# An ignored header this close to an unanswered question's label is reported, not dropped.
NEAR_MISS_RATIO = 0.85
NEAR_MISS_MIN_LENGTH = 5
MAX_NEAR_MISS_COLUMNS = 300
# Longer header cells name no question (and matching them would take time).
MAX_HEADER_LENGTH = 400
MAX_HEADER_CUTS = 10


@dataclass(frozen=True)
class ColumnMap:
    """Which file column answers which question (or which choice of a 0/1 column)."""

    questions: dict[str, int]
    choice_columns: dict[str, list[tuple[Choice, int]]]
    instance_id: int | None
    synthetic_note: int | None
    ignored: tuple[str, ...]
    root_id: int | None = None
    deprecated_id: int | None = None
    # 0/1 columns of a select_multiple question naming no choice of it: (question, text, index).
    unknown_choices: tuple[tuple[str, str, int], ...] = ()

    @property
    def recognised(self) -> int:
        """How many columns answer a question (how header-like a row is)."""
        return len(self.questions) + sum(len(c) for c in self.choice_columns.values())


@dataclass(frozen=True)
class HeaderMatch:
    """A header naming a question, or one choice of it (`choice_text` when no choice fits)."""

    question: Question
    choice: Choice | None = None
    choice_text: str | None = None


def _label_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for question in QUESTIONS:
        for text in (question.name, question.label_id, question.label_en):
            lookup[fold(text)] = question.name
    return lookup


LABELS = _label_lookup()
# Every word of a question's name or label: a header without one names no question.
VOCABULARY = frozenset(w for label in LABELS for w in label.split() if not w.isdigit())


@cache
def _choices_by_text(question: str) -> dict[str, Choice]:
    return {
        fold(text): choice
        for choice in reversed(QUESTION_BY_NAME[question].choices)
        for text in choice_texts(choice)
    }


@lru_cache(maxsize=65536)
def _choice_named(question: str, text: str) -> Choice | None:
    return _choices_by_text(question).get(fold(text))


def choice_for(question: Question, text: str) -> Choice | None:
    """The choice whose name or label (either language, with or without its bracket) is this."""
    return _choice_named(question.name, text)


def _multiple(folded: str) -> Question | None:
    question = QUESTION_BY_NAME.get(LABELS.get(folded, ""))
    return question if question is not None and question.type == "select_multiple" else None


def _named_multiple(folded: str) -> Question | None:
    """A select_multiple question whose name is a word of the text ("Topik yang diminati")."""
    words = set(folded.split())
    found = [q for q in QUESTIONS if q.type == "select_multiple" and q.name in words]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def match_header(header: str) -> HeaderMatch | None:
    """The question (and choice, for a 0/1 column) a header names, whatever group prefix it has
    and whatever `/`, `-` or `:` its labels contain; the longest match wins."""
    text = header.strip()
    cuts = [i for i, ch in enumerate(text) if ch in HEADER_SEPARATORS]
    if len(text) > MAX_HEADER_LENGTH or len(cuts) > MAX_HEADER_CUTS:
        return None
    # The separators fold to spaces, so a span's folded text is its folded parts joined.
    parts = [fold(part) for part in re.split(SEPARATOR_PATTERN, text)]
    if not VOCABULARY.intersection(" ".join(parts).split()):
        return None

    def span(first: int, end: int) -> str:
        return " ".join(part for part in parts[first:end] if part)

    for finder in (_multiple, _named_multiple):
        for first in range(len(parts)):
            name = LABELS.get(span(first, len(parts)))
            if name is not None and finder is _multiple:
                return HeaderMatch(QUESTION_BY_NAME[name])
            for last in range(first, len(parts) - 1):
                question = finder(span(first, last + 1))
                if question is None:
                    continue
                choice_text = span(last + 1, len(parts))
                choice = _choices_by_text(question.name).get(choice_text)
                if choice is not None:
                    return HeaderMatch(question, choice)
                if finder is _multiple and choice_text:
                    return HeaderMatch(question, None, text[cuts[last] + 1 :].strip())
    return None


def map_columns(header: Sequence[str], *, row: int = 1) -> tuple[ColumnMap, list[ImportProblem]]:
    """Match the header to the questionnaire; report duplicates and missing required columns."""
    questions: dict[str, int] = {}
    choice_columns: dict[str, list[tuple[Choice, int]]] = {}
    ids: dict[str, int] = {}
    unknown: list[tuple[str, str, int]] = []
    ignored: list[str] = []
    problems: list[ImportProblem] = []
    for index, text in enumerate(header):
        lowered = text.strip().lower()
        if (kind := _id_kind(lowered)) is not None:
            ids[kind] = index
        elif (match := match_header(text)) is None:
            if lowered:
                ignored.append(text)
        elif match.choice is not None:
            choice_columns.setdefault(match.question.name, []).append((match.choice, index))
        elif match.choice_text is not None:
            unknown.append((match.question.name, match.choice_text, index))
        else:
            name = match.question.name
            if name in questions:
                first = header[questions[name]]
                msg = _("duplicate column: question '{name}' is also in '{first}'")
                problems.append(ImportProblem(row, text, msg.format(name=name, first=first)))
            questions[name] = index
    for question in QUESTIONS:
        if question.required and question.name not in questions:
            msg = _("required column not found in the header row")
            problems.append(ImportProblem(row, question.name, msg))
    column_map = ColumnMap(
        questions,
        choice_columns,
        ids.get("instance"),
        ids.get("synthetic"),
        tuple(ignored),
        ids.get("root"),
        ids.get("deprecated"),
        tuple(unknown),
    )
    return column_map, problems


def near_misses(columns: ColumnMap, row: int) -> list[ImportProblem]:
    """Ignored columns written almost like an unanswered question: their answers would be lost
    without a word, so they are reported (a typo or an edited label in the form)."""
    unanswered = [
        q
        for q in QUESTIONS
        if q.name not in columns.questions and q.name not in columns.choice_columns
    ]
    problems = []
    for text in columns.ignored[:MAX_NEAR_MISS_COLUMNS]:
        written = fold(re.split(r"[/\-]", text)[-1])
        if len(written) < NEAR_MISS_MIN_LENGTH:
            continue
        for question in unanswered:
            labels = {fold(question.label_id), fold(question.label_en), fold(question.name)}
            matcher = SequenceMatcher(None, written)
            if any(_close(matcher, label) for label in labels):
                msg = _(
                    "this column looks like question '{label}' but is not written as in the"
                    " questionnaire; name it '{name}' so that its answers are read"
                ).format(label=question.label(), name=question.name)
                problems.append(ImportProblem(row, text, msg))
                break
    return problems


def _close(matcher: SequenceMatcher[str], label: str) -> bool:
    matcher.set_seq2(label)
    return matcher.quick_ratio() >= NEAR_MISS_RATIO and matcher.ratio() >= NEAR_MISS_RATIO


def _id_kind(lowered: str) -> str | None:
    if lowered in INSTANCE_ID_COLUMNS:
        return "instance"
    if lowered in ROOT_ID_COLUMNS:
        return "root"
    if lowered in DEPRECATED_ID_COLUMNS:
        return "deprecated"
    if lowered.rsplit("/", 1)[-1] == SYNTHETIC_NOTE_COLUMN:
        return "synthetic"
    return None
