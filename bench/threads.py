"""Threads per worker chosen by measurement: the registration rush and the cached public
pages at several gunicorn layouts (workers x threads), side by side in one run.

    .venv/bin/python bench/threads.py                          # 4x1, 4x2 and 4x4
    .venv/bin/python bench/threads.py --layouts 2x2,4x2,8x1 --registrants 300 --seats 120
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench .venv/bin/python bench/threads.py

The database is prepared once (bench/harness.py: a throw-away PostgreSQL cluster unless
DATABASE_URL is given, which is then emptied of registrations and emails). Then, for each
layout in turn, the servers are restarted with it, the registrations are emptied, one rush
runs (bench/rush.py: N registrants for C seats through the real form, then all
confirmations, with /healthz before and after) and the cached pages are loaded for
--page-seconds each (bench/pages.py). It ends with one table: per layout the registration
rate, p50/p95, the confirmation rate, /healthz and the ratios, so the layouts compare in
one run on one machine. About a minute per layout on a quiet 2-core machine. It exits
non-zero if any rush overbooked, answered 5xx or lost an email.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, pages  # noqa: E402
from bench import rush as rush_bench  # noqa: E402

PAGE_TARGETS = ("/healthz", "/", "/programm/", "speaker page", "session page")


def layout(text: str) -> tuple[int, int]:
    workers, _x, threads = text.strip().lower().partition("x")
    try:
        parsed = int(workers), int(threads)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not WORKERSxTHREADS: {text!r}") from None
    if min(parsed) < 1:
        raise argparse.ArgumentTypeError(f"at least one worker and one thread: {text!r}")
    return parsed


def close_django_connection() -> None:
    """Before the client processes fork: none of them may share the bench's connection."""
    from django.db import connection

    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    rush_bench.add_arguments(parser)
    parser.set_defaults(healthz_seconds=2.0)
    parser.add_argument(
        "--layouts",
        type=lambda text: [layout(part) for part in text.split(",")],
        default=[(4, 1), (4, 2), (4, 4)],
        help="comma-separated WORKERSxTHREADS (default: 4x1,4x2,4x4)",
    )
    parser.add_argument("--page-seconds", type=float, default=2.0, help="per page target")
    parser.add_argument("--page-concurrency", type=int, default=16)
    args = parser.parse_args()

    rows = []
    failed = []
    with harness.Environment(
        database_url=args.database_url,
        instances=args.instances,
        http_port=args.http_port,
        pg_port=args.pg_port,
        keep=args.keep,
    ) as env:
        env.prepare()
        for workers, threads in args.layouts:
            name = f"{workers}x{threads}"
            print(f"\n=== {name}: {workers} workers x {threads} threads per instance ===")
            for index in range(len(env.servers)):
                env.stop_server(index)
            env.workers, env.threads = workers, threads
            rush_bench.reset(env, seats=args.seats)
            env.start_servers()
            result = rush_bench.rush(
                env,
                registrants=args.registrants,
                seats=args.seats,
                concurrency=args.concurrency,
                processes=args.processes,
                healthz_seconds=args.healthz_seconds,
                timeout=args.timeout,
            )
            if result.failures:
                failed.append(f"{name}: " + "; ".join(result.failures))
            targets = [t for t in pages.targets(env) if t[0] in PAGE_TARGETS]
            close_django_connection()
            loaded = pages.measure(
                env,
                targets,
                seconds=args.page_seconds,
                rounds=1,
                concurrency=args.page_concurrency,
                processes=args.processes,
            )
            pages.report(f"{name}: cached pages", loaded)
            rows.append((name, result, loaded))

    print(f"\n=== side by side ({harness.describe_machine()}) ===")
    page_names = [n for n in PAGE_TARGETS if n != "/healthz" and n in rows[0][2]]
    header = (
        f"{'layout':<7} {'reg/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'conf/s':>7} "
        f"{'hz rush':>8} {'reg:hz':>7} {'hz pages':>9} "
        + " ".join(f"{n[:12]:>12}" for n in page_names)
    )
    print(header)
    for name, result, loaded in rows:
        healthz = loaded["/healthz"].rate
        print(
            f"{name:<7} {result.rate:>6.1f} {result.p50 * 1000:>7.0f} {result.p95 * 1000:>7.0f} "
            f"{result.confirm_rate:>7.1f} {result.healthz:>8.0f} {result.ratio:>7.3f} "
            f"{healthz:>9.0f} " + " ".join(f"{loaded[n].rate / healthz:>12.2f}" for n in page_names)
        )
    print("(page columns: cached page requests per second as a ratio to /healthz of its run)")
    if failed:
        sys.exit("FAILED: " + " | ".join(failed))
    print("OK: every layout without overbooking, 5xx or lost email")


if __name__ == "__main__":
    main()
