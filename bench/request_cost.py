"""CPU per request, in-process: sign-up page, sign-up and confirmation POST, against /healthz.

    .venv/bin/python bench/request_cost.py                    # own PostgreSQL cluster
    .venv/bin/python bench/request_cost.py --count 200 --profile 25
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench .venv/bin/python bench/request_cost.py

No HTTP server and no load: each request goes through Django's whole handler (every
middleware, CSRF checked with a real token, the view, the templates, the database) in
this one process, one after another, and the CPU time of the process (time.process_time)
is taken per request. That is the figure a shared, noisy machine still measures steadily;
throughput benches (rush.py) need a quiet machine. The ratio of a request's CPU to that of
/healthz is what bounds its rate against /healthz when the CPU is the limit.

Phases: N sign-ups (the form GET for its CSRF token, timed as its own row; the POST) for C
seats, so that some get a seat and the others do not, then the N confirmations (the page
GET, untimed; the POST, timed), then /healthz. With --profile K it prints the K functions
with the most cumulative time of a cProfile run over all timed requests of each phase.

Like the other benches (bench/harness.py) it starts a throw-away PostgreSQL cluster unless
DATABASE_URL is given; that database is migrated and its registrations and outbox are
emptied: never point it at real data.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_PATH = re.compile(r"(/(?:en/)?anmeldung/bestaetigen/[^/\s\"<>]+/)")


class Phase:
    def __init__(self, name: str, profile: bool):
        self.name = name
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self.queries: list[int] = []
        self.statuses: dict[int, int] = {}
        # CPU time, not wall time: waits for the database and other processes do not count.
        self.profiler = cProfile.Profile(time.process_time) if profile else None

    def timed(self, call):
        from django.db import connection, reset_queries

        reset_queries()
        wall, cpu = time.perf_counter(), time.process_time()
        if self.profiler:
            self.profiler.enable()
        response = call()
        if self.profiler:
            self.profiler.disable()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        self.queries.append(len(connection.queries))
        self.last_sql = [query["sql"] for query in connection.queries]
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        return response

    def line(self, baseline: float | None) -> str:
        cpu = statistics.median(self.cpu) * 1000
        mean = statistics.fmean(self.cpu) * 1000
        wall = statistics.median(self.wall) * 1000
        ratio = f"{cpu / baseline:6.1f}" if baseline else "   1.0"
        return (
            f"{self.name:<22} {len(self.cpu):>5} {cpu:>9.2f} {mean:>9.2f} {wall:>9.2f} "
            f"{ratio} {statistics.median(self.queries):>8.0f}  {self.statuses}"
        )

    def print_profile(self, top: int, sort: str, match: str = "") -> None:
        if not self.profiler:
            return
        out = io.StringIO()
        stats = pstats.Stats(self.profiler, stream=out)
        stats.sort_stats(sort).print_stats(*([match] if match else []), top)
        print(f"\n--- CPU profile: {self.name} ({len(self.cpu)} requests, by {sort}) ---")
        print(out.getvalue().split("\n", 4)[-1].rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=150, help="sign-ups (and confirmations)")
    parser.add_argument("--seats", type=int, default=60)
    parser.add_argument("--healthz", type=int, default=300, help="/healthz requests")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="top K functions")
    parser.add_argument("--sort", default="cumulative", help="profile order (pstats key)")
    parser.add_argument("--match", default="", help="profile: only functions matching this")
    parser.add_argument("--show-queries", action="store_true", help="SQL of the last POSTs")
    parser.add_argument("--database-url", help="use (and empty) this database")
    parser.add_argument("--pg-port", type=int, help="port of the own cluster (default: free)")
    args = parser.parse_args()

    with harness.Environment(database_url=args.database_url, pg_port=args.pg_port) as env:
        env.prepare()
        env.django()
        from django.conf import settings
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.test.client import ClientHandler
        from django.test.utils import CaptureQueriesContext

        from outbox.models import OutgoingEmail
        from programme.models import Event
        from registration import services
        from registration.models import RateLimitCounter, Registration

        event = Event.objects.current()
        OutgoingEmail.objects.all().delete()
        Registration.objects.all().delete()
        RateLimitCounter.objects.all().delete()
        services.set_capacity(event=event, capacity=args.seats)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        print(f"machine: {harness.describe_machine()}")
        print(
            f"{args.count} sign-ups for {args.seats} seats, then their confirmations, then "
            f"{args.healthz} x /healthz; one process, PostgreSQL"
        )

        # One handler for all clients, as a gunicorn worker has: a new Client would build
        # its own middleware chain on its first request (WhiteNoise alone scans every
        # static file then), which no request of a running server pays.
        handler = ClientHandler(enforce_csrf_checks=True)

        def client(number: int) -> Client:
            visitor = Client(
                enforce_csrf_checks=True,
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.{number // 65536 % 256}.{number // 256 % 256}."
                f"{number % 256}",
            )
            visitor.handler = handler
            return visitor

        # Counting queries needs connection.queries (only kept with DEBUG or this context).
        with CaptureQueriesContext(connection):
            # Warm-up: templates compiled, URL resolvers and translations loaded once, as in
            # a worker that has served a few requests.
            warm = client(10**6)
            for _ in range(5):
                warm.get("/healthz")
                warm.get("/anmeldung/")

            form = Phase("sign-up form GET", bool(args.profile))
            signup = Phase("sign-up POST", bool(args.profile))
            for number in range(args.count):
                visitor = client(number)
                prefix = "/en" if number % 4 == 3 else ""
                page = form.timed(lambda v=visitor, p=prefix: v.get(f"{p}/anmeldung/"))
                token = CSRF_INPUT.search(page.content.decode())[1]
                fields = {
                    "csrfmiddlewaretoken": token,
                    "first_name": f"Person{number}",
                    "last_name": "Kosten",
                    "email": f"cost{number:06d}@example.org",
                    "organisation": "Stadt Musterstadt",
                    "category": "municipality",
                    "privacy_consent": "on",
                    "website": "",
                }
                signup.timed(lambda v=visitor, p=prefix, f=fields: v.post(f"{p}/anmeldung/", f))

            links = [
                CONFIRM_PATH.search(body)[1]
                for body in OutgoingEmail.objects.filter(
                    template="registration/confirm_address"
                ).values_list("body_text", flat=True)
            ]
            confirmation = Phase("confirmation POST", bool(args.profile))
            for number, link in enumerate(links):
                visitor = client(200_000 + number)
                page = visitor.get(link)
                token = CSRF_INPUT.search(page.content.decode())[1]
                confirmation.timed(
                    lambda v=visitor, path=link, t=token: v.post(path, {"csrfmiddlewaretoken": t})
                )

            healthz = Phase("/healthz", False)
            probe = client(300_000)
            for _ in range(args.healthz):
                healthz.timed(lambda: probe.get("/healthz"))

        counts = dict(Registration.objects.values_list("status").annotate(n=Count("pk")).order_by())
        connection.close()

    baseline = statistics.median(healthz.cpu) * 1000
    print(
        f"\n{'request':<22} {'count':>5} {'CPU p50':>9} {'CPU mean':>9} {'wall p50':>9} "
        f"{'x hz':>6} {'queries':>8}  statuses"
    )
    print(f"{'':<22} {'':>5} {'ms':>9} {'ms':>9} {'ms':>9}")
    for phase in (healthz, form, signup, confirmation):
        print(phase.line(None if phase is healthz else baseline))
    print(f"\nregistrations by status: {counts}")
    if args.show_queries:
        for phase in (signup, confirmation):
            print(f"\n--- the statements of the last {phase.name} ---")
            for sql in phase.last_sql:
                print(f"  {sql[:160]}")
    for phase in (form, signup, confirmation):
        phase.print_profile(args.profile, args.sort, args.match)
    failed = (
        set(form.statuses) != {200}
        or set(signup.statuses) != {302}
        or set(confirmation.statuses) != {200}
    )
    if failed:
        sys.exit("FAILED: a POST was not answered as expected")


if __name__ == "__main__":
    main()
