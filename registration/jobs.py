"""The periodic jobs `manage.py worker` runs: the one place to add one.

A job is a plain callable without arguments that does its own transactions and is safe
to run again (a run that fails is retried after its interval). With several workers,
each job runs once per interval (see registration.mail.periodic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from registration.mail.retention import delete_old_emails
from registration.services import (
    delete_expired_personal_data,
    expire_holds,
    purge_rate_limit_counters,
)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    run: Callable[[], object]


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(name="delete-old-emails", interval=timedelta(hours=1), run=delete_old_emails),
    # Release seats whose hold ran out and move the waiting list up (also after the
    # capacity was raised in the event admin).
    PeriodicJob(name="expire-holds", interval=timedelta(minutes=1), run=expire_holds),
    PeriodicJob(
        name="delete-registrations-after-retention",
        interval=timedelta(hours=6),
        run=delete_expired_personal_data,
    ),
    PeriodicJob(
        name="purge-rate-limit-counters", interval=timedelta(hours=1), run=purge_rate_limit_counters
    ),
]
