"""Storing an imported survey: all rows or none, each respondent once."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.core import _
from planner.store import Region, SurveyBatch, SurveyResponse, Village
from planner.survey.importer import ParsedResponse, parse_survey


@dataclass(frozen=True)
class SurveyImportResult:
    """What an import did (or, with dry_run, would do)."""

    batch_id: int | None
    responses: int
    new: int
    duplicates: int
    synthetic: bool
    dry_run: bool
    already_imported: bool = False


def file_digest(data: bytes) -> str:
    """SHA-256 of the file, used to spot the same file imported twice."""
    return hashlib.sha256(data).hexdigest()


def import_survey(
    session: Session,
    region: Region,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    imported_by_id: int | None = None,
) -> SurveyImportResult:
    """Validate the export and store its new respondents as one batch (nothing on any error)."""
    villages = list(session.exec(select(Village).where(Village.region_id == region.id)))
    parsed = parse_survey(data, [(v.code, v.name) for v in villages])
    digest = file_digest(data)
    earlier = session.exec(select(SurveyBatch).where(SurveyBatch.sha256 == digest)).first()
    fresh = _unknown_responses(session, parsed.responses)
    total = len(parsed.responses)
    if dry_run or earlier is not None or not fresh:
        return SurveyImportResult(
            earlier.id if earlier else None,
            total,
            0 if earlier or not fresh else len(fresh),
            total - len(fresh),
            parsed.synthetic,
            dry_run,
            already_imported=earlier is not None,
        )
    assert region.id is not None
    batch = SurveyBatch(
        region_id=region.id,
        filename=filename[:255],
        sha256=digest,
        source_format=parsed.source_format,
        synthetic=parsed.synthetic,
        response_count=len(fresh),
        duplicates_skipped=total - len(fresh),
        imported_by_id=imported_by_id,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    _add_responses(session, batch.id, fresh, {v.code: v.id for v in villages})
    return SurveyImportResult(
        batch.id, total, len(fresh), total - len(fresh), parsed.synthetic, False
    )


def _unknown_responses(
    session: Session, responses: Sequence[ParsedResponse]
) -> list[ParsedResponse]:
    """The responses whose key no earlier import stored."""
    keys = [r.key for r in responses]
    known = set(
        session.exec(
            select(SurveyResponse.response_key).where(col(SurveyResponse.response_key).in_(keys))
        )
    )
    return [r for r in responses if r.key not in known]


def _add_responses(
    session: Session,
    batch_id: int,
    responses: Sequence[ParsedResponse],
    village_ids: dict[str, int | None],
) -> None:
    for response in responses:
        village_id = village_ids[response.village_code]
        assert village_id is not None
        session.add(
            SurveyResponse(
                batch_id=batch_id,
                village_id=village_id,
                response_key=response.key,
                row_number=response.row,
                answers=response.answers,
            )
        )
    session.flush()


def list_batches(session: Session) -> list[SurveyBatch]:
    """Imported batches, newest first."""
    return list(session.exec(select(SurveyBatch).order_by(col(SurveyBatch.imported_at).desc())))


def describe_import(result: SurveyImportResult) -> str:
    """One sentence about an import (in the current language), for the CLI and the upload page."""
    label = _(" (SYNTHETIC data)") if result.synthetic else ""
    if result.already_imported:
        return _(
            "This file was imported before (batch #{batch}); no answers were added{label}."
        ).format(batch=result.batch_id, label=label)
    if result.dry_run:
        return _(
            "Check passed: {responses} respondents, {new} new, {duplicates} already there{label}."
            " Nothing was saved (--dry-run)."
        ).format(
            responses=result.responses, new=result.new, duplicates=result.duplicates, label=label
        )
    if result.new == 0:
        return _("All {responses} respondents are already there; nothing was added{label}.").format(
            responses=result.responses, label=label
        )
    return _(
        "Import succeeded: {new} new respondents saved (batch #{batch}),"
        " {duplicates} already there and skipped{label}."
    ).format(new=result.new, batch=result.batch_id, duplicates=result.duplicates, label=label)
