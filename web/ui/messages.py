"""The planner's reasons, said again in the page's language.

The planner writes why a visit was left out (unserved) or a stop cannot be planned (diagnostics)
as a sentence in Bahasa Indonesia, with a code and the values behind it (`params`). A stored
row carrying `params` is rebuilt here from the catalogue, in Indonesian or English; a row
stored before `params` existed, or with a code this module does not know, shows as stored.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import format_date, gettext

MAX_NAMED_DAYS = 4


def _(msgid: str, **params: Any) -> str:
    """gettext, typed (the catalogue keyword stays `_`)."""
    return str(gettext(msgid, **params))


def _day(iso: str) -> str:
    text: str = format_date(dt.date.fromisoformat(iso), "EEEE d/M")
    return text


def _names(values: list[str]) -> str:
    return ", ".join(values) or _("none")


def _time_limit(p: Mapping[str, Any]) -> str:
    return _(
        "not placed within the search's time limit, though it still fits (e.g. %(day)s, "
        "%(vehicle)s); give the search more time and plan again",
        day=_day(p["date"]),
        vehicle=p["vehicle"],
    )


def _crowded_out(p: Mapping[str, Any]) -> str:
    full = [f"{_day(d['date'])} ({'/'.join(d['vehicles'])})" for d in p["full"]]
    if not full:
        where = _("every day its visit pattern allows")
    else:
        where = ", ".join(full[:MAX_NAMED_DAYS])
        if len(full) > MAX_NAMED_DAYS:
            where = _(
                "%(days)s and %(more)s other days", days=where, more=len(full) - MAX_NAMED_DAYS
            )
    return _(
        "does not fit: the vehicles' shifts on %(days)s are already full of visits with a "
        "higher priority",
        days=where,
    )


def _no_vehicle(p: Mapping[str, Any]) -> str:
    fleet = ", ".join(p["fleet"]) or _("empty")
    return _(
        "no vehicle may go to this stop (allowed: %(allowed)s; fleet: %(fleet)s)",
        allowed=_names(p["allowed"]),
        fleet=fleet,
    )


def _window_too_short(p: Mapping[str, Any]) -> str:
    return _(
        "its longest time window, %(longest)s min, is shorter than its service time, "
        "%(service)s min",
        longest=p["longest_min"],
        service=p["service_min"],
    )


def _unreachable(p: Mapping[str, Any]) -> str:
    return _(
        "cannot be reached within any shift: the round trip, breaks and %(service)s min of "
        "service do not fit in its time windows",
        service=p["service_min"],
    )


def _too_many_visits(p: Mapping[str, Any]) -> str:
    return _(
        "needs %(visits)s visits but only %(days)s days are possible",
        visits=p["visits"],
        days=p["days"],
    )


def _no_pattern(p: Mapping[str, Any]) -> str:
    if p.get("gap_days") is None:
        return _("no pattern of days for %(visits)s visits follows the patterns set", **p)
    return _(
        "no pattern of days for %(visits)s visits at least %(gap)s days apart",
        visits=p["visits"],
        gap=p["gap_days"],
    )


def _pin_impossible(p: Mapping[str, Any]) -> str:
    if "vehicle_id" in p:
        return _("pinned to vehicle #%(id)s, which does not exist", id=p["vehicle_id"])
    return _("pinned to %(date)s, a day this stop cannot have", date=p["date"])


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "time_limit": _time_limit,
    "crowded_out": _crowded_out,
    "no_solution": lambda _p: _("the solver found no plan within the time limit"),
    "no_vehicle": _no_vehicle,
    "no_window": lambda _p: _("has no time window on any day"),
    "window_too_short": _window_too_short,
    "unreachable": _unreachable,
    "too_many_visits": _too_many_visits,
    "no_pattern": _no_pattern,
    "pin_impossible": _pin_impossible,
}


def planner_sentence(item: Mapping[str, Any], stored_key: str) -> str:
    """The reason of an unserved row or diagnostic in the page's language (else as stored)."""
    sentence = SENTENCES.get(item.get("code", ""))
    params = item.get("params")
    if sentence is None or params is None:
        return str(item.get(stored_key, ""))
    try:
        return sentence(params)
    except (KeyError, TypeError, ValueError):  # values of an older shape: the stored sentence
        return str(item.get(stored_key, ""))


def unserved_reason(item: Mapping[str, Any]) -> str:
    """Why an unserved visit was left out, in the page's language."""
    return planner_sentence(item, "reason")


def diagnostic_message(item: Mapping[str, Any]) -> str:
    """Why a stop cannot be planned, in the page's language."""
    return planner_sentence(item, "message")
