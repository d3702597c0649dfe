"""Stored per-village demand tallies: refreshed when answers or visits change, read by the pages.

`refresh_aggregates` recomputes villages' tallies from their answers and logged visits and
stores them (survey import, logged or edited events, a stop moved to another village, the
migration). `current_tallies` reads them; a village whose stored tally does not match what the
database holds (an answer or visit stored some other way, an older tally format) is recomputed
for that read, so the numbers are always those of every answer.
"""

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from planner.demand.breakdown import AnswerCounter
from planner.demand.tally import (
    TALLY_VERSION,
    TallyBuilder,
    VillageTally,
    event_attendance,
    respondent_from_answers,
)
from planner.demand.tgm import DEFAULT_TGM_SCALE
from planner.store import DemandAggregate, OutreachEvent, Stop, SurveyResponse, Village, utcnow

# A stored tally is usable when it was made in this format with the default TGM scale.
_SCALE = json.dumps(DEFAULT_TGM_SCALE.as_dict(), sort_keys=True).encode()
BASIS = f"v{TALLY_VERSION}:{hashlib.sha256(_SCALE).hexdigest()[:16]}"


@dataclass(frozen=True)
class VillageAggregate:
    """One village's tally and answer counts per closed question."""

    tally: VillageTally
    breakdown: Mapping[str, Any]


def _source(count: int, *newest: object) -> str:
    return ":".join(str(part) for part in (count, *newest))


def answer_sources(session: Session, village_ids: Collection[int] | None = None) -> dict[int, str]:
    """Per village: how many answers it has, the newest one's id and the latest batch (an
    import that replaces an edited submission's answers gives the row its own batch)."""
    query = select(
        SurveyResponse.village_id,
        func.count(),
        func.max(SurveyResponse.id),
        func.max(SurveyResponse.batch_id),
    )
    if village_ids is not None:
        query = query.where(col(SurveyResponse.village_id).in_(village_ids))
    rows = session.exec(query.group_by(col(SurveyResponse.village_id)))
    return {vid: _source(count, newest, batch) for vid, count, newest, batch in rows}


def event_sources(session: Session, village_ids: Collection[int] | None = None) -> dict[int, str]:
    """Per village: how many visits were logged at its stops, the newest id, the latest edit."""
    query = select(
        Stop.village_id,
        func.count(col(OutreachEvent.id)),
        func.max(OutreachEvent.id),
        func.max(OutreachEvent.updated_at),
    ).join(Stop, col(OutreachEvent.stop_id) == col(Stop.id))
    if village_ids is not None:
        query = query.where(col(Stop.village_id).in_(village_ids))
    rows = session.exec(query.group_by(col(Stop.village_id)))
    return {
        village_id: _source(count, newest, edited) for village_id, count, newest, edited in rows
    }


NOTHING = _source(0)


# Answers are read this many at a time: memory stays bounded whatever the number of answers.
ANSWER_CHUNK = 2000


def _count_answers(
    session: Session, codes: Mapping[int, str]
) -> dict[int, tuple[TallyBuilder, AnswerCounter]]:
    """Each village's answers counted as they stream from the database (never all in memory)."""
    found = {village_id: (TallyBuilder(), AnswerCounter()) for village_id in codes}
    query = (
        select(SurveyResponse.village_id, SurveyResponse.answers)
        .where(col(SurveyResponse.village_id).in_(codes))
        .order_by(col(SurveyResponse.id))
        .execution_options(yield_per=ANSWER_CHUNK)
    )
    for village_id, answers in session.exec(query):
        builder, counter = found[village_id]
        builder.add(respondent_from_answers(codes[village_id], answers))
        counter.add(answers)
    return found


def _attendance_by_village(session: Session, ids: Collection[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {village_id: [] for village_id in ids}
    query = (
        select(Stop.village_id, OutreachEvent.attendance)
        .join(Stop, col(OutreachEvent.stop_id) == col(Stop.id))
        .where(col(Stop.village_id).in_(ids))
    )
    for village_id, attendance in session.exec(query.order_by(col(OutreachEvent.id))):
        found[village_id].append(event_attendance(attendance))
    return found


def compute_aggregates(
    session: Session, village_ids: Collection[int]
) -> dict[int, VillageAggregate]:
    """The villages' aggregates computed afresh from their answers and logged visits."""
    if not village_ids:
        return {}
    query = select(Village.id, Village.code).where(col(Village.id).in_(village_ids))
    codes = {village_id: code for village_id, code in session.exec(query) if village_id}
    counted = _count_answers(session, codes)
    observed = _attendance_by_village(session, codes)
    return {
        village_id: VillageAggregate(
            counted[village_id][0].tally(observed[village_id]), counted[village_id][1].result()
        )
        for village_id in codes
    }


def _all_village_ids(session: Session) -> list[int]:
    return [vid for vid in session.exec(select(Village.id).order_by(col(Village.id))) if vid]


def refresh_aggregates(
    session: Session, village_ids: Iterable[int | None] | None = None, *, answers: bool = True
) -> int:
    """Recompute and store the demand tallies of these villages (all by default); flushed.

    With answers=False only the logged visits are counted again (after an event was stored),
    unless the village's answers part is not stored yet. Returns how many villages were stored.
    """
    if village_ids is None:
        ids = _all_village_ids(session)
    else:
        ids = sorted({vid for vid in village_ids if vid is not None})
    if not ids:
        return 0
    # Lock the rows first (PostgreSQL), so a concurrent refresh waits and then sees our writes.
    locked = select(DemandAggregate).where(col(DemandAggregate.village_id).in_(ids))
    stored = {row.village_id: row for row in session.exec(locked.with_for_update())}
    partial = [vid for vid in ids if not answers and _reusable(stored.get(vid))]
    whole = [vid for vid in ids if vid not in partial]
    fresh = compute_aggregates(session, whole)
    observed = _attendance_by_village(session, partial) if partial else {}
    answered = answer_sources(session, whole)
    logged = event_sources(session, ids)
    for vid in ids:
        row = stored.get(vid)
        if vid in observed and row is not None:
            tally = {**row.tally, "observed": observed[vid]}
            _store(session, row, vid, tally, row.breakdown, row.answers_source, logged)
        elif vid in fresh:
            aggregate = fresh[vid]
            source = answered.get(vid, NOTHING)
            _store(
                session, row, vid, aggregate.tally.as_json(), aggregate.breakdown, source, logged
            )
    session.flush()
    return len(ids)


def _reusable(row: DemandAggregate | None) -> bool:
    return row is not None and row.basis == BASIS


def _store(
    session: Session,
    row: DemandAggregate | None,
    village_id: int,
    tally: dict[str, Any],
    breakdown: Mapping[str, Any],
    answers_source: str,
    logged: Mapping[int, str],
) -> None:
    fresh = row is None
    if row is None:
        row = DemandAggregate(
            village_id=village_id, basis=BASIS, answers_source="", events_source=""
        )
    row.basis, row.answers_source = BASIS, answers_source
    row.events_source = logged.get(village_id, NOTHING)
    row.tally, row.breakdown, row.refreshed_at = tally, dict(breakdown), utcnow()
    if not fresh:
        session.add(row)
        return
    try:
        with session.begin_nested():  # a concurrent first refresh may insert the row first
            session.add(row)
    except IntegrityError:
        query = select(DemandAggregate).where(DemandAggregate.village_id == village_id)
        stored = session.exec(query.with_for_update()).one()
        _store(session, stored, village_id, tally, breakdown, answers_source, logged)


def refresh_stale_aggregates(session: Session) -> int:
    """Refresh the villages whose stored tally no longer matches their answers and visits
    (after an import: the villages it added answers to or replaced answers in)."""
    return refresh_aggregates(session, _stale(session, _all_village_ids(session)))


def _stale(session: Session, ids: Sequence[int], scoped: bool = False) -> list[int]:
    return _checked(session, ids, scoped)[1]


def _checked(
    session: Session, ids: Sequence[int], scoped: bool
) -> tuple[dict[int, DemandAggregate], list[int]]:
    """The stored rows of these villages, and the villages whose row is missing or stale."""
    query = select(DemandAggregate)
    if scoped:
        query = query.where(col(DemandAggregate.village_id).in_(ids))
    stored = {row.village_id: row for row in session.exec(query)}
    answered = answer_sources(session, ids if scoped else None)
    logged = event_sources(session, ids if scoped else None)
    stale = [
        vid
        for vid in ids
        if (row := stored.get(vid)) is None
        or row.basis != BASIS
        or row.answers_source != answered.get(vid, NOTHING)
        or row.events_source != logged.get(vid, NOTHING)
    ]
    return stored, stale


def refresh_for_stops(session: Session, stop_ids: Iterable[int | None]) -> int:
    """Count the logged visits again for the villages of these stops (after events changed)."""
    wanted = {sid for sid in stop_ids if sid is not None}
    if not wanted:
        return 0
    query = select(Stop.village_id).where(col(Stop.id).in_(wanted))
    villages: list[int] = list(session.exec(query))
    return refresh_aggregates(session, villages, answers=False)


def current_aggregates(
    session: Session, village_ids: Collection[int] | None = None
) -> dict[int, VillageAggregate]:
    """The villages' aggregates (all by default): stored ones that match the database as it is
    now, the rest (stale, missing, older format) computed afresh for this read."""
    scoped = village_ids is not None
    ids = sorted(village_ids) if village_ids is not None else _all_village_ids(session)
    stored, stale = _checked(session, ids, scoped)
    found = {
        vid: VillageAggregate(VillageTally.from_json(row.tally), row.breakdown)
        for vid, row in stored.items()
        if vid not in stale
    }
    return found | compute_aggregates(session, stale) if stale else found
