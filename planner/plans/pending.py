"""A plan's pending adjustments as typed values: what the coordinator asked for and has not
re-planned yet (pins, removed visits, added visits), and which visit or stop each one marks.

The plan row keeps them as JSON, `{"pins": [{"stop_id", "date", "vehicle_id", "visit_id"}],
"removed": [{"stop_id", "visit_id"}], "added": [stop_id]}` (older rows hold a bare stop id under
"removed"). A re-plan applies them (build.py) and the plan it was based on keeps them under
"applied", with the id of the plan that applied them: they are then no longer pending.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

AdjustmentKind = Literal["pins", "removed", "added"]
ADJUSTMENT_KINDS: tuple[AdjustmentKind, ...] = ("pins", "removed", "added")


@dataclass(frozen=True)
class Adjustment:
    """One pending change; `kind` and `index` (its place in its list) name it for an undo."""

    kind: AdjustmentKind
    index: int
    stop_id: int
    visit_id: int | None = None
    date: dt.date | None = None
    vehicle_id: int | None = None


def _adjustment(kind: AdjustmentKind, index: int, entry: Any) -> Adjustment:
    if not isinstance(entry, Mapping):  # a bare stop id
        return Adjustment(kind, index, int(entry))
    day = entry.get("date")
    return Adjustment(
        kind,
        index,
        int(entry["stop_id"]),
        entry.get("visit_id"),
        dt.date.fromisoformat(day) if day else None,
        entry.get("vehicle_id"),
    )


def read_adjustments(adjustments: Mapping[str, Any]) -> tuple[Adjustment, ...]:
    """The pending adjustments of a plan row's JSON, pins first, then removed, then added."""
    return tuple(
        _adjustment(kind, index, entry)
        for kind in ADJUSTMENT_KINDS
        for index, entry in enumerate(adjustments.get(kind, []))
    )


def stop_counts(adjustments: Mapping[str, Any], kind: AdjustmentKind) -> Counter[int]:
    """How many removed (or added) visits each stop has pending."""
    return Counter(a.stop_id for a in read_adjustments(adjustments) if a.kind == kind)


def without(adjustments: Mapping[str, Any], kind: str, index: int, stop_id: int) -> dict[str, Any]:
    """The adjustments with one entry undone; KeyError when it is not there (undone already)."""
    if kind not in ADJUSTMENT_KINDS:
        raise KeyError(kind)
    entries = list(adjustments.get(kind, []))
    if not 0 <= index < len(entries):
        raise KeyError(index)
    if _adjustment(kind, index, entries[index]).stop_id != stop_id:
        raise KeyError(stop_id)
    del entries[index]
    changed = {k: v for k, v in adjustments.items() if k != kind}
    if entries:
        changed[kind] = entries
    return changed


def applied(current: Mapping[str, Any], used: Mapping[str, Any], plan_id: int) -> dict[str, Any]:
    """`current` once a re-plan (plan `plan_id`) applied the adjustments `used`.

    Only the entries the re-plan read move under "applied": one made while it was solving stays
    pending."""
    changed: dict[str, Any] = {k: v for k, v in current.items() if k not in ADJUSTMENT_KINDS}
    moved: dict[str, list[Any]] = {}
    for kind in ADJUSTMENT_KINDS:
        left = list(current.get(kind, []))
        for entry in used.get(kind, []):
            if entry in left:
                left.remove(entry)
                moved.setdefault(kind, []).append(entry)
        if left:
            changed[kind] = left
    if moved:
        changed["applied"] = {**moved, "plan_id": plan_id}
    return changed


def applied_in(adjustments: Mapping[str, Any]) -> int | None:
    """The plan that applied this plan's earlier adjustments, if a re-plan did."""
    found = adjustments.get("applied", {}).get("plan_id")
    return int(found) if found is not None else None


@dataclass(frozen=True)
class VisitRef:
    """What marking needs of a planned visit: its id, stop, village, day and vehicle."""

    visit_id: int
    stop_id: int
    village_code: str
    date: dt.date
    vehicle_id: int


def marks_by_visit(
    pending: Iterable[Adjustment], visits: Sequence[VisitRef]
) -> dict[int, list[Adjustment]]:
    """The pending pins and removals each visit row shows.

    A pin or removal names its visit; an older one without a visit id marks the stop's visit on
    the pin's day and vehicle, or the stop's first visit not marked already."""
    marks: dict[int, list[Adjustment]] = {}
    known = {v.visit_id for v in visits}
    for item in pending:
        if item.kind == "added":
            continue
        target = item.visit_id if item.visit_id in known else None
        if target is None:
            target = next(
                (v.visit_id for v in visits if v.stop_id == item.stop_id and _fits(item, v, marks)),
                None,
            )
        if target is not None:
            marks.setdefault(target, []).append(item)
    return marks


def _fits(item: Adjustment, visit: VisitRef, marks: Mapping[int, list[Adjustment]]) -> bool:
    if item.kind == "pins":
        return (item.date, item.vehicle_id) in ((visit.date, visit.vehicle_id), (None, None))
    return not any(m.kind == "removed" for m in marks.get(visit.visit_id, []))
