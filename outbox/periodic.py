"""The periodic jobs `manage.py worker` runs, declared in settings.PERIODIC_JOBS.

The domain apps name their jobs by dotted path in the settings, so the outbox imports none
of them here: the arrow runs from settings to the job, never from the outbox to a domain app.
A job is a plain callable without arguments that does its own transactions and is safe to
run again (a run that fails is retried after its interval). With several workers, each job
runs once per interval (`_claim`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from outbox.delivery import worker_name
from outbox.models import PeriodicJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    run: Callable[[], object]


def configured_jobs() -> list[PeriodicJob]:
    """The jobs of settings.PERIODIC_JOBS, each `{"name", "run" (dotted path), "every"}`."""
    return [
        PeriodicJob(name=job["name"], interval=job["every"], run=import_string(job["run"]))
        for job in settings.PERIODIC_JOBS
    ]


def _claim(job, now: datetime) -> bool:
    """Mark the job as started if it is due and no other worker holds it; commit at once.

    The row lock makes the check and the mark one step across workers: the second worker
    either skips the locked row or, after the first committed, sees the fresh start time."""
    # Another worker may create the row at the same moment: either row is fine.
    with contextlib.suppress(IntegrityError):
        PeriodicJobRun.objects.get_or_create(name=job.name)
    with transaction.atomic():
        runs = PeriodicJobRun.objects.filter(name=job.name)
        if connection.features.has_select_for_update_skip_locked:
            runs = runs.select_for_update(skip_locked=True)
        run = runs.first()
        if run is None:
            return False
        if run.last_started_at is not None and run.last_started_at + job.interval > now:
            return False
        run.last_started_at = now
        run.worker = worker_name()
        run.save(update_fields=["last_started_at", "worker"])
    return True


def run_due_jobs(jobs, *, now: datetime | None = None) -> list[str]:
    """Run every job whose interval has passed; returns the names of the jobs run.

    A failing job is logged and recorded; it does not stop the others or the worker."""
    ran = []
    for job in jobs:
        started = now or timezone.now()
        if not _claim(job, started):
            continue
        error = ""
        try:
            job.run()
        except Exception as exception:
            logger.exception("Periodic job %s failed", job.name)
            error = f"{type(exception).__name__}: {exception}"[:2000]
        PeriodicJobRun.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        ran.append(job.name)
    return ran
