"""Parse a survey export (KoboToolbox, ODK, Google Forms) into normalised answers, or refuse it.

Every problem is collected with its row and column; one problem refuses the whole file.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.core import (
    N_,
    ImportProblem,
    ImportRejectedError,
    Table,
    VillageMatcher,
    _,
    fold,
    read_table,
)
from planner.survey.columns import ColumnMap, choice_for, map_columns
from planner.survey.identity import SubmissionIds, response_keys, submission_ids
from planner.survey.questionnaire import QUESTIONS, Question

MAX_REPORTED_PROBLEMS = 50
MAX_TEXT_LENGTH = 2000
TRUE_WORDS = frozenset({"1", "ya", "iya", "y", "yes", "true", "benar", "v", "x"})
FALSE_WORDS = frozenset({"0", "tidak", "tdk", "t", "no", "n", "false", "salah", "bukan", ""})
NOT_A_CHOICE = N_("'{value}' is not a known choice ({allowed})")


@dataclass(frozen=True)
class ParsedResponse:
    """One respondent: the spreadsheet row, the village, normalised answers and a dedupe key."""

    row: int
    village_code: str
    answers: dict[str, Any]
    key: str
    ids: SubmissionIds | None = None
    digest: str = ""


@dataclass(frozen=True)
class ParsedSurvey:
    """A whole file that passed every check."""

    responses: tuple[ParsedResponse, ...]
    synthetic: bool
    source_format: str
    ignored_columns: tuple[str, ...]


class _RowParser:
    """Turns one row into normalised answers, collecting problems."""

    def __init__(self, header: Sequence[str], columns: ColumnMap, matcher: VillageMatcher) -> None:
        self.header = header
        self.columns = columns
        self.matcher = matcher
        self.problems: list[ImportProblem] = []

    def parse(self, row: int, values: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
        """The row's village code and answers, or None when it has a problem."""
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
            self._problem(row, column, _("required"))
            return None
        code = self.matcher.match(raw)
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
        return raw[:MAX_TEXT_LENGTH]

    def _integer(self, row: int, column: str, question: Question, raw: str) -> int | None:
        choice = choice_for(question, raw) if question.choices else None
        text = choice.name if choice else raw.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            self._problem(row, column, _("'{value}' is not a number").format(value=raw))
            return None
        low = question.minimum if question.minimum is not None else 1
        high = question.maximum if question.maximum is not None else len(question.choices)
        if not number.is_integer() or not low <= number <= high:
            self._problem(
                row,
                column,
                _("{value} is outside the range {low}–{high}").format(
                    value=raw, low=f"{low:g}", high=f"{high:g}"
                ),
            )
            return None
        return int(number)

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
        whole = choice_for(question, raw)
        if whole is not None:
            return [whole.value]
        separator = "," if "," in raw else (";" if ";" in raw else None)
        items = [i for i in (raw.split(separator) if separator else raw.split()) if i.strip()]
        chosen = []
        for item in items:
            choice = choice_for(question, item)
            if choice is None:
                allowed = " ".join(c.name for c in question.choices)
                self._problem(
                    row, column, _(NOT_A_CHOICE).format(value=item.strip(), allowed=allowed)
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
        self._problem(row, column, _("'{value}' is not yes/no").format(value=raw))
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


def _keys(
    responses: list[tuple[int, str, dict[str, Any], SubmissionIds | None]],
) -> list[tuple[str, str]]:
    """Each row's key (its submission's root id, else a hash of the answers and their repeat)
    and the digest of its answers."""
    return response_keys(responses)


def parse_survey(data: bytes, villages: Sequence[tuple[str, str]]) -> ParsedSurvey:
    """Validate a whole export; raise ImportRejectedError listing each problem by row/column."""
    table: Table = read_table(data)
    columns, problems = map_columns(table.header)
    if problems:
        raise ImportRejectedError(problems)
    if not table.rows:
        raise ImportRejectedError(
            [ImportProblem(None, None, _("the file contains only the header row"))]
        )
    parser = _RowParser(table.header, columns, VillageMatcher(villages))
    parsed = []
    synthetic = False
    for number, values in table.rows:
        result = parser.parse(number, values)
        if columns.synthetic_note is not None and values[columns.synthetic_note]:
            synthetic = True
        if result is not None:
            parsed.append((number, result[0], result[1], submission_ids(values, columns)))
    if parser.problems:
        found = parser.problems
        raise ImportRejectedError(found[:MAX_REPORTED_PROBLEMS], total=len(found))
    responses = tuple(
        ParsedResponse(row, village, answers, key, ids, digest)
        for (row, village, answers, ids), (key, digest) in zip(parsed, _keys(parsed), strict=True)
    )
    return ParsedSurvey(responses, synthetic, table.source_format, columns.ignored)
