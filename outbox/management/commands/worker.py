"""`python manage.py worker`: delivers the outbox and runs the periodic jobs.

Runs until SIGTERM or SIGINT, then finishes the message in hand, gives the rest of its
batch back to the queue and exits. Any number of workers may run against PostgreSQL.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from outbox.delivery import deliver_outbox
from outbox.periodic import configured_jobs, run_due_jobs

logger = logging.getLogger("outbox.worker")


def drop_broken_connections() -> None:
    """A long-running process drops connections the database closed meanwhile (not inside
    a transaction: call_command in a test runs inside one)."""
    if not connection.in_atomic_block:
        close_old_connections()


class Command(BaseCommand):
    help = "Delivers queued emails and runs the periodic jobs until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Deliver what is due and run the due jobs once, then exit (for cron).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="Seconds to wait when there is nothing to do (default 2).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=50,
            help="Messages claimed and sent over one connection at a time (default 50).",
        )
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="Only deliver email; leave the periodic jobs to other workers.",
        )

    def handle(self, *args, once, interval, batch_size, no_jobs, **options):
        stopping = threading.Event()

        def stop(signum, _frame):
            logger.info("Received %s: finishing the message in hand", signal.Signals(signum).name)
            stopping.set()

        previous_handlers = {
            signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self.work(
                stopping, once=once, interval=interval, batch_size=batch_size, no_jobs=no_jobs
            )
        finally:
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)

    def work(self, stopping, *, once, interval, batch_size, no_jobs):
        jobs = [] if no_jobs else configured_jobs()
        logger.info(
            "Worker started: batches of %s, jobs: %s",
            batch_size,
            ", ".join(job.name for job in jobs) or "none",
        )
        while not stopping.is_set():
            drop_broken_connections()
            busy = False
            try:
                if jobs:
                    run_due_jobs(jobs)
                report = deliver_outbox(batch_size=batch_size, should_stop=stopping.is_set)
                busy = report.processed > 0
                if report.processed or report.released:
                    logger.info(
                        "Delivered %s, retrying later %s, failed %s, given back %s",
                        report.sent,
                        report.retrying,
                        report.failed,
                        report.released,
                    )
            except Exception:
                # The database may be away for a moment; the next round tries again.
                logger.exception("Worker round failed")
                if once:
                    raise
            if once:
                break
            if not busy:
                stopping.wait(interval)
        drop_broken_connections()
        logger.info("Worker stopped")
