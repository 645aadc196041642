"""`manage.py worker` as real processes: killed mid-batch, stopped politely, run in pairs.

These tests commit data (transaction=True) so that a separate worker process sees it."""

import signal
import socket
from collections import Counter

import pytest

from outbox.models import DeliveryAttempt, OutgoingEmail
from tests.conftest import RecordingSMTPHandler, requires_postgresql, start_smtp_server
from tests.outbox.conftest import queue_test_email, start_worker, wait_until


@pytest.fixture
def slow_smtp_server():
    """Each message takes a moment to be accepted, so a test can catch a worker mid-batch."""
    controller = start_smtp_server(RecordingSMTPHandler(delay=0.15))
    yield controller
    controller.stop()


def statuses() -> Counter:
    return Counter(OutgoingEmail.objects.values_list("status", flat=True))


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_nothing_after_a_restart(
    event, slow_smtp_server, stop_processes
):
    emails = [queue_test_email(to=f"guest{number}@example.org") for number in range(20)]
    handler = slow_smtp_server.handler

    worker = start_worker(slow_smtp_server.port, "--batch-size", "10", "--interval", "0.2")
    stop_processes.append(worker)
    assert wait_until(lambda: len(handler.messages) >= 3), worker.stdout
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)

    # Killed in the middle of its batch: messages it had claimed are still marked "sending".
    assert statuses()["sending"] > 0
    assert statuses()["sent"] < 20

    restarted = start_worker(slow_smtp_server.port, "--interval", "0.2")
    stop_processes.append(restarted)
    assert wait_until(lambda: statuses() == Counter({"sent": 20}), timeout=60)
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=20) == 0

    received = Counter(handler.message_ids)
    assert set(received) == {email.message_id for email in emails}
    # Only the message on the wire at the moment of the kill can arrive twice: the server
    # may have accepted it before the worker could record that. SMTP allows no better.
    assert sum(received.values()) - len(received) <= 1
    interrupted = DeliveryAttempt.objects.filter(outcome="interrupted")
    assert interrupted.exists()
    # The record names the worker that died (host:pid), for the organisers' admin.
    assert {attempt.worker for attempt in interrupted} == {f"{socket.gethostname()}:{worker.pid}"}


@pytest.mark.django_db(transaction=True)
def test_sigterm_finishes_the_message_in_hand_and_exits(event, slow_smtp_server, stop_processes):
    for number in range(20):
        queue_test_email(to=f"guest{number}@example.org")
    handler = slow_smtp_server.handler

    worker = start_worker(slow_smtp_server.port, "--batch-size", "20")
    stop_processes.append(worker)
    assert wait_until(lambda: len(handler.messages) >= 2)
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=20)

    assert worker.returncode == 0, output
    assert "Worker stopped" in output
    # Every message the server accepted is marked sent, the rest wait for the next worker;
    # none is left claimed by a worker that is gone.
    assert statuses()["sending"] == 0
    assert statuses()["sent"] == len(handler.messages)
    assert statuses()["queued"] == 20 - len(handler.messages)
    assert len(set(handler.message_ids)) == len(handler.messages)


@pytest.mark.django_db(transaction=True)
def test_worker_once_delivers_everything_due_and_exits(event, stop_processes):
    server = start_smtp_server(RecordingSMTPHandler())
    try:
        for number in range(5):
            queue_test_email(to=f"guest{number}@example.org")
        worker = start_worker(server.port, "--once", "--batch-size", "2")
        stop_processes.append(worker)
        output, _ = worker.communicate(timeout=60)
    finally:
        server.stop()

    assert worker.returncode == 0, output
    assert statuses() == Counter({"sent": 5})
    assert len(server.handler.messages) == 5


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_200_messages_each_exactly_once(event, stop_processes):
    server = start_smtp_server(RecordingSMTPHandler(delay=0.01))
    try:
        emails = [queue_test_email(to=f"guest{number}@example.org") for number in range(200)]
        workers = [
            start_worker(server.port, "--once", "--batch-size", "10", "--no-jobs") for _ in range(2)
        ]
        stop_processes.extend(workers)
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    finally:
        server.stop()

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    received = Counter(server.handler.message_ids)
    assert set(received) == {email.message_id for email in emails}
    assert max(received.values()) == 1
    assert statuses() == Counter({"sent": 200})
    assert DeliveryAttempt.objects.count() == 200
    # Both took part: the queue was shared, not handed to one of them.
    assert DeliveryAttempt.objects.values("worker").distinct().count() == 2
