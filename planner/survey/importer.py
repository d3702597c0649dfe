"""Parse a survey export (KoboToolbox, ODK, Google Forms) into normalised answers, or refuse it.

Every problem is collected with its row and column; one problem refuses the whole file.
"""

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from planner.core import (
    N_,
    ImportProblem,
    ImportRejectedError,
    ProblemLog,
    VillageMatcher,
    _,
    fold,
    open_table,
)
from planner.survey.answers import (
    AMBIGUOUS_CHOICES,
    NOT_A_NUMBER,
    NOT_WHOLE,
    read_choices,
    read_number,
)
from planner.survey.columns import ColumnMap, choice_for, map_columns, near_misses
from planner.survey.identity import ParsedResponse, answers_digest, submission_ids
from planner.survey.questionnaire import QUESTION_BY_NAME, QUESTIONS, Question

MAX_REPORTED_PROBLEMS = 50
MAX_TEXT_LENGTH = 2000
PROGRESS_ROWS = 5000
# Yes/no and 0/1 cells repeat a handful of words over and over.
_folded = lru_cache(maxsize=4096)(fold)
TRUE_WORDS = frozenset({"1", "ya", "iya", "y", "yes", "true", "benar", "v", "x"})
FALSE_WORDS = frozenset({"0", "tidak", "tdk", "t", "no", "n", "false", "salah", "bukan", ""})
NOT_A_CHOICE = N_("'{value}' is not a known choice ({allowed})")
NOT_A_LISTED_CHOICE = N_(
    "'{choice}' is not a choice of question '{question}'; this ticked answer cannot be stored"
)
DIFFERS_FROM_CHOICE_COLUMNS = N_("'{value}' differs from the 0/1 columns of this question")


@dataclass(frozen=True)
class ParsedSurvey:
    """A whole file that passed every check."""

    responses: tuple[ParsedResponse, ...]
    synthetic: bool
    source_format: str
    ignored_columns: tuple[str, ...]
    sheet: str | None = None  # the workbook sheet read (None for CSV)


class _RowParser:
    """Turns one row into normalised answers, collecting problems."""

    def __init__(self, header: Sequence[str], columns: ColumnMap, matcher: VillageMatcher) -> None:
        self.header = header
        self.columns = columns
        self.matcher = matcher
        self.problems = ProblemLog()
        self.covered = {
            name: len({choice.value for choice, _index in pairs})
            == len(QUESTION_BY_NAME[name].choices)
            for name, pairs in columns.choice_columns.items()
        } | {q.name: False for q in QUESTIONS if q.name not in columns.choice_columns}
        self.village_codes: dict[str, str | None] = {}

    def parse(self, row: int, values: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
        """The row's village code and answers, or None when it has a problem."""
        before = self.problems.total
        answers: dict[str, Any] = {}
        village = None
        for question in QUESTIONS:
            index = self.columns.questions.get(question.name)
            raw = values[index].strip() if index is not None and index < len(values) else ""
            column = self.header[index] if index is not None else question.name
            if question.name == "desa":
                village = self._village(row, column, raw)
                continue
            if question.type == "select_multiple":
                value = self._multiple(row, column, question, raw, values)
            else:
                value = self._value(row, column, question, raw)
            answers[question.name] = value
        self._unknown_choices(row, values)
        if self.problems.total > before or village is None:
            return None
        return village, answers

    def _problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(row, column, message))

    def _village(self, row: int, column: str, raw: str) -> str | None:
        if not raw:
            self._problem(row, column, _("required"))
            return None
        if raw not in self.village_codes:
            self.village_codes[raw] = self.matcher.match(raw)
        code = self.village_codes[raw]
        if code is None:
            hint = self.matcher.suggest(raw)
            message = (
                _("'{value}' is not known — did you mean '{hint}'?").format(value=raw, hint=hint)
                if hint
                else _("'{value}' is not known").format(value=raw)
            )
            self._problem(row, column, message)
        return code

    def _value(self, row: int, column: str, question: Question, raw: str) -> Any:
        if not raw:
            if question.required:
                self._problem(row, column, _("required"))
            return [] if question.type == "select_multiple" else None
        if question.type == "integer" or question.name == "minat":
            return self._integer(row, column, question, raw)
        if question.type == "select_one":
            return self._select_one(row, column, question, raw)
        if question.type == "select_multiple":
            return self._select_multiple(row, column, question, raw)
        if len(raw) > MAX_TEXT_LENGTH:
            message = _("the answer is longer than {limit} characters").format(
                limit=MAX_TEXT_LENGTH
            )
            self._problem(row, column, message)
        return raw

    def _integer(self, row: int, column: str, question: Question, raw: str) -> int | None:
        choice = choice_for(question, raw) if question.choices else None
        reading = read_number(choice.name if choice else raw)
        if reading.value is None:
            self._problem(row, column, _(reading.problem or NOT_A_NUMBER).format(value=raw))
            return None
        if reading.value != reading.value.to_integral_value():
            self._problem(row, column, _(NOT_WHOLE).format(value=raw))
            return None
        low = question.minimum if question.minimum is not None else 1
        high = question.maximum if question.maximum is not None else len(question.choices)
        if not low <= reading.value <= high:
            self._problem(
                row,
                column,
                _("{value} is outside the range {low}–{high}").format(
                    value=raw, low=f"{low:g}", high=f"{high:g}"
                ),
            )
            return None
        return int(reading.value)

    def _select_one(self, row: int, column: str, question: Question, raw: str) -> Any:
        if question.name == "anggota_perpustakaan":
            return self._yes_no(row, column, raw)
        choice = choice_for(question, raw)
        if choice is None:
            allowed = ", ".join(c.name for c in question.choices)
            self._problem(row, column, _(NOT_A_CHOICE).format(value=raw, allowed=allowed))
            return None
        return choice.value

    def _select_multiple(self, row: int, column: str, question: Question, raw: str) -> list[str]:
        reading = read_choices(question.name, raw)
        if reading.ambiguous:
            self._problem(row, column, _(AMBIGUOUS_CHOICES).format(value=raw))
        elif reading.unknown is not None:
            allowed = " ".join(c.name for c in question.choices)
            message = _(NOT_A_CHOICE).format(value=reading.unknown, allowed=allowed)
            self._problem(row, column, message)
        return list(reading.values)

    def _yes_no(self, row: int, column: str, raw: str) -> bool | None:
        word = _folded(raw)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self._problem(row, column, _("'{value}' is not yes/no").format(value=raw))
        return None

    def _multiple(
        self, row: int, column: str, question: Question, raw: str, values: Sequence[str]
    ) -> list[str]:
        """A select_multiple answer from its own column and/or its 0/1 columns; when the 0/1
        columns cover every choice they decide, and a readable own column must agree."""
        columns = self.columns.choice_columns.get(question.name, [])
        ticked = set()
        for choice, index in columns:
            cell = values[index] if index < len(values) else ""
            if self._yes_no(row, self.header[index], cell):
                ticked.add(choice.value)
        order = [c.value for c in question.choices]
        if not self.covered[question.name]:
            own = self._value(row, column, question, raw) if raw else []
            return sorted(ticked | set(own), key=order.index)
        reading = read_choices(question.name, raw) if raw else None
        readable = reading is not None and reading.unknown is None and not reading.ambiguous
        if readable and reading is not None and set(reading.values) != ticked:
            self._problem(row, column, _(DIFFERS_FROM_CHOICE_COLUMNS).format(value=raw))
        return sorted(ticked, key=order.index)

    def _unknown_choices(self, row: int, values: Sequence[str]) -> None:
        for question, choice, index in self.columns.unknown_choices:
            cell = values[index] if index < len(values) else ""
            if cell and _folded(cell) in TRUE_WORDS:
                message = _(NOT_A_LISTED_CHOICE).format(choice=choice, question=question)
                self._problem(row, self.header[index], message)


def _response(
    row: int,
    village: str,
    answers: dict[str, Any],
    values: Sequence[str],
    columns: ColumnMap,
    repeats: Counter[str],
) -> ParsedResponse:
    """The row as kept until it is stored; rows without ids count repeats of their answers."""
    digest = answers_digest(village, answers)
    ids = submission_ids(values, columns)
    repeat = 1
    if ids is None:
        repeats[digest] += 1
        repeat = repeats[digest]
    return ParsedResponse(row, village, json.dumps(answers), digest, ids, repeat)


def _header_score(header: Sequence[str]) -> int:
    return map_columns(header)[0].recognised


def _rejected(
    found: list[ImportProblem], sheet: str | None, total: int | None = None
) -> ImportRejectedError:
    """The refusal, naming the workbook sheet whose rows and columns the problems are in."""
    found = sorted(found, key=lambda problem: problem.row or 0)
    total = total if total is not None else len(found)
    if sheet is None:
        return ImportRejectedError(found[:MAX_REPORTED_PROBLEMS], total=total)
    note = _("rows and columns are those of sheet '{sheet}'").format(sheet=sheet)
    shown = [ImportProblem(None, None, note), *found[: MAX_REPORTED_PROBLEMS - 1]]
    return ImportRejectedError(shown, total=total + (total >= MAX_REPORTED_PROBLEMS))


def parse_survey(
    data: bytes,
    villages: Sequence[tuple[str, str]],
    *,
    progress: Callable[[int], None] | None = None,
) -> ParsedSurvey:
    """Validate a whole export; raise ImportRejectedError listing each problem by row/column.

    A workbook's data may be on any sheet: the one whose header names the questionnaire's
    questions is read. `progress` hears the number of rows read every PROGRESS_ROWS rows."""
    table = open_table(data, _header_score)
    columns, problems = map_columns(table.header, row=table.header_row)
    if columns.recognised == 0:
        msg = _("no question of the survey was found in the header row; is the header missing?")
        problems = [ImportProblem(table.header_row, None, msg)]
    else:
        problems += near_misses(columns, table.header_row)
    if problems:
        raise _rejected(problems, table.sheet)
    parser = _RowParser(table.header, columns, VillageMatcher(villages))
    parsed: list[ParsedResponse] = []
    repeats: Counter[str] = Counter()
    synthetic = False
    for count, (number, values) in enumerate(table.rows(), start=1):
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)
        result = parser.parse(number, values)
        note = columns.synthetic_note
        if note is not None and note < len(values) and values[note]:
            synthetic = True
        if result is not None:
            parsed.append(_response(number, result[0], result[1], values, columns, repeats))
    if table.problems or parser.problems:
        total = table.problems.total + parser.problems.total
        raise _rejected(table.problems + parser.problems, table.sheet, total)
    if not parsed:
        message = _("the file contains only the header row")
        raise _rejected([ImportProblem(None, None, message)], table.sheet)
    return ParsedSurvey(tuple(parsed), synthetic, table.source_format, columns.ignored, table.sheet)
