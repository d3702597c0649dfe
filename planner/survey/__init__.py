"""Community survey: the questionnaire, importing real exports, and a synthetic generator."""

from planner.survey.free_text import (
    FREE_TEXT_QUESTIONS,
    FreeTextAnswer,
    FreeTextPage,
    free_text_csv,
    free_text_page,
    free_text_xlsx,
)
from planner.survey.import_jobs import (
    IMPORT_QUEUE_UNAVAILABLE,
    IMPORT_STOPPED,
    OVERLAP_CHOICES,
    OverlapChoice,
    ask_overlap,
    choose_overlap,
    create_import_job,
    delete_upload,
    fail_stale_imports,
    fail_unqueued_import,
    forget_unanswered,
    read_progress,
    result_of,
    save_upload,
    upload_dir,
)
from planner.survey.import_run import run_import_job
from planner.survey.importer import parse_survey
from planner.survey.questionnaire import QUESTION_BY_NAME, QUESTIONS, choice_label
from planner.survey.store import import_survey, list_batches
from planner.survey.summary import describe_import
from planner.survey.synth import synthesize, villages_from_pack
from planner.survey.template import blank_sheet_csv, blank_sheet_xlsx, xlsform_bytes

__all__ = [
    "FREE_TEXT_QUESTIONS",
    "FreeTextAnswer",
    "FreeTextPage",
    "free_text_csv",
    "free_text_page",
    "free_text_xlsx",
    "IMPORT_QUEUE_UNAVAILABLE",
    "IMPORT_STOPPED",
    "OVERLAP_CHOICES",
    "OverlapChoice",
    "ask_overlap",
    "choose_overlap",
    "create_import_job",
    "delete_upload",
    "fail_stale_imports",
    "fail_unqueued_import",
    "forget_unanswered",
    "read_progress",
    "result_of",
    "run_import_job",
    "save_upload",
    "upload_dir",
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
