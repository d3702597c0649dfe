"""Matching a survey export's header row to the questionnaire's questions and choices."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core import ImportProblem, _, fold
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
SPLIT_TOKENS = re.compile(r"[/\-:]")


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


def _label_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for question in QUESTIONS:
        for text in (question.name, question.label_id, question.label_en):
            lookup[fold(text)] = question.name
    return lookup


LABELS = _label_lookup()


def choice_for(question: Question, text: str) -> Choice | None:
    """The choice whose name or label (either language) is this text, if any."""
    wanted = fold(text)
    for choice in question.choices:
        if wanted in (fold(choice.name), fold(choice.label_id), fold(choice.label_en)):
            return choice
    return None


def _choice_column(header: str) -> tuple[Question, Choice] | None:
    """`layanan/topik/anak`, `topik-anak` or `Bacaan yang diinginkan/Buku anak`."""
    parts = [p for p in SPLIT_TOKENS.split(header.strip().lower()) if p]
    candidates = [(parts[-2], parts[-1])] if len(parts) >= 2 else []
    if "/" in header:
        left, right = header.rsplit("/", 1)
        candidates.append((left.rsplit("/", 1)[-1], right))
    for question_text, choice_text in candidates:
        name = LABELS.get(fold(question_text))
        question = QUESTION_BY_NAME.get(name or "")
        if question is not None and question.type == "select_multiple":
            choice = choice_for(question, choice_text)
            if choice is not None:
                return question, choice
    return None


def _question_for(header: str) -> str | None:
    """A question name (`grp/q`, `grp-q`, `q`) or label (`Group label/Question label`)."""
    if fold(header) in LABELS:
        return LABELS[fold(header)]
    parts = [p for p in SPLIT_TOKENS.split(header.strip().lower()) if p]
    if parts and parts[-1] in QUESTION_BY_NAME:
        return parts[-1]
    if "/" in header:
        return LABELS.get(fold(header.rsplit("/", 1)[-1]))
    return None


def map_columns(header: Sequence[str]) -> tuple[ColumnMap, list[ImportProblem]]:
    """Match the header to the questionnaire; report duplicates and missing required columns."""
    questions: dict[str, int] = {}
    choice_columns: dict[str, list[tuple[Choice, int]]] = {}
    instance_id = synthetic_note = root_id = deprecated_id = None
    ignored: list[str] = []
    problems: list[ImportProblem] = []
    for index, text in enumerate(header):
        lowered = text.strip().lower()
        if lowered in INSTANCE_ID_COLUMNS:
            instance_id = index
        elif lowered in ROOT_ID_COLUMNS:
            root_id = index
        elif lowered in DEPRECATED_ID_COLUMNS:
            deprecated_id = index
        elif lowered.rsplit("/", 1)[-1] == SYNTHETIC_NOTE_COLUMN:
            synthetic_note = index
        elif (pair := _choice_column(text)) is not None:
            choice_columns.setdefault(pair[0].name, []).append((pair[1], index))
        elif (name := _question_for(text)) is not None:
            if name in questions:
                first = header[questions[name]]
                problems.append(
                    ImportProblem(
                        1,
                        text,
                        _("duplicate column: question '{name}' is also in '{first}'").format(
                            name=name, first=first
                        ),
                    )
                )
            questions[name] = index
        elif lowered:
            ignored.append(text)
    for question in QUESTIONS:
        if question.required and question.name not in questions:
            problems.append(
                ImportProblem(1, question.name, _("required column not found in the header row"))
            )
    column_map = ColumnMap(
        questions,
        choice_columns,
        instance_id,
        synthetic_note,
        tuple(ignored),
        root_id,
        deprecated_id,
    )
    return column_map, problems
