"""Background jobs that say they are alive: a heartbeat thread, claiming a queued job, and
finding the running jobs whose process stopped beating (any job table with `status`,
`started_at`, `heartbeat_at` and `created_at`)."""

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol, Self

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from planner.store.db import session_scope
from planner.store.models import utcnow

logger = logging.getLogger(__name__)


class BeatingJob(Protocol):
    """What a job row needs for heartbeats and stale checks."""

    id: int | None
    status: Any
    created_at: dt.datetime
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive UTC datetimes back; compare them as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def claim_job(engine: Engine, model: type[Any], job_id: int) -> bool:
    """Mark a queued job running (one conditional update, so two workers never both run it)."""
    now = utcnow()
    with session_scope(engine) as session:
        claimed = session.execute(
            update(model)
            .where(col(model.id) == job_id, col(model.status) == "queued")
            .values(status="running", started_at=now, heartbeat_at=now)
        )
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def last_beat(job: BeatingJob) -> dt.datetime | None:
    """When the job last said it is alive (a job without a heartbeat counts from its start)."""
    beat = job.heartbeat_at or job.started_at or job.created_at
    return aware(beat) if beat is not None else None


def stale_jobs(
    session: Session,
    model: type[Any],
    stale_after_s: float,
    beat_of: Callable[[Any], dt.datetime | None] = last_beat,
) -> Sequence[Any]:
    """The running jobs silent for longer than `stale_after_s` (their process stopped)."""
    bound = utcnow() - dt.timedelta(seconds=stale_after_s)
    running = session.exec(select(model).where(col(model.status) == "running")).all()
    return [job for job in running if (beat := beat_of(job)) is not None and beat < bound]


class JobHeartbeat:
    """A thread that writes a running job's heartbeat every `every_s` seconds.

    When the row is no longer running (marked failed as stale, or cancelled) it calls
    `on_lost` once and stops."""

    def __init__(
        self,
        engine: Engine,
        model: type[Any],
        job_id: int,
        every_s: float,
        on_lost: Callable[[], None],
    ) -> None:
        self.engine, self.model, self.job_id = engine, model, job_id
        self.every_s, self.on_lost = every_s, on_lost
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stopped.wait(self.every_s):
            try:
                if not self.beat():
                    self.on_lost()
                    return
            except Exception:  # a busy database now and then: beat again next time
                logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)

    def values(self) -> dict[str, Any]:
        """What each beat writes besides the time (a subclass adds its progress)."""
        return {}

    def beat(self) -> bool:
        """Write the heartbeat; False when the job is no longer running."""
        model = self.model
        with session_scope(self.engine) as session:
            result = session.execute(
                update(model)
                .where(col(model.id) == self.job_id, col(model.status) == "running")
                .values(heartbeat_at=utcnow(), **self.values())
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]
