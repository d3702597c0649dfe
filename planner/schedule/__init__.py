from planner.schedule.ics import stop_ics
from planner.schedule.model import (
    Schedule,
    ScheduledStop,
    ScheduledVisit,
    VillageInfo,
    WeeklySlot,
    by_time,
    load_schedule,
    nearest_stops,
    social_text,
    village_overview,
    weekly_slots,
)
from planner.schedule.search import find_places

__all__ = [
    "Schedule",
    "ScheduledStop",
    "ScheduledVisit",
    "VillageInfo",
    "WeeklySlot",
    "by_time",
    "find_places",
    "load_schedule",
    "nearest_stops",
    "social_text",
    "stop_ics",
    "village_overview",
    "weekly_slots",
]
