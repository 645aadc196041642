"""Faults under load: cause a fault during a bounded registration rush on PostgreSQL, then
check the database.

    python -m bench.faults --fault kill-worker [--registrants 150] [--http-port 8240]
    python -m bench.faults --fault worker-and-smtp [--outage-seconds 600]
    python -m bench.faults --fault restart-postgres [--outage-seconds 5]
    python -m bench.faults --fault refuse-writes
    python -m bench.faults --fault disk-full          # SQLite on a tiny tmpfs (needs root)

kill-worker: gunicorn workers are killed with SIGKILL while registrations arrive.
worker-and-smtp: the email worker is killed with SIGKILL and the SMTP server stopped at
the same moment, for --outage-seconds; then both come back.
restart-postgres: the database is stopped under load and started again after
--outage-seconds; the site and the email worker must recover without a restart.
refuse-writes: the database turns read-only under load (default_transaction_read_only,
sessions terminated), then writable again.
disk-full: SQLite's folder is a small tmpfs that is filled up under load, then freed.

Every registrant whose request failed retries with the same form (as a person pressing
"send" again). Checked afterwards in the database: one registration per address, every
registration with its confirmation email, held seats within the capacity, every
registrant accepted in the end; and where the email worker takes part, every email
delivered exactly once (counted by Message-ID at a loopback SMTP server).

Uses bench/harness.py (own PostgreSQL cluster, gunicorn via eventsite/gunicorn.conf.py).
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, rush  # noqa: E402

OK = {302}


def _workers_of(master_pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


# --- the loopback SMTP server and the email worker --------------------------------------


class SmtpSink:
    """A loopback SMTP server (aiosmtpd) that counts what arrives by Message-ID; it can be
    stopped and started again on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or harness.free_port()
        self.deliveries: Counter = Counter()
        self.controller = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self._lock:
            self.deliveries[str(headers.get("Message-ID", "")).strip()] += 1
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Close the listening socket and every open session, as a server going down."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class EmailWorker:
    """`manage.py worker` as its own process, delivering to the SmtpSink."""

    def __init__(self, env: harness.Environment, smtp: SmtpSink, *, lease_seconds: int = 300):
        self.env = env
        self.smtp = smtp
        self.lease_seconds = lease_seconds
        self.process: subprocess.Popen | None = None
        self.pids: list[int] = []

    def start(self) -> None:
        environment = {
            **self.env.server_env(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
            "EMAIL_TIMEOUT": "5",
            "EMAIL_LEASE_SECONDS": str(self.lease_seconds),
        }
        environment.pop("EMAIL_DELIVERY_BACKEND", None)
        log = open(self.env.tmp / "worker.log", "ab")  # noqa: SIM115 - kept by Popen
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.5"],
            cwd=harness.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.pids.append(self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def _outbox_statuses(env: harness.Environment) -> dict[str, int]:
    env.django()
    from django.db import close_old_connections

    from outbox.models import OutgoingEmail

    close_old_connections()
    return dict(Counter(OutgoingEmail.objects.values_list("status", flat=True)))


def wait_for_outbox(env: harness.Environment, timeout: float) -> float:
    """Seconds until no message is queued or being sent any more (or the timeout)."""
    env.django()
    from django.db import close_old_connections

    from outbox.models import OutgoingEmail

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        close_old_connections()
        pending = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
        ).count()
        if not pending:
            break
        time.sleep(0.5)
    return time.monotonic() - started


# --- the checks every fault ends with --------------------------------------------------


def check_database(
    env: harness.Environment, *, registrants: int, accepted: set[int], smtp: SmtpSink | None = None
) -> list[str]:
    """The state after a fault: what the site accepted is whole and unique."""
    env.django()
    from django.db import close_old_connections
    from django.db.models import Count

    from outbox.models import OutgoingEmail
    from programme.models import Event
    from registration import services
    from registration.models import Registration

    close_old_connections()
    event = Event.objects.current()
    confirmations = OutgoingEmail.objects.filter(template="registration/confirm_address")
    emails_by_address = Counter(confirmations.values_list("recipient", flat=True))
    duplicates = (
        Registration.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    without_email = [r.email for r in Registration.objects.all() if emails_by_address[r.email] == 0]
    seats = services.seat_status(event)
    registered = set(Registration.objects.values_list("email", flat=True))
    lost = [n for n in accepted if rush.registrant_email(n) not in registered]
    print(f"accepted in the end: {len(accepted)} of {registrants}; accepted but not in the "
          f"database: {len(lost)}")  # fmt: skip
    print(f"registrations: {Registration.objects.count()}, held {seats.held}, "
          f"capacity {seats.capacity}")  # fmt: skip
    print(f"duplicate addresses: {duplicates}; registrations without their email: "
          f"{len(without_email)}")  # fmt: skip
    problems = []
    if duplicates:
        problems.append(f"{duplicates} addresses registered twice")
    if without_email:
        problems.append(f"{len(without_email)} registrations without their email")
    if seats.taken > seats.capacity:
        problems.append("more seats taken than the capacity")
    if lost:
        problems.append(f"{len(lost)} accepted registrations are not in the database")
    if len(accepted) != registrants:
        problems.append(f"{registrants - len(accepted)} registrants not accepted in the end")
    if smtp is not None:
        statuses = Counter(OutgoingEmail.objects.values_list("status", flat=True))
        queued_ids = set(OutgoingEmail.objects.values_list("message_id", flat=True))
        arrived = {mid: n for mid, n in smtp.deliveries.items() if mid in queued_ids}
        twice = sum(1 for n in arrived.values() if n > 1)
        missing = len(queued_ids - set(arrived))
        strangers = sum(1 for mid in smtp.deliveries if mid not in queued_ids)
        print(f"outbox: {dict(statuses)}; at the SMTP server: {sum(smtp.deliveries.values())} "
              f"deliveries of {len(arrived)} messages, {twice} more than once, "
              f"{missing} missing")  # fmt: skip
        unfinished = sum(n for status, n in statuses.items() if status != "sent")
        if unfinished:
            problems.append(f"{unfinished} emails not recorded as sent")
        if twice:
            problems.append(f"{twice} emails arrived more than once")
        if missing:
            problems.append(f"{missing} emails never arrived")
        if strangers:
            problems.append(f"{strangers} messages arrived that the outbox does not know")
    return problems


def _register_all(pool, forms) -> list:
    return [pool.submit(rush.register, form) for form in forms]


def _retry_failed(forms, results, *, rounds: int = 1, pause: float = 0.0) -> list[dict]:
    """Who got no 302 sends the form again (a fresh page load first, like a browser)."""
    retried = []
    pending = [row["number"] for row in results if row["status"] not in OK]
    for _ in range(rounds):
        if not pending:
            break
        time.sleep(pause)
        answers = [rush.register(rush.load_form((forms[n]["base_url"], n, "de"))) for n in pending]
        retried.extend(answers)
        pending = [row["number"] for row in answers if row["status"] not in OK]
    return retried


# --- the faults --------------------------------------------------------------------------


def kill_worker(env: harness.Environment, args) -> list[str]:
    base = env.base_urls[0]
    with ThreadPoolExecutor(args.concurrency) as pool:
        forms = list(pool.map(rush.load_form, [(base, n, "de") for n in range(args.registrants)]))
        futures = _register_all(pool, forms)
        killed = []
        while len(killed) < 3 and not all(future.done() for future in futures):
            time.sleep(0.25)
            victims = [pid for pid in _workers_of(env.servers[0].pid) if pid not in killed]
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed.append(victims[0])
        results = [future.result() for future in futures]
    first = Counter(str(row["status"]) for row in results)
    failed = [row["number"] for row in results if row["status"] not in OK]
    # The site comes back by itself: gunicorn's master starts a new worker. The person
    # sends the same form again (the page they still have open).
    retried = [rush.register(forms[number]) for number in failed]
    second = Counter(str(row["status"]) for row in retried)
    accepted = {row["number"] for row in results + retried if row["status"] in OK}
    print(f"workers killed with SIGKILL during the rush: {len(killed)}")
    print(f"first answers: {dict(first)}")
    print(f"retries: {len(failed)}, answers: {dict(second)}")
    return check_database(env, registrants=args.registrants, accepted=accepted)


def worker_and_smtp(env: harness.Environment, args) -> list[str]:
    """Half-way through the rush the SMTP server goes down and the worker is killed; the
    rest of the rush queues its emails meanwhile. After the outage both come back."""
    smtp = SmtpSink()
    smtp.start()
    # A killed worker's claimed messages wait for their lease; a real outage of ten
    # minutes outlasts the default lease (300 s), a short test outage gets a short lease.
    worker = EmailWorker(env, smtp, lease_seconds=max(10, min(300, int(args.outage_seconds))))
    worker.start()
    base = env.base_urls[0]
    try:
        with ThreadPoolExecutor(args.concurrency) as pool:
            forms = list(
                pool.map(rush.load_form, [(base, n, "de") for n in range(args.registrants)])
            )
            futures = _register_all(pool, forms)
            while sum(f.done() for f in futures) < args.registrants // 3:
                time.sleep(0.02)
            # SMTP first, so no message can be accepted by the server in the instant
            # before the worker dies (that window is SMTP's, see docs/email.md).
            smtp.stop()
            worker.kill()
            fault_at = time.monotonic()
            at_fault = _outbox_statuses(env)
            results = [future.result() for future in futures]
        rush_seconds = time.monotonic() - fault_at
        retried = _retry_failed(forms, results)
        accepted = {row["number"] for row in results + retried if row["status"] in OK}
        print(f"answers: {dict(Counter(str(r['status']) for r in results))}, "
              f"retried {len(retried)}")  # fmt: skip
        print(f"outbox right after the fault: {at_fault}; after the rest of the rush "
              f"({rush_seconds:.1f} s): {_outbox_statuses(env)}")  # fmt: skip
        remaining = args.outage_seconds - (time.monotonic() - fault_at)
        if remaining > 0:
            print(f"worker dead and SMTP down for {args.outage_seconds:.0f} s", flush=True)
            time.sleep(remaining)
        smtp.start()
        worker.start()
        back_at = time.monotonic()
        # Messages the dying worker had in hand wait for their lease, those it saw fail
        # wait for their first retry pause (1 minute).
        seconds = wait_for_outbox(env, timeout=worker.lease_seconds + 120)
        print(f"all emails delivered {seconds:.1f} s after SMTP and the worker were back")
        problems = check_database(env, registrants=args.registrants, accepted=accepted, smtp=smtp)
        if time.monotonic() - back_at > worker.lease_seconds + 120:
            problems.append("emails still waiting after the lease and a retry pause")
        return problems
    finally:
        worker.stop()
        smtp.stop()


TRANSLATED_503 = "Vorübergehend nicht erreichbar".encode()


class Prober:
    """Loads /healthz, the sign-up page and the programme one after another (0.1 s apart),
    as visitors during the fault: records when each request started, its status and
    whether a 503 was the translated page."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.answers: list[tuple[float, str, object, bool]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        paths = ["/healthz", "/anmeldung/", "/programm/"]
        number = 0
        while not self._stop.is_set():
            path = paths[number % len(paths)]
            number += 1
            started = time.monotonic()
            try:
                response = harness.request(self.base_url, "GET", path)
                status, body = response.status, response.body
            except OSError as error:
                status, body = f"connection error ({type(error).__name__})", b""
            clean = status != 503 or path == "/healthz" or TRANSLATED_503 in body
            if b"Traceback" in body:
                clean = False
            self.answers.append((started, path, status, clean))
            self._stop.wait(0.1)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def first_success_after(self, moment: float, path: str) -> float | None:
        """Seconds from `moment` to the start of the first request that got a 200 (how long
        the answer then took is the load's latency, not the recovery's)."""
        for at, answered, status, _clean in self.answers:
            if at >= moment and answered == path and status == 200:
                return at - moment
        return None


def _delivery_delays(env: harness.Environment, *, since: float) -> list[float]:
    """Seconds from queueing to delivery of every email queued after `since` (epoch)."""
    env.django()
    from datetime import UTC, datetime

    from outbox.models import OutgoingEmail

    queued = OutgoingEmail.objects.filter(
        created_at__gte=datetime.fromtimestamp(since, UTC), sent_at__isnull=False
    )
    return [(e.sent_at - e.created_at).total_seconds() for e in queued]


def _paced_registrations(pool, forms, seconds: float) -> list:
    """Submit the forms evenly spread over `seconds`, as people arriving one by one."""
    started = time.monotonic()
    futures = []
    for index, form in enumerate(forms):
        delay = started + index * seconds / len(forms) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(rush.register, form))
    return futures


NOT_SAVED = b"wurde nicht gespeichert"


def outage_under_load(env: harness.Environment, args, *, cause, end, what: str) -> list[str]:
    """People register (spread over the outage and a few seconds around it) and pages are
    loaded while `cause()` takes the database away; `end()` brings it back after
    --outage-seconds. Neither the site nor the email worker is restarted."""
    smtp = SmtpSink()
    smtp.start()
    worker = EmailWorker(env, smtp)
    worker.start()
    base = env.base_urls[0]
    problems = []
    try:
        with (
            ThreadPoolExecutor(args.concurrency) as pool,
            ThreadPoolExecutor(1) as submitting,
            Prober(base) as prober,
        ):
            forms = list(
                pool.map(rush.load_form, [(base, n, "de") for n in range(args.registrants)])
            )
            window = args.outage_seconds + 8
            submitter = submitting.submit(_paced_registrations, pool, forms, window)
            time.sleep(3)
            env._close_django_connections()
            cause()
            stopped_at = time.monotonic()  # the fault is in place
            time.sleep(max(0.0, args.outage_seconds - (time.monotonic() - stopped_at)))
            end()
            back_at = time.monotonic()
            print(f"{what} for {back_at - stopped_at:.1f} s", flush=True)
            results = [future.result() for future in submitter.result()]
            time.sleep(2)
        during = [a for a in prober.answers if stopped_at <= a[0] <= back_at]
        print(f"page loads during the fault: {dict(Counter(str(a[2]) for a in during))}")
        print(f"page loads in all: {dict(Counter(str(a[2]) for a in prober.answers))}")
        for path in ("/healthz", "/anmeldung/", "/programm/"):
            recovered = prober.first_success_after(back_at, path)
            shown = "never" if recovered is None else f"{recovered:.1f} s"
            print(f"first 200 of {path} after the database was back: {shown}")
            if recovered is None:
                problems.append(f"{path} did not recover")
        # Recovered means: a request started a second after the return is answered. How
        # soon the prober gets to send one depends on the machine's load (printed above).
        after = [a for a in prober.answers if a[0] > back_at + 1]
        late = [a for a in after if a[2] != 200]
        print(f"page loads started later than 1 s after the return: "
              f"{dict(Counter(str(a[2]) for a in after))}")  # fmt: skip
        if late:
            problems.append(f"{len(late)} page loads failed later than 1 s after the return")
        first = Counter(str(row["status"]) for row in results)
        refused = [row for row in results if row["status"] == 503]
        unclear = [row for row in refused if NOT_SAVED not in row["error_body"]]
        print(f"registrations: first answers {dict(first)}; refused with the translated "
              f"'not saved' page: {len(refused) - len(unclear)} of {len(refused)}")  # fmt: skip
        unclean = [a for a in prober.answers if not a[3]]
        errors = [a for a in prober.answers if a[2] == 500] + [
            r for r in results if r["status"] == 500
        ]
        if unclean:
            problems.append(f"{len(unclean)} page loads got a 503 without the translated page")
        if unclear:
            problems.append(f"{len(unclear)} refused registrations without the 'not saved' page")
        if errors:
            problems.append(f"{len(errors)} answers were 500")
        retried = _retry_failed(forms, results)
        accepted = {row["number"] for row in results + retried if row["status"] in OK}
        print(f"retried {len(retried)}: {dict(Counter(str(r['status']) for r in retried))}")
        seconds = wait_for_outbox(env, timeout=60)
        print(f"outbox empty {seconds:.1f} s after the retries; the worker ran on without a "
              f"restart: {worker.alive() and len(worker.pids) == 1}")  # fmt: skip
        if not worker.alive():
            problems.append("the email worker died")
        log = (env.tmp / "worker.log").read_text(errors="replace")
        print(f"worker log: {log.count('Worker round failed')} failed rounds, "
              f"{log.count('while recording a delivery')} deliveries recorded after "
              "waiting for the database")  # fmt: skip
        delays = _delivery_delays(env, since=time.time() - (time.monotonic() - back_at))
        if delays:
            print(f"emails queued after the database was back: {len(delays)}, delivered "
                  f"after at most {max(delays):.1f} s")  # fmt: skip
        problems += check_database(env, registrants=args.registrants, accepted=accepted, smtp=smtp)
        return problems
    finally:
        worker.stop()
        smtp.stop()


def restart_postgres(env: harness.Environment, args) -> list[str]:
    """PostgreSQL stops (fast shutdown: sessions terminated) and starts again."""
    return outage_under_load(
        env,
        args,
        cause=lambda: env.pg_ctl("stop", "-m", "fast"),
        end=env.start_cluster,
        what="PostgreSQL down",
    )


def _as_superuser(env: harness.Environment, *statements: str) -> None:
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={env.pg_port} user=postgres dbname=postgres", autocommit=True
    ) as conn:
        for statement in statements:
            conn.execute(statement)


TERMINATE_SESSIONS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = 'bench' AND pid <> pg_backend_pid()"
)


def refuse_writes(env: harness.Environment, args) -> list[str]:
    """The database turns read-only, as a standby or a database put into read-only mode by
    its operator: every new session refuses writes (open sessions are ended, so they
    reconnect into the read-only state). Then writable again, sessions ended once more."""
    return outage_under_load(
        env,
        args,
        cause=lambda: _as_superuser(
            env, "ALTER DATABASE bench SET default_transaction_read_only = on", TERMINATE_SESSIONS
        ),
        end=lambda: _as_superuser(
            env, "ALTER DATABASE bench RESET default_transaction_read_only", TERMINATE_SESSIONS
        ),
        what="database read-only",
    )


def _fill_up(path: Path) -> int:
    """Write `path` until the filesystem is full; returns the bytes written."""
    written = 0
    with open(path, "wb", buffering=0) as filler:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            block = b"\0" * chunk
            try:
                while True:
                    written += filler.write(block)
            except OSError:
                continue
    return written


def disk_full(env: harness.Environment, args) -> list[str]:
    """SQLite's folder (VAR_DIR: the database, its WAL, the .eml files) is a small tmpfs;
    under load it is filled up to the last byte, then freed again."""
    filler = Path(args.var_dir) / "filler"

    def fill() -> None:
        # An SQLite WAL keeps its size after a checkpoint and would take a few more writes
        # without new space: truncate it first, so that the next write needs the disk.
        env.django()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        print(f"filled the disk with {_fill_up(filler) / 1e6:.1f} MB", flush=True)

    try:
        return outage_under_load(
            env, args, cause=fill, end=lambda: filler.unlink(), what="disk under var/ full"
        )
    finally:
        from django.db import connections

        connections.close_all()  # the bench's own handle would keep the tmpfs busy


FAULTS = {
    "kill-worker": kill_worker,
    "worker-and-smtp": worker_and_smtp,
    "restart-postgres": restart_postgres,
    "refuse-writes": refuse_writes,
    "disk-full": disk_full,
}


@contextlib.contextmanager
def small_filesystem(megabytes: int):
    """A tmpfs of `megabytes` mounted on a new temporary folder (needs root), unmounted
    and removed afterwards."""
    folder = tempfile.mkdtemp(prefix="eventsite-var-")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0777", "tmpfs", folder],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        os.rmdir(folder)
        raise SystemExit(f"disk-full needs root to mount a small tmpfs: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=False)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault",
        required=True,
        type=lambda value: value.split(","),
        help=f"one of {', '.join(FAULTS)}; several separated by commas run one after another "
        "in one environment (not disk-full, which needs its own)",
    )
    parser.add_argument("--registrants", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--outage-seconds",
        type=float,
        help="how long the fault lasts (worker-and-smtp: 600, restart-postgres: 5)",
    )
    parser.add_argument(
        "--disk-megabytes", type=int, default=64, help="size of the tmpfs (disk-full)"
    )
    parser.add_argument("--http-port", type=int, help="first gunicorn port (default: free)")
    parser.add_argument("--pg-port", type=int, help="port of the own cluster (default: free)")
    args = parser.parse_args(argv)
    faults = args.fault
    unknown = [name for name in faults if name not in FAULTS]
    if unknown or ("disk-full" in faults and len(faults) > 1):
        parser.error(f"--fault: choose from {', '.join(FAULTS)} (disk-full alone)")
    outage = args.outage_seconds
    if faults != ["disk-full"] and os.environ.pop("DATABASE_URL", None):
        # The faults stop and alter the database: only the throw-away cluster will do.
        print("DATABASE_URL ignored: the faults run on a cluster of their own", flush=True)
    print(f"faults {', '.join(faults)}: {harness.describe_machine()}", flush=True)
    problems = []
    with contextlib.ExitStack() as stack:
        database_url, extra_env = None, {}
        if faults == ["disk-full"]:
            args.var_dir = stack.enter_context(small_filesystem(args.disk_megabytes))
            database_url = f"sqlite:///{args.var_dir}/db.sqlite3"
            extra_env = {"VAR_DIR": args.var_dir}
        env = stack.enter_context(
            harness.Environment(
                instances=1,
                workers=args.workers,
                threads=2,
                http_port=args.http_port,
                pg_port=args.pg_port,
                database_url=database_url,
                extra_env=extra_env,
            )
        )
        env.prepare()
        env.start_servers()
        for number, fault in enumerate(faults):
            if number:
                start_afresh(env)
            args.outage_seconds = outage or (600.0 if fault == "worker-and-smtp" else 5.0)
            print(f"--- fault {fault}", flush=True)
            started = time.monotonic()
            found = FAULTS[fault](env, args)
            print(f"fault {fault}: {time.monotonic() - started:.1f} s", flush=True)
            problems += [f"{fault}: {problem}" for problem in found]
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


def start_afresh(env: harness.Environment) -> None:
    """Empty registrations, emails and rate limits between two faults of one run."""
    env.django()
    from django.db import close_old_connections, connection

    from outbox.models import OutgoingEmail
    from registration.models import RateLimitCounter, Registration

    close_old_connections()
    OutgoingEmail.objects.all().delete()
    Registration.objects.all().delete()
    RateLimitCounter.objects.all().delete()
    connection.close()


if __name__ == "__main__":
    sys.exit(main())
