"""The sentence a librarian reads after an import, in the planner's language."""

from planner.core import _
from planner.survey.store import SurveyImportResult


def describe_import(result: SurveyImportResult) -> str:
    """One sentence about an import (in the current language), for the CLI and the upload page."""
    label = _(" (SYNTHETIC data)") if result.synthetic else ""
    if result.already_imported:
        return _(
            "This file was imported before (batch #{batch}); no answers were added{label}."
        ).format(batch=result.batch_id, label=label)
    if result.needs_choice:
        return _(
            "{overlap} of {responses} respondents have exactly the same answers as respondents"
            " imported earlier from a file without submission ids. Nothing was saved yet: choose"
            " whether they are other people (add them) or the same people (skip them){label}."
        ).format(overlap=result.overlap, responses=result.responses, label=label)
    if result.dry_run:
        summary = _(
            "Check passed: {responses} respondents, {new} new, {duplicates} already there{label}."
            " Nothing was saved (--dry-run)."
        ).format(
            responses=result.responses, new=result.new, duplicates=result.duplicates, label=label
        )
    elif result.new == 0 and result.updated == 0:
        summary = _(
            "All {responses} respondents are already there; nothing was added{label}."
        ).format(responses=result.responses, label=label)
    else:
        summary = _(
            "Import succeeded: {new} new respondents saved (batch #{batch}),"
            " {duplicates} already there and skipped{label}."
        ).format(new=result.new, batch=result.batch_id, duplicates=result.duplicates, label=label)
    return " ".join([summary, *_details(result)])


def _details(result: SurveyImportResult) -> list[str]:
    """Sentences on the sheet read, edited submissions and rows matching earlier id-less rows."""
    details = []
    if result.sheet is not None:
        details.append(_("Rows read from sheet '{sheet}'.").format(sheet=result.sheet))
    if result.updated:
        details.append(
            _("Edited submissions that replace their earlier version: {updated}.").format(
                updated=result.updated
            )
        )
    if result.overlap:
        details.append(
            _(
                "Respondents whose answers match earlier rows without submission ids: {overlap}."
            ).format(overlap=result.overlap)
        )
    return details
