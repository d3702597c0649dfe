"""What residents wrote in the survey's free-text questions, per village, to read and export."""

import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.core import write_csv
from planner.exports import FORMULA_PREFIXES, write_sheet
from planner.store import SurveyResponse, Village
from planner.survey.questionnaire import QUESTION_BY_NAME, QUESTIONS

# The questions answered in the resident's own words.
FREE_TEXT_QUESTIONS: tuple[str, ...] = tuple(q.name for q in QUESTIONS if q.type == "text")
EXPORT_COLUMNS = ("kode_desa", "desa", "pertanyaan", "jawaban", "batch", "baris")
# A spreadsheet also starts a formula from a cell beginning with a tab or carriage return.
CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "\t", "\r")
READ_ROWS = 1000
# Sheet and column names of the export are Indonesian data names, as in the other exports.
SHEET_TITLE = "jawaban"


@dataclass(frozen=True)
class FreeTextAnswer:
    """One free-text answer of one respondent."""

    village_code: str
    village_name: str
    question: str
    text: str
    batch_id: int
    row_number: int | None

    def question_label(self) -> str:
        """The question as the reader sees it, in the current language."""
        return QUESTION_BY_NAME[self.question].label()


@dataclass(frozen=True)
class FreeTextPage:
    """One page of answers, with how many there are in all."""

    answers: list[FreeTextAnswer]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the answers fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


def free_text_answers(
    session: Session, village_code: str | None = None
) -> Iterator[FreeTextAnswer]:
    """Every non-blank free-text answer (of one village, or all), oldest import first."""
    query = (
        select(SurveyResponse, Village)
        .join(Village, col(SurveyResponse.village_id) == col(Village.id))
        .order_by(col(Village.code), col(SurveyResponse.id))
    )
    if village_code is not None:
        query = query.where(Village.code == village_code)
    for response, village in session.exec(query.execution_options(yield_per=READ_ROWS)):
        for question in FREE_TEXT_QUESTIONS:
            text = response.answers.get(question)
            if isinstance(text, str) and text.strip():
                yield FreeTextAnswer(
                    village.code,
                    village.name,
                    question,
                    text.strip(),
                    response.batch_id,
                    response.row_number,
                )


def free_text_page(
    session: Session, village_code: str, page: int = 1, per_page: int = 50
) -> FreeTextPage:
    """Page `page` (from 1; out of range reads as the nearest page) of a village's answers."""
    answers = list(free_text_answers(session, village_code))
    pages = max(1, -(-len(answers) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return FreeTextPage(answers[start : start + per_page], len(answers), page, per_page)


def _export_row(answer: FreeTextAnswer) -> tuple[str, str, str, str, int, int | str]:
    row = answer.row_number if answer.row_number is not None else ""
    return (
        answer.village_code,
        answer.village_name,
        answer.question,
        answer.text,
        answer.batch_id,
        row,
    )


def _csv_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def free_text_csv(session: Session, village_code: str | None = None) -> bytes:
    """The answers as UTF-8 CSV (with BOM, so Excel reads accents right), one answer a row."""
    rows = (
        {c: _csv_safe(v) for c, v in zip(EXPORT_COLUMNS, _export_row(a), strict=True)}
        for a in free_text_answers(session, village_code)
    )
    return ("\ufeff" + write_csv(rows, EXPORT_COLUMNS)).encode("utf-8")


def free_text_xlsx(session: Session, village_code: str | None = None) -> bytes:
    """The answers as a workbook: text cells stay text, never a formula."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    write_sheet(
        sheet, EXPORT_COLUMNS, (_export_row(a) for a in free_text_answers(session, village_code))
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
