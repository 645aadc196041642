"""Faults under load: cause a fault during a bounded registration rush on PostgreSQL, then
check the database.

    python -m bench.faults --fault kill-worker [--registrants 150] [--http-port 8240]

kill-worker: one gunicorn worker is killed with SIGKILL while registrations arrive. Every
registrant whose request failed retries once with the same form (as a person pressing
"send" again). Checked afterwards: no registration without its confirmation email, one
registration per address (no duplicate, no second hold), held seats within the capacity.

Uses bench/harness.py (own PostgreSQL cluster, gunicorn via eventsite/gunicorn.conf.py).
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench import harness, rush

OK = {302}


def _workers_of(master_pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def kill_worker(
    env: harness.Environment, registrants: int, concurrency: int, kills: int = 3
) -> list[str]:
    base = env.base_urls[0]
    with ThreadPoolExecutor(concurrency) as pool:
        forms = list(pool.map(rush.load_form, [(base, n, "de") for n in range(registrants)]))
        futures = [pool.submit(rush.register, form) for form in forms]
        killed = []
        while len(killed) < kills and not all(future.done() for future in futures):
            time.sleep(0.25)
            victims = [pid for pid in _workers_of(env.servers[0].pid) if pid not in killed]
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed.append(victims[0])
        results = [future.result() for future in futures]
    first = Counter(str(row["status"]) for row in results)
    failed = [row["number"] for row in results if row["status"] not in OK]
    # The site comes back by itself: gunicorn's master starts a new worker.
    retried = [rush.register(forms[number]) for number in failed]
    second = Counter(str(row["status"]) for row in retried)

    env.django()
    from django.db.models import Count

    from outbox.models import OutgoingEmail
    from programme.models import Event
    from registration import services
    from registration.models import Registration

    event = Event.objects.current()
    emails_by_address = Counter(
        OutgoingEmail.objects.filter(template="registration/confirm_address").values_list(
            "recipient", flat=True
        )
    )
    duplicates = (
        Registration.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    without_email = [r.email for r in Registration.objects.all() if emails_by_address[r.email] == 0]
    seats = services.seat_status(event)
    accepted = sum(1 for row in results if row["status"] in OK) + sum(
        1 for row in retried if row["status"] in OK
    )
    print(f"workers killed with SIGKILL during the rush: {len(killed)}")
    print(f"first answers: {dict(first)}")
    print(f"retries: {len(failed)}, answers: {dict(second)}")
    print(f"accepted in the end: {accepted} of {registrants}")
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
    if accepted != registrants:
        problems.append(f"{registrants - accepted} registrants not accepted after one retry")
    return problems


FAULTS = {"kill-worker": kill_worker}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", choices=sorted(FAULTS), required=True)
    parser.add_argument("--registrants", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--http-port", type=int, help="first gunicorn port (default: free)")
    parser.add_argument("--pg-port", type=int, help="port of the own cluster (default: free)")
    args = parser.parse_args()
    with harness.Environment(
        instances=1,
        workers=args.workers,
        threads=2,
        http_port=args.http_port,
        pg_port=args.pg_port,
        database_url=None,
    ) as env:
        env.prepare()
        env.start_servers()
        started = time.monotonic()
        problems = FAULTS[args.fault](env, args.registrants, args.concurrency)
        print(f"fault {args.fault}: {time.monotonic() - started:.1f} s")
    for problem in problems:
        print("FAIL:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
