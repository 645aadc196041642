"""A registration rush: N people register for C seats at once, then confirm their address.

    .venv/bin/python bench/rush.py                            # 500 for 200 seats, 100 at once
    .venv/bin/python bench/rush.py --instances 2              # two gunicorn instances, one DB
    .venv/bin/python bench/rush.py --registrants 5000 --seats 2000 --concurrency 100
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench .venv/bin/python bench/rush.py

Registrants first open the form (its CSRF cookie and token), then all post it at once:
the registration rate is that of the POSTs alone.

It starts what it needs (bench/harness.py: a throw-away PostgreSQL cluster unless
DATABASE_URL is given, which is then emptied of registrations and emails; gunicorn as
eventsite/gunicorn.conf.py configures it). Every registrant is a client of its own (its
own connection, cookies and X-Forwarded-For address, as behind a proxy): it loads the
form, takes the CSRF token, posts the form. Then every registrant follows the
confirmation link from the email the site queued, loads that page and posts it.

It prints registrations per second, p50/p95/p99 of the POSTs, errors by status, /healthz
requests per second measured in the same run (before and after the rush) and the ratio,
the same for the sign-up page's GETs before them (the page every registrant loads first),
the CPU each phase used (cores in use by gunicorn, PostgreSQL and the bench's clients, and
how busy the machine was: harness.CpuByPhase),
the final counts against the capacity, the waiting-list order and the emails queued. It
exits non-zero on any overbooking, any 5xx, any lost or duplicated email, or when first
come first served was broken (someone who finished submitting before another started
got the worse outcome).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_PATH = re.compile(r"(/(?:en/)?anmeldung/bestaetigen/[^/\s\"<>]+/)")
# Seconds a registrant waits for an answer (--timeout); set before the client processes
# fork, which inherit it.
client_timeout = 60.0


def registrant_email(number: int) -> str:
    return f"rush{number:06d}@example.org"


def _form_post(client: harness.Client, path: str, fields: dict) -> tuple[harness.Response, float]:
    """GET the page, POST its form with the CSRF token. Returns the POST's response and
    the monotonic time the POST started."""
    page = client.request("GET", path)
    match = CSRF_INPUT.search(page.body)
    if page.status != 200 or not match:
        return page, time.monotonic()
    body = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), **fields}).encode()
    started = time.monotonic()
    return client.request("POST", path, body=body), started


def forwarded_for(number: int) -> str:
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def load_form(args) -> dict:
    """Open the sign-up page as a browser does: its CSRF cookie and token."""
    base_url, number, language = args
    client = harness.Client(base_url, forwarded_for=forwarded_for(number), timeout=client_timeout)
    prefix = "/en" if language == "en" else ""
    started = time.monotonic()
    try:
        page = client.request("GET", f"{prefix}/anmeldung/")
        match = CSRF_INPUT.search(page.body)
        token = match.group(1).decode() if match else ""
        status, seconds = page.status, page.seconds
    except OSError as error:
        token, status, seconds = "", f"connection error ({type(error).__name__})", 0.0
    finally:
        client.close()
    return {
        "base_url": base_url,
        "number": number,
        "path": f"{prefix}/anmeldung/",
        "cookies": dict(client.cookies),
        "token": token,
        "status": status,
        "seconds": seconds,
        "started": started,
        "ended": time.monotonic(),
    }


def register(form: dict) -> dict:
    """Post the form that load_form opened (on a new connection, as after typing)."""
    number = form["number"]
    client = harness.Client(
        form["base_url"], forwarded_for=forwarded_for(number), timeout=client_timeout
    )
    client.cookies.update(form["cookies"])
    fields = {
        "csrfmiddlewaretoken": form["token"],
        "salutation": "",
        "academic_title": "",
        "first_name": f"Person{number}",
        "last_name": "Rush",
        "email": registrant_email(number),
        "organisation": "Stadt Musterstadt",
        "position": "",
        "category": "municipality",
        "model_municipality": "",
        "accessibility_needs": "",
        "privacy_consent": "on",
        "website": "",
    }
    started = time.monotonic()
    error_body = b""
    try:
        response = client.request("POST", form["path"], body=urlencode(fields).encode())
        status, seconds = response.status, response.seconds
        if status >= 500:
            error_body = response.body  # what the person read (fault benches check it)
    except OSError as error:
        status, seconds = f"connection error ({type(error).__name__})", 0.0
    finally:
        client.close()
    return {
        "number": number,
        "status": status,
        "error_body": error_body,
        "seconds": seconds,
        "started": started,
        "ended": time.monotonic(),
    }


def confirm(args) -> dict:
    base_url, number, path = args
    client = harness.Client(
        base_url,
        forwarded_for=f"10.200.{number // 256 % 256}.{number % 256}",
        timeout=client_timeout,
    )
    try:
        response, started = _form_post(client, path, {})
        status, seconds = response.status, response.seconds
    except OSError as error:
        status, seconds, started = f"connection error ({type(error).__name__})", 0.0, 0.0
    finally:
        client.close()
    return {
        "number": number,
        "status": status,
        "seconds": seconds,
        "started": started,
        "ended": time.monotonic(),
    }


def _run_chunk(args):
    function, items, threads = args
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(function, items))


def run_clients(function, items: list, *, concurrency: int, processes: int) -> list[dict]:
    """`function(item)` for every item, `concurrency` at a time, in client processes."""
    processes = max(1, min(processes, concurrency, len(items) or 1))
    chunks = [items[i::processes] for i in range(processes)]
    threads = [
        max(1, concurrency // processes + (i < concurrency % processes)) for i in range(processes)
    ]
    with harness.client_pool(processes) as pool:
        parts = pool.map(
            _run_chunk, [(function, c, t) for c, t in zip(chunks, threads, strict=True)]
        )
    return [row for part in parts for row in part]


def summarise(
    name: str, rows: list[dict], *, ok_statuses: set, method: str = "POST"
) -> tuple[float, Counter]:
    latencies = [r["seconds"] for r in rows if r["seconds"]]
    statuses = Counter(r["status"] for r in rows)
    started = min((r["started"] for r in rows if r["started"]), default=0.0)
    ended = max((r["ended"] for r in rows), default=0.0)
    span = max(ended - started, 1e-9)
    rate = len(rows) / span
    print(
        f"{name:<14} {len(rows)} in {span:.2f} s: {rate:.1f}/s; {method} p50 "
        f"{harness.percentile(latencies, 50) * 1000:.0f} ms, p95 "
        f"{harness.percentile(latencies, 95) * 1000:.0f} ms, p99 "
        f"{harness.percentile(latencies, 99) * 1000:.0f} ms"
    )
    print(
        f"{'':<14} statuses: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
    )
    errors = {k: v for k, v in statuses.items() if k not in ok_statuses}
    if errors:
        print(f"{'':<14} ERRORS by status: {errors}")
    return rate, statuses


def fcfs_violations(rows: list[dict], rank: dict[int, int]) -> int:
    """Pairs where A's request ended before B's started but B got the better rank."""
    ordered = sorted((r for r in rows if r["number"] in rank), key=lambda r: r["ended"])
    violations = 0
    for a in ordered:
        for b in ordered:
            if a["ended"] < b["started"] and rank[a["number"]] > rank[b["number"]]:
                violations += 1
    return violations


@dataclasses.dataclass
class RushResult:
    rate: float  # registration POSTs per second
    p50: float
    p95: float
    confirm_rate: float
    healthz: float  # /healthz requests per second in the same run
    failures: list[str]

    @property
    def ratio(self) -> float:
        return self.rate / self.healthz if self.healthz else 0.0


def reset(env: harness.Environment, *, seats: int) -> None:
    """Empty the registrations, emails and rate-limit counters; set the capacity."""
    env.django()
    from django.db import connection

    from outbox.models import OutgoingEmail
    from programme.models import Event
    from registration import services
    from registration.models import RateLimitCounter, Registration

    OutgoingEmail.objects.all().delete()
    Registration.objects.all().delete()
    RateLimitCounter.objects.all().delete()
    services.set_capacity(event=Event.objects.current(), capacity=seats)
    connection.close()


def rush(
    env: harness.Environment,
    *,
    registrants: int,
    seats: int,
    concurrency: int,
    processes: int,
    healthz_seconds: float,
    timeout: float = 60.0,
) -> RushResult:
    """One rush against the running servers (after reset()): prints its figures and
    returns them with every failure found, and where the CPU went in each phase."""
    global client_timeout  # noqa: PLW0603 - read by the forked client processes
    client_timeout = timeout
    from django.db import connection

    from outbox.models import OutgoingEmail
    from programme.models import Event
    from registration.models import Registration

    failures: list[str] = []
    urls = env.base_urls
    print(f"machine: {harness.describe_machine()}")
    print(
        f"{registrants} registrants for {seats} seats, {concurrency} at once "
        f"from {processes} client processes, {len(urls)} gunicorn instance(s)"
    )
    cpu = harness.CpuByPhase()
    with cpu.phase("/healthz before"):
        healthz_before = harness.load(
            urls, "/healthz", seconds=healthz_seconds, concurrency=concurrency, processes=processes
        )

    items = [(urls[n % len(urls)], n, "en" if n % 4 == 3 else "de") for n in range(registrants)]
    with cpu.phase("sign-up pages (GET)"):
        forms = run_clients(load_form, items, concurrency=concurrency, processes=processes)
    form_errors = Counter(f["status"] for f in forms if f["status"] != 200 or not f["token"])
    if form_errors:
        failures.append(f"sign-up page not loaded: {dict(form_errors)}")
    with cpu.phase("registrations (POST)"):
        rows = run_clients(register, forms, concurrency=concurrency, processes=processes)

    with cpu.phase("/healthz after"):
        healthz_after = harness.load(
            urls, "/healthz", seconds=healthz_seconds, concurrency=concurrency, processes=processes
        )
    healthz = healthz_before.merge(healthz_after)

    # The confirmation links, taken from the emails the site queued.
    links = {}
    for recipient, body in OutgoingEmail.objects.filter(
        template="registration/confirm_address"
    ).values_list("recipient", "body_text"):
        match = CONFIRM_PATH.search(body)
        if match:
            links[recipient] = match.group(1)
    connection.close()
    confirm_items = [
        (urls[n % len(urls)], n, links[registrant_email(n)])
        for n in range(registrants)
        if registrant_email(n) in links
    ]
    with cpu.phase("confirmations"):
        confirm_rows = run_clients(
            confirm, confirm_items, concurrency=concurrency, processes=processes
        )

    print()
    form_rate, _ = summarise("sign-up pages", forms, ok_statuses={200}, method="GET")
    rate, statuses = summarise("registrations", rows, ok_statuses={302})
    confirm_rate, confirm_statuses = summarise("confirmations", confirm_rows, ok_statuses={200})
    print(
        f"/healthz       {healthz.rate:.0f}/s in the same run "
        f"({healthz_before.rate:.0f} before, {healthz_after.rate:.0f} after, "
        f"{concurrency} clients)"
    )
    print(f"ratio          registrations/s : /healthz = {rate / healthz.rate:.3f}")
    print(f"               sign-up pages/s : /healthz = {form_rate / healthz.rate:.3f}")

    # --- the outcome in the database ------------------------------------------------------
    event = Event.objects.current()
    counts = Counter(Registration.objects.values_list("status", flat=True))
    live_holds = Registration.objects.live_holds().count()
    confirmed = counts.get("confirmed", 0)
    print(
        f"final          capacity {event.capacity}: confirmed {confirmed}, live holds "
        f"{live_holds}, waiting {counts.get('waiting', 0)}, all statuses {dict(counts)}"
    )
    if confirmed + live_holds > event.capacity:
        failures.append(f"OVERBOOKED: {confirmed} confirmed + {live_holds} held > {event.capacity}")
    expected_confirmed = min(registrants, seats)
    if confirmed != expected_confirmed:
        failures.append(f"{confirmed} confirmed, expected {expected_confirmed}")

    by_email = {registrant_email(number): number for number in range(registrants)}
    waiting = list(Registration.objects.waiting_list().values_list("email", flat=True))
    print(
        f"waiting list   {len(waiting)} in order, first: "
        + ", ".join(f"#{by_email[e]}" for e in waiting[:8])
    )
    # A seat at sign-up: confirmed since, or still holding it (its confirmation lost).
    seat_rank = {
        by_email[email]: 0 if status in {"confirmed", "held"} else 1
        for email, status in Registration.objects.values_list("email", "status")
    }
    unfair = fcfs_violations(rows, seat_rank)
    waiting_rank = {by_email[email]: position for position, email in enumerate(waiting)}
    unfair_waiting = fcfs_violations(confirm_rows, waiting_rank)
    print(
        f"first come     seats: {unfair} pairs out of order; waiting list: "
        f"{unfair_waiting} pairs out of order"
    )
    if unfair or unfair_waiting:
        failures.append("first come first served broken")

    emails = Counter(OutgoingEmail.objects.values_list("recipient", flat=True))
    templates = Counter(OutgoingEmail.objects.values_list("template", flat=True))
    print(f"emails queued  {sum(emails.values())}: {dict(templates)}")
    for line in cpu.lines():
        print(line)
    wrong = [n for n in range(registrants) if emails.get(registrant_email(n), 0) != 2]
    if wrong:
        failures.append(f"{len(wrong)} registrants without exactly 2 emails (e.g. #{wrong[0]})")
    connection.close()

    server_errors = sum(
        v
        for k, v in (statuses + confirm_statuses + healthz.statuses).items()
        if not isinstance(k, int) or k >= 500
    )
    if server_errors:
        failures.append(f"{server_errors} responses 5xx or connection errors")
    other = sum(v for k, v in statuses.items() if k != 302)
    other += sum(v for k, v in confirm_statuses.items() if k != 200)
    if other:
        failures.append(f"{other} requests not answered as expected")
    if failures:
        for index in range(len(env.servers)):
            tail = env.server_log(index).splitlines()[-20:]
            print(f"--- gunicorn {index} log (last lines) ---\n" + "\n".join(tail))
    latencies = [r["seconds"] for r in rows if r["seconds"]]
    return RushResult(
        rate=rate,
        p50=harness.percentile(latencies, 50),
        p95=harness.percentile(latencies, 95),
        confirm_rate=confirm_rate,
        healthz=healthz.rate,
        failures=failures,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registrants", type=int, default=500)
    parser.add_argument("--seats", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=100, help="registrants at once")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances")
    parser.add_argument("--healthz-seconds", type=float, default=3.0, help="before and after")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a registrant waits for an answer"
    )
    parser.add_argument("--database-url", help="use (and empty) this database")
    parser.add_argument("--http-port", type=int, help="first gunicorn port (default: free)")
    parser.add_argument("--pg-port", type=int, help="port of the own cluster (default: free)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: the config's)")
    args = parser.parse_args()

    with harness.Environment(
        database_url=args.database_url,
        instances=args.instances,
        workers=args.workers,
        threads=args.threads,
        http_port=args.http_port,
        pg_port=args.pg_port,
        keep=args.keep,
    ) as env:
        env.prepare()
        reset(env, seats=args.seats)
        env.start_servers()
        result = rush(
            env,
            registrants=args.registrants,
            seats=args.seats,
            concurrency=args.concurrency,
            processes=args.processes,
            healthz_seconds=args.healthz_seconds,
            timeout=args.timeout,
        )

    if result.failures:
        sys.exit("FAILED: " + "; ".join(result.failures))
    print("OK: no overbooking, no 5xx, every email queued, first come first served")


if __name__ == "__main__":
    main()
