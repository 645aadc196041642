"""How many messages per second the outbox delivers to a local SMTP server.

    .venv/bin/python bench/email_throughput.py --count 2000
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench \\
        .venv/bin/python bench/email_throughput.py --count 2000 --workers 2

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. With DATABASE_URL
it migrates that database and empties the outbox first: never point it at real data.
It queues --count messages with queue_email (the real templates, the seeded event), then
delivers them to an aiosmtpd server on loopback: in this process (--workers 0, default)
or with that many `manage.py worker --once` processes side by side. It prints the rate
of each phase; docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


class CountingHandler:
    """Accepts every message and counts it (no parsing: the server must not be the limit)."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        with self.lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="messages to queue and send")
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="0: deliver in this process; N: run N `manage.py worker --once` processes",
    )
    args = parser.parse_args()

    temporary = tempfile.TemporaryDirectory(prefix="email-bench-")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["VAR_DIR"] = temporary.name
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{temporary.name}/bench.sqlite3")
    os.environ["LOG_LEVEL"] = "WARNING"
    port = free_port()
    os.environ.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="",
        EMAIL_USE_SSL="",
        EMAIL_DELIVERY_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_SETTINGS_MODULE="eventsite.settings",
    )

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection, transaction

    from outbox import deliver_outbox, queue_email
    from outbox.models import OutgoingEmail
    from programme.seed import load_event

    call_command("migrate", verbosity=0)
    load_event()
    OutgoingEmail.objects.all().delete()

    handler = CountingHandler()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        started = time.perf_counter()
        with transaction.atomic():
            for number in range(args.count):
                queue_email(
                    to=f"Gast {number} <gast{number}@example.org>",
                    template="mail/test",
                    context={"recipient": f"gast{number}@example.org"},
                    language="de" if number % 2 else "en",
                )
        queue_seconds = time.perf_counter() - started

        started = time.perf_counter()
        if args.workers:
            connection.close()
            workers = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "worker",
                        "--once",
                        "--no-jobs",
                        "--batch-size",
                        str(args.batch_size),
                    ],
                    cwd=BASE_DIR,
                    env=os.environ.copy(),
                )
                for _ in range(args.workers)
            ]
            for worker in workers:
                worker.wait()
        else:
            deliver_outbox(batch_size=args.batch_size)
        send_seconds = time.perf_counter() - started
    finally:
        server.stop()

    sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count()
    database = connection.vendor
    where = f"{args.workers} worker processes" if args.workers else "in-process"
    print(f"database: {database}, delivery: {where}, batch size {args.batch_size}")
    print(
        f"queued   {args.count} messages in {queue_seconds:.2f} s: "
        f"{args.count / queue_seconds:.0f} messages/s"
    )
    print(
        f"sent     {sent} messages in {send_seconds:.2f} s: "
        f"{sent / send_seconds:.0f} messages/s "
        f"(the SMTP server accepted {handler.count})"
    )
    if sent != args.count or handler.count != args.count:
        sys.exit("not every message was delivered exactly once")


if __name__ == "__main__":
    main()
