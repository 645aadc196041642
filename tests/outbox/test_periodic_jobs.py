"""Periodic jobs run by the worker, and the job that deletes old messages."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from outbox.models import OutgoingEmail, PeriodicJobRun
from outbox.periodic import PeriodicJob, configured_jobs, run_due_jobs
from outbox.retention import delete_old_emails
from tests.conftest import requires_postgresql
from tests.outbox.conftest import queue_test_email


def counting_job(name="count", interval=timedelta(minutes=1), action=None):
    calls = []

    def run():
        calls.append(timezone.now())
        if action:
            action()

    return PeriodicJob(name=name, interval=interval, run=run), calls


@pytest.mark.django_db
def test_job_runs_once_per_interval():
    job, calls = counting_job()
    now = timezone.now()

    assert run_due_jobs([job], now=now) == ["count"]
    assert run_due_jobs([job], now=now + timedelta(seconds=59)) == []
    assert run_due_jobs([job], now=now + timedelta(seconds=61)) == ["count"]
    assert len(calls) == 2
    run = PeriodicJobRun.objects.get(name="count")
    assert run.last_finished_at is not None
    assert run.last_error == ""


@pytest.mark.django_db
def test_failing_job_is_recorded_and_does_not_stop_the_others():
    def explode():
        raise RuntimeError("database of the other system is away")

    failing = PeriodicJob(name="failing", interval=timedelta(minutes=1), run=explode)
    healthy, calls = counting_job(name="healthy")

    assert run_due_jobs([failing, healthy]) == ["failing", "healthy"]
    assert len(calls) == 1
    assert "database of the other system is away" in (
        PeriodicJobRun.objects.get(name="failing").last_error
    )


def test_every_registered_job_has_a_unique_name_and_a_callable():
    jobs = configured_jobs()
    names = [job.name for job in jobs]
    assert len(names) == len(set(names))
    assert "delete-old-emails" in names
    assert all(callable(job.run) and job.interval > timedelta(0) for job in jobs)


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_run_a_job_once():
    job, calls = counting_job(action=lambda: time.sleep(0.3))
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            run_due_jobs([job])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(calls) == 1


@pytest.mark.django_db
def test_old_finished_messages_are_deleted_after_the_retention_period(event, settings):
    settings.EMAIL_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    old_sent = queue_test_email(to="alt@example.org")
    old_failed = queue_test_email(to="fehler@example.org")
    recent_sent = queue_test_email(to="neu@example.org")
    still_queued = queue_test_email(to="wartet@example.org")
    OutgoingEmail.objects.filter(pk=old_sent.pk).update(status="sent", sent_at=old, created_at=old)
    OutgoingEmail.objects.filter(pk=old_failed.pk).update(status="failed", created_at=old)
    OutgoingEmail.objects.filter(pk=recent_sent.pk).update(status="sent", sent_at=timezone.now())
    OutgoingEmail.objects.filter(pk=still_queued.pk).update(created_at=old)

    assert delete_old_emails() == 2
    assert set(OutgoingEmail.objects.values_list("recipient", flat=True)) == {
        "neu@example.org",
        "wartet@example.org",
    }


@pytest.mark.django_db
def test_worker_once_runs_the_jobs_and_delivers(event):
    queue_test_email()

    call_command("worker", "--once")

    assert len(mail.outbox) == 1
    assert PeriodicJobRun.objects.filter(name="delete-old-emails").exists()


@pytest.mark.django_db
def test_worker_without_jobs_only_delivers(event):
    queue_test_email()

    call_command("worker", "--once", "--no-jobs")

    assert len(mail.outbox) == 1
    assert not PeriodicJobRun.objects.exists()
