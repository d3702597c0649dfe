"""Parse a survey export (KoboToolbox, ODK, Google Forms) into normalised answers, or refuse it.

Every problem is collected with its row and column; one problem refuses the whole file.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.core import ImportProblem, ImportRejectedError, Table, VillageMatcher, fold, read_table
from planner.survey.questionnaire import (
    QUESTION_BY_NAME,
    QUESTIONS,
    SYNTHETIC_NOTE_COLUMN,
    Choice,
    Question,
)

MAX_REPORTED_PROBLEMS = 50
MAX_TEXT_LENGTH = 2000
INSTANCE_ID_COLUMNS = frozenset({"_uuid", "instanceid", "meta/instanceid", "meta-instanceid"})
TRUE_WORDS = frozenset({"1", "ya", "iya", "y", "yes", "true", "benar", "v", "x"})
FALSE_WORDS = frozenset({"0", "tidak", "tdk", "t", "no", "n", "false", "salah", "bukan", ""})
SPLIT_TOKENS = re.compile(r"[/\-:]")


@dataclass(frozen=True)
class ParsedResponse:
    """One respondent: the spreadsheet row, the village, normalised answers and a dedupe key."""

    row: int
    village_code: str
    answers: dict[str, Any]
    key: str


@dataclass(frozen=True)
class ParsedSurvey:
    """A whole file that passed every check."""

    responses: tuple[ParsedResponse, ...]
    synthetic: bool
    source_format: str
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class ColumnMap:
    """Which file column answers which question (or which choice of a 0/1 column)."""

    questions: dict[str, int]
    choice_columns: dict[str, list[tuple[Choice, int]]]
    instance_id: int | None
    synthetic_note: int | None
    ignored: tuple[str, ...]


def _label_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for question in QUESTIONS:
        for text in (question.name, question.label_id, question.label_en):
            lookup[fold(text)] = question.name
    return lookup


LABELS = _label_lookup()


def _choice_for(question: Question, text: str) -> Choice | None:
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
            choice = _choice_for(question, choice_text)
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
    instance_id = synthetic_note = None
    ignored: list[str] = []
    problems: list[ImportProblem] = []
    for index, text in enumerate(header):
        lowered = text.strip().lower()
        if lowered in INSTANCE_ID_COLUMNS:
            instance_id = index
        elif lowered.rsplit("/", 1)[-1] == SYNTHETIC_NOTE_COLUMN:
            synthetic_note = index
        elif (pair := _choice_column(text)) is not None:
            choice_columns.setdefault(pair[0].name, []).append((pair[1], index))
        elif (name := _question_for(text)) is not None:
            if name in questions:
                first = header[questions[name]]
                problems.append(
                    ImportProblem(
                        1, text, f"kolom ganda: pertanyaan '{name}' juga ada di '{first}'"
                    )
                )
            questions[name] = index
        elif lowered:
            ignored.append(text)
    for question in QUESTIONS:
        if question.required and question.name not in questions:
            problems.append(
                ImportProblem(1, question.name, "kolom wajib tidak ditemukan di baris judul")
            )
    column_map = ColumnMap(questions, choice_columns, instance_id, synthetic_note, tuple(ignored))
    return column_map, problems


class _RowParser:
    """Turns one row into normalised answers, collecting problems."""

    def __init__(self, header: Sequence[str], columns: ColumnMap, matcher: VillageMatcher) -> None:
        self.header = header
        self.columns = columns
        self.matcher = matcher
        self.problems: list[ImportProblem] = []

    def parse(self, row: int, values: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
        before = len(self.problems)
        answers: dict[str, Any] = {}
        village = None
        for question in QUESTIONS:
            index = self.columns.questions.get(question.name)
            raw = values[index].strip() if index is not None and index < len(values) else ""
            column = self.header[index] if index is not None else question.name
            if question.name == "desa":
                village = self._village(row, column, raw)
                continue
            value = self._value(row, column, question, raw)
            if question.type == "select_multiple":
                value = self._merge_choice_columns(row, question, value, values)
            answers[question.name] = value
        if len(self.problems) > before or village is None:
            return None
        return village, answers

    def _problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(row, column, message))

    def _village(self, row: int, column: str, raw: str) -> str | None:
        if not raw:
            self._problem(row, column, "wajib diisi")
            return None
        code = self.matcher.match(raw)
        if code is None:
            hint = self.matcher.suggest(raw)
            suffix = f" — maksud Anda '{hint}'?" if hint else ""
            self._problem(row, column, f"'{raw}' tidak dikenal{suffix}")
        return code

    def _value(self, row: int, column: str, question: Question, raw: str) -> Any:
        if not raw:
            if question.required:
                self._problem(row, column, "wajib diisi")
            return [] if question.type == "select_multiple" else None
        if question.type == "integer" or question.name == "minat":
            return self._integer(row, column, question, raw)
        if question.type == "select_one":
            return self._select_one(row, column, question, raw)
        if question.type == "select_multiple":
            return self._select_multiple(row, column, question, raw)
        return raw[:MAX_TEXT_LENGTH]

    def _integer(self, row: int, column: str, question: Question, raw: str) -> int | None:
        choice = _choice_for(question, raw) if question.choices else None
        text = choice.name if choice else raw.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            self._problem(row, column, f"'{raw}' bukan angka")
            return None
        low = question.minimum if question.minimum is not None else 1
        high = question.maximum if question.maximum is not None else len(question.choices)
        if not number.is_integer() or not low <= number <= high:
            self._problem(row, column, f"{raw} di luar rentang {low:g}–{high:g}")
            return None
        return int(number)

    def _select_one(self, row: int, column: str, question: Question, raw: str) -> Any:
        if question.name == "anggota_perpustakaan":
            return self._yes_no(row, column, raw)
        choice = _choice_for(question, raw)
        if choice is None:
            allowed = ", ".join(c.name for c in question.choices)
            self._problem(row, column, f"'{raw}' bukan pilihan yang dikenal ({allowed})")
            return None
        return choice.value

    def _select_multiple(self, row: int, column: str, question: Question, raw: str) -> list[str]:
        whole = _choice_for(question, raw)
        if whole is not None:
            return [whole.value]
        separator = "," if "," in raw else (";" if ";" in raw else None)
        items = [i for i in (raw.split(separator) if separator else raw.split()) if i.strip()]
        chosen = []
        for item in items:
            choice = _choice_for(question, item)
            if choice is None:
                allowed = " ".join(c.name for c in question.choices)
                self._problem(
                    row, column, f"'{item.strip()}' bukan pilihan yang dikenal ({allowed})"
                )
            elif choice.value not in chosen:
                chosen.append(choice.value)
        return chosen

    def _yes_no(self, row: int, column: str, raw: str) -> bool | None:
        word = fold(raw)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self._problem(row, column, f"'{raw}' bukan ya/tidak")
        return None

    def _merge_choice_columns(
        self, row: int, question: Question, value: list[str], values: Sequence[str]
    ) -> list[str]:
        chosen = list(value or [])
        for choice, index in self.columns.choice_columns.get(question.name, []):
            raw = values[index] if index < len(values) else ""
            if self._yes_no(row, self.header[index], raw) and choice.value not in chosen:
                chosen.append(choice.value)
        order = [c.value for c in question.choices]
        return sorted(chosen, key=order.index)


def _keys(responses: list[tuple[int, str, dict[str, Any], str | None]]) -> list[str]:
    """Instance ids where the export has them, else a hash of the answers and their repeat."""
    seen: Counter[str] = Counter()
    keys = []
    for _row, village, answers, instance_id in responses:
        if instance_id:
            keys.append("id:" + instance_id[:60])
            continue
        digest = hashlib.sha256(
            json.dumps([village, answers], sort_keys=True).encode("utf-8")
        ).hexdigest()[:40]
        seen[digest] += 1
        keys.append(f"h:{digest}:{seen[digest]}")
    return keys


def parse_survey(data: bytes, villages: Sequence[tuple[str, str]]) -> ParsedSurvey:
    """Validate a whole export; raise ImportRejectedError listing each problem by row/column."""
    table: Table = read_table(data)
    columns, problems = map_columns(table.header)
    if problems:
        raise ImportRejectedError(problems)
    if not table.rows:
        raise ImportRejectedError([ImportProblem(None, None, "berkas hanya berisi baris judul")])
    parser = _RowParser(table.header, columns, VillageMatcher(villages))
    parsed = []
    synthetic = False
    for number, values in table.rows:
        result = parser.parse(number, values)
        if columns.synthetic_note is not None and values[columns.synthetic_note]:
            synthetic = True
        if result is not None:
            instance = values[columns.instance_id] if columns.instance_id is not None else None
            parsed.append((number, result[0], result[1], instance))
    if parser.problems:
        found = parser.problems
        raise ImportRejectedError(found[:MAX_REPORTED_PROBLEMS], total=len(found))
    responses = tuple(
        ParsedResponse(row, village, answers, key)
        for (row, village, answers, _), key in zip(parsed, _keys(parsed), strict=True)
    )
    return ParsedSurvey(responses, synthetic, table.source_format, columns.ignored)
