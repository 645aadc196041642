"""Requests per second for a static file, /healthz and the public pages, side by side.

    .venv/bin/python bench/pages.py                      # own PostgreSQL cluster, 1 instance
    .venv/bin/python bench/pages.py --seconds 2 --rounds 3 --concurrency 16
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench .venv/bin/python bench/pages.py

It starts what it needs (bench/harness.py: a throw-away PostgreSQL cluster unless
DATABASE_URL is given, gunicorn as eventsite/gunicorn.conf.py configures it), then loads
every target for --seconds, in --rounds that alternate the targets so that a noisy
neighbour hits them all alike. It prints each target's rate and its ratio to /healthz of
the same run, twice: with the page cache as configured ("cached") and with it switched
off (PAGE_CACHE_SECONDS=0, "uncached", the servers are restarted for that).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402


def targets(env: harness.Environment) -> list[tuple[str, str]]:
    env.django()
    from programme.models import Session, Speaker

    session = Session.objects.order_by("start", "pk").first()
    speaker = Speaker.objects.order_by("pk").first()
    static = harness.request(env.base_urls[0], "GET", "/").body.decode()
    css = static.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    found = [
        ("static file", css),
        ("/healthz", "/healthz"),
        ("/", "/"),
        ("/en/", "/en/"),
        ("/programm/", "/programm/"),
        ("/referierende/", "/referierende/"),
    ]
    if speaker:
        found.append(("speaker page", speaker.get_absolute_url()))
    if session:
        found.append(("session page", session.get_absolute_url()))
    found.append(("/anfahrt/", "/anfahrt/"))
    return found


def measure(env, pages, *, seconds, rounds, concurrency, processes):
    results: dict[str, harness.LoadResult] = {}
    for _round in range(rounds):
        for name, path in pages:
            result = harness.load(
                env.base_urls,
                path,
                seconds=seconds,
                concurrency=concurrency,
                processes=processes,
            )
            results[name] = results[name].merge(result) if name in results else result
    return results


def report(title: str, results: dict[str, harness.LoadResult]) -> bool:
    healthz = results["/healthz"].rate
    print(f"\n{title}")
    print(f"{'target':<16} {'req/s':>8} {'x /healthz':>11} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    ok = True
    for name, result in results.items():
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items(), key=str))
        print(
            f"{name:<16} {result.rate:>8.0f} {result.rate / healthz:>11.2f} "
            f"{result.percentile(50) * 1000:>8.1f} {result.percentile(95) * 1000:>8.1f}  "
            f"{statuses}"
        )
        ok = ok and set(result.statuses) <= {200}
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="use this database instead of an own cluster")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: the config's)")
    parser.add_argument("--seconds", type=float, default=2.0, help="per target and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--http-port", type=int, help="first gunicorn port (default: free)")
    parser.add_argument("--pg-port", type=int, help="port of the own cluster (default: free)")
    parser.add_argument("--only", choices=["cached", "uncached"], help="run one half only")
    args = parser.parse_args()

    ok = True
    with harness.Environment(
        database_url=args.database_url,
        instances=args.instances,
        workers=args.workers,
        threads=args.threads,
        http_port=args.http_port,
        pg_port=args.pg_port,
    ) as env:
        env.prepare()
        print(f"machine: {harness.describe_machine()}")
        print(
            f"{args.instances} instance(s), {args.concurrency} clients in {args.processes} "
            f"processes, {args.rounds} rounds of {args.seconds:g} s per target"
        )
        modes = [m for m in ("cached", "uncached") if args.only in (None, m)]
        for mode in modes:
            env.extra_env.pop("PAGE_CACHE_SECONDS", None)
            if mode == "uncached":
                env.extra_env["PAGE_CACHE_SECONDS"] = "0"
            for index in range(args.instances):
                env.stop_server(index)
            env.start_servers()
            pages = targets(env)
            results = measure(
                env,
                pages,
                seconds=args.seconds,
                rounds=args.rounds,
                concurrency=args.concurrency,
                processes=args.processes,
            )
            ok = (
                report(f"{mode} (page cache {'off' if mode == 'uncached' else 'on'})", results)
                and ok
            )
    if not ok:
        sys.exit("some requests did not answer 200")


if __name__ == "__main__":
    main()
