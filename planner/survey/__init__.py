"""Community survey: the questionnaire, importing real exports, and a synthetic generator."""

from planner.survey.importer import parse_survey
from planner.survey.questionnaire import QUESTION_BY_NAME, QUESTIONS, choice_label
from planner.survey.store import import_survey, list_batches
from planner.survey.summary import describe_import
from planner.survey.synth import synthesize, villages_from_pack
from planner.survey.template import blank_sheet_csv, blank_sheet_xlsx, xlsform_bytes

__all__ = [
    "QUESTIONS",
    "QUESTION_BY_NAME",
    "blank_sheet_csv",
    "blank_sheet_xlsx",
    "choice_label",
    "describe_import",
    "import_survey",
    "list_batches",
    "parse_survey",
    "synthesize",
    "villages_from_pack",
    "xlsform_bytes",
]
