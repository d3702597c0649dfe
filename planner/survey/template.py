"""Write the questionnaire as an XLSForm (KoboToolbox/ODK) or as a blank answer sheet."""

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.core import write_csv
from planner.survey.questionnaire import GROUP_LABELS, QUESTIONS, Choice, Question

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

LANG_ID = "Bahasa Indonesia (id)"
LANG_EN = "English (en)"
FORM_ID = "keliling_survei_kebutuhan"
FORM_VERSION = "2026.1"
MAX_BLANK_ROWS = 2000


def village_choices(villages: Sequence[tuple[str, str]]) -> tuple[Choice, ...]:
    """Village options keyed by their numeric Kemendagri code (XLSForm names avoid dots)."""
    return tuple(Choice(code.replace(".", ""), name, name, code) for code, name in villages)


def _choices_for(question: Question, villages: tuple[Choice, ...]) -> tuple[Choice, ...]:
    return villages if question.name == "desa" else question.choices


def _constraint(question: Question) -> tuple[str, str, str]:
    if question.minimum is None or question.maximum is None:
        return "", "", ""
    low, high = int(question.minimum), int(question.maximum)
    return f". >= {low} and . <= {high}", f"Isi angka {low}–{high}", f"Enter {low}–{high}"


SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{LANG_ID}",
    f"label::{LANG_EN}",
    "required",
    "constraint",
    f"constraint_message::{LANG_ID}",
    f"constraint_message::{LANG_EN}",
)


def xlsform_bytes(villages: Sequence[tuple[str, str]], title: str) -> bytes:
    """The questionnaire as an XLSForm workbook that pyxform, KoboToolbox and ODK accept."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made

    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    _write_survey_sheet(survey)
    _write_choices_sheet(book.create_sheet("choices"), village_choices(villages))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([title, FORM_ID, FORM_VERSION, LANG_ID])
    return _save(book)


def _write_survey_sheet(survey: "Worksheet") -> None:
    """One row per question, inside one group per questionnaire section."""
    survey.append(list(SURVEY_COLUMNS))
    survey.append(["start", "start"])
    survey.append(["end", "end"])
    group = None
    for question in QUESTIONS:
        if question.group != group:
            if group is not None:
                survey.append(["end_group"])
            group = question.group
            label_id, label_en = GROUP_LABELS[group]
            survey.append(["begin_group", group, label_id, label_en])
        kind: str = question.type
        if kind in ("select_one", "select_multiple"):
            kind = f"{kind} {question.choice_list()}"
        required = "yes" if question.required else ""
        row = [kind, question.name, question.label_id, question.label_en, required]
        survey.append(row + list(_constraint(question)))
    survey.append(["end_group"])


def _write_choices_sheet(choices: "Worksheet", villages: tuple[Choice, ...]) -> None:
    """Each choice list once, the villages as the `desa` question's list."""
    choices.append(["list_name", "name", f"label::{LANG_ID}", f"label::{LANG_EN}"])
    seen: set[str] = set()
    for question in QUESTIONS:
        if question.type not in ("select_one", "select_multiple"):
            continue
        if question.choice_list() in seen:
            continue
        seen.add(question.choice_list())
        for choice in _choices_for(question, villages):
            choices.append([question.choice_list(), choice.name, choice.label_id, choice.label_en])


def blank_sheet_xlsx(villages: Sequence[tuple[str, str]]) -> bytes:
    """An answer sheet with one column per question, drop-down lists and a code list."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    options = village_choices(villages)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "jawaban"
    sheet.append([q.name for q in QUESTIONS])
    codes = book.create_sheet("kode_pilihan")
    codes.append(["pertanyaan", "kode", "arti"])
    for column, question in enumerate(QUESTIONS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(12, len(question.name) + 4)
        for choice in _choices_for(question, options):
            codes.append([question.name, choice.name, choice.label_id])
        if question.type == "select_one":
            names = ",".join(c.name for c in _choices_for(question, options))
            if len(names) < 250:  # Excel's limit for an inline list
                validation = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
                validation.add(f"{letter}2:{letter}{MAX_BLANK_ROWS}")
                sheet.add_data_validation(validation)
    guide = book.create_sheet("petunjuk")
    for question in QUESTIONS:
        multiple = (
            " (boleh lebih dari satu, pisahkan dengan spasi)"
            if (question.type == "select_multiple")
            else ""
        )
        guide.append([question.name, question.label_id + multiple])
    return _save(book)


def blank_sheet_csv() -> bytes:
    """A CSV answer sheet: the header row only."""
    return write_csv([], [q.name for q in QUESTIONS]).encode("utf-8")


def _save(book: "Workbook") -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
