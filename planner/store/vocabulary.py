"""The values a constrained column may hold, each list defined once.

Statuses are `Literal` types, so the type checker knows every spelling; the tuples that the
CHECK constraints (and forms, messages) use are derived from them.
"""

from typing import Literal, get_args

PlanStatus = Literal["draft", "published", "archived"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
CheckInStatus = Literal["tiba", "selesai", "dilewati"]

PLAN_STATUSES: tuple[PlanStatus, ...] = get_args(PlanStatus)
JOB_STATUSES: tuple[JobStatus, ...] = get_args(JobStatus)
CHECKIN_STATUSES: tuple[CheckInStatus, ...] = get_args(CheckInStatus)

ROLES = ("admin", "koordinator", "sopir", "staf")
STOP_KINDS = ("sekolah", "balai desa", "masjid", "posyandu", "TBM", "lainnya")
VEHICLE_KINDS = ("van", "motor")
VILLAGE_KINDS = ("desa", "kelurahan")
EVENT_TYPES = ("layanan baca", "dongeng", "bedah buku", "literasi digital", "lomba", "lainnya")
