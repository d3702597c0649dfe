"""Storing an imported survey: all rows or none, each submission once, written in batches.

A submission with ids is stored once under its root id; a re-downloaded export whose submission
was edited replaces the stored answers. Rows without ids are never merged by their answers: the
same file again is known by its hash, and rows whose answers match earlier rows without ids are
stored only once the user has said whether they are different people ("add") or not ("skip").
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from sqlalchemy import ARRAY, ColumnElement, String, any_, bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from planner import demand  # the module: planner.demand reads planner.survey back
from planner.core import ImportProblem, ImportRejectedError, _
from planner.store import Region, SurveyBatch, SurveyResponse, Village
from planner.survey.bulk import Progress, write_rows
from planner.survey.identity import (
    ID_KEY_PREFIX,
    ParsedResponse,
    answers_digest,
    latest_versions,
)
from planner.survey.importer import MAX_REPORTED_PROBLEMS, parse_survey

Overlap = Literal["ask", "add", "skip"]
# Rows looked up per query, at most 4 parameters each: under the 999 an old SQLite allows. On
# PostgreSQL the ids go as one array parameter each, so a query can look up ten times as many.
LOOKUP_ROWS = 200
LOOKUP_ROWS_POSTGRESQL = 2000


@dataclass(frozen=True)
class SurveyImportResult:
    """What an import did (or, with dry_run or needs_choice, would do)."""

    batch_id: int | None
    responses: int
    new: int
    duplicates: int
    synthetic: bool
    dry_run: bool
    already_imported: bool = False
    # Edited submissions whose earlier version was replaced.
    updated: int = 0
    # Rows without ids whose answers match earlier rows without ids.
    overlap: int = 0
    # Nothing stored: the user must choose "add" (different people) or "skip" (the same).
    needs_choice: bool = False
    # The workbook sheet the rows were read from (None for CSV).
    sheet: str | None = None


@dataclass
class _Plan:
    """What storing the file's rows means for the rows already stored."""

    new: list[ParsedResponse] = field(default_factory=list)
    # (stored row id, row replacing it, whether the answers differ)
    replaced: list[tuple[int, ParsedResponse, bool]] = field(default_factory=list)
    duplicates: int = 0
    overlap: list[ParsedResponse] = field(default_factory=list)


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
    overlap: Overlap = "ask",
    progress: Progress | None = None,
) -> SurveyImportResult:
    """Validate the export and store its new and edited submissions as one batch.

    Nothing is stored on any problem, on a dry run, or while overlapping rows wait for a choice.
    """
    villages = list(session.exec(select(Village).where(Village.region_id == region.id)))
    parsed = parse_survey(data, [(v.code, v.name) for v in villages])
    total = len(parsed.responses)
    kept, superseded, problems = latest_versions(parsed.responses)
    if problems:
        raise ImportRejectedError(problems[:MAX_REPORTED_PROBLEMS], total=len(problems))
    digest = file_digest(data)
    earlier = session.exec(select(SurveyBatch).where(SurveyBatch.sha256 == digest)).first()
    if earlier is not None:
        return SurveyImportResult(
            earlier.id,
            total,
            0,
            total,
            parsed.synthetic,
            dry_run,
            already_imported=True,
            sheet=parsed.sheet,
        )
    plan = _plan(session, kept, {v.id: v.code for v in villages})
    plan.duplicates += superseded
    result = replace(_outcome(plan, total, overlap, parsed.synthetic, dry_run), sheet=parsed.sheet)
    if dry_run or result.needs_choice or not (plan.new or plan.replaced):
        return result
    assert region.id is not None
    batch = SurveyBatch(
        region_id=region.id,
        filename=filename[:255],
        sha256=digest,
        source_format=parsed.source_format,
        synthetic=parsed.synthetic,
        response_count=result.new + result.updated,
        duplicates_skipped=result.duplicates,
        updated_count=result.updated,
        imported_by_id=imported_by_id,
    )
    try:
        session.add(batch)
        session.flush()
        assert batch.id is not None
        village_ids = {v.code: v.id for v in villages}
        write_rows(session, batch.id, digest, plan.new, plan.replaced, village_ids, progress)
    except IntegrityError:
        # Another import stored this file or these submissions since they were looked up.
        message = _("another import stored some of these respondents meanwhile; try again")
        raise ImportRejectedError([ImportProblem(None, None, message)]) from None
    demand.refresh_stale_aggregates(session)  # the demand tallies of the villages answered
    return replace(result, batch_id=batch.id)


def _outcome(
    plan: _Plan, total: int, overlap: Overlap, synthetic: bool, dry_run: bool
) -> SurveyImportResult:
    """The counts of the import, once the user's choice about overlapping rows is applied."""
    if overlap == "add":
        plan.new.extend(plan.overlap)
    elif overlap == "skip":
        plan.duplicates += len(plan.overlap)
    updated = sum(1 for _id, _row, changed in plan.replaced if changed)
    return SurveyImportResult(
        None,
        total,
        len(plan.new),
        plan.duplicates + len(plan.replaced) - updated,
        synthetic,
        dry_run,
        updated=updated,
        overlap=len(plan.overlap),
        needs_choice=bool(plan.overlap) and overlap == "ask",
    )


def _plan(
    session: Session, responses: Sequence[ParsedResponse], codes: dict[int | None, str]
) -> _Plan:
    """Sort the rows into new, replacing a stored version, already there, and overlapping."""
    plan = _Plan()
    claimed: dict[int, int] = {}
    with_ids = [r for r in responses if r.ids is not None]
    size = _lookup_rows(session)
    for start in range(0, len(with_ids), size):
        _match_submissions(session, with_ids[start : start + size], codes, plan, claimed)
    _match_answers(session, [r for r in responses if r.ids is None], plan)
    return plan


def _lookup_rows(session: Session) -> int:
    postgresql = session.connection().dialect.name == "postgresql"
    return LOOKUP_ROWS_POSTGRESQL if postgresql else LOOKUP_ROWS


def _one_of(session: Session, column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    """`column IN (...)`; on PostgreSQL `= ANY(array)`: one parameter instead of thousands."""
    if session.connection().dialect.name == "postgresql":
        return cast(
            ColumnElement[bool], column == any_(bindparam(None, list(values), ARRAY(String)))
        )
    return cast(ColumnElement[bool], col(column).in_(values))


def _match_submissions(
    session: Session,
    chunk: Sequence[ParsedResponse],
    codes: dict[int | None, str],
    plan: _Plan,
    claimed: dict[int, int],
) -> None:
    """Find each row's stored submission: by its root id, else by any id of its history."""
    keys = {r.key for r in chunk}
    ids = {i for r in chunk if r.ids is not None for i in r.ids.known}
    stored = session.exec(
        select(SurveyResponse).where(
            or_(
                _one_of(session, SurveyResponse.response_key, keys),
                _one_of(session, SurveyResponse.instance_id, ids),
            )
        )
    ).all()
    by_key = {s.response_key: s for s in stored}
    by_id = {s.instance_id: s for s in stored if s.instance_id}
    for response in chunk:
        known = response.ids.known if response.ids is not None else ()
        match = by_key.get(response.key) or next((by_id[i] for i in known if i in by_id), None)
        if match is None or match.id is None:
            plan.new.append(response)
            continue
        if match.id in claimed:
            raise ImportRejectedError([_same_stored(response.row, claimed[match.id])])
        claimed[match.id] = response.row
        stored_digest = match.answers_digest or answers_digest(
            codes.get(match.village_id, ""), match.answers
        )
        same_instance = response.ids is not None and response.ids.instance == match.instance_id
        if same_instance and stored_digest == response.digest:
            plan.duplicates += 1
        else:
            plan.replaced.append((match.id, response, stored_digest != response.digest))


def _same_stored(row: int, first: int) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        _("its submission ids point to the same stored respondent as row {first}").format(
            first=first
        ),
    )


def _match_answers(session: Session, responses: Sequence[ParsedResponse], plan: _Plan) -> None:
    """Rows without ids whose answers match as many earlier rows without ids overlap."""
    digests = sorted({r.digest for r in responses})
    stored: Counter[str] = Counter()
    size = _lookup_rows(session) * 4
    for start in range(0, len(digests), size):
        chunk = digests[start : start + size]
        rows = session.exec(
            select(SurveyResponse.answers_digest, func.count())
            .where(_one_of(session, SurveyResponse.answers_digest, chunk))
            .where(col(SurveyResponse.response_key).not_like(ID_KEY_PREFIX + "%"))
            .group_by(col(SurveyResponse.answers_digest))
        )
        stored.update({digest: count for digest, count in rows if digest})
    for response in responses:
        if stored[response.digest] > 0:
            stored[response.digest] -= 1
            plan.overlap.append(response)
        else:
            plan.new.append(response)


def list_batches(session: Session) -> list[SurveyBatch]:
    """Imported batches, newest first."""
    return list(session.exec(select(SurveyBatch).order_by(col(SurveyBatch.imported_at).desc())))
