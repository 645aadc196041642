"""Time and peak memory of every guest-list export (CSV, XLSX, entry list PDF, badges on A4
sheets and single A6) at N rows, and at smaller sizes of the same list for comparison.

    .venv/bin/python bench/exports.py --rows 100000 --sizes 10000,100000
    .venv/bin/python bench/exports.py --rows 2000 --formats csv,entry-list

Without DATABASE_URL it fills a fresh SQLite file in a temporary folder. With DATABASE_URL
it migrates that database and REPLACES ITS REGISTRATIONS: never point it at real data.
Each export runs in a child process of its own (so one export's memory does not count for
the next) through the same function the admin uses (registration.exports.write_file), and
the child prints seconds (wall clock), CPU seconds of the process (the figure that a busy
machine does not distort), the peak of Python allocations (tracemalloc) and the growth of
the process's resident memory over its state before the export. A size below --rows
exports the first that many registrations of the same list. Comparing two sizes shows
whether memory grows with the list: bounded exports stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
FORMATS = ["csv", "xlsx", "entry-list", "badges-a4", "badges-a6"]
sys.path.insert(0, str(BASE_DIR))

FIRST = ["Jürgen", "Anna", "Zoë", "Ömer", "François", "Maximiliane-Friederike", "Åsa", "Lukas"]
LAST = ["Müßig", "Özdemir", "Strauß", "Adler", "Graf von Hohenstein", "Çelik", "Zander", "Weiß"]
ORGS = [
    "Stadt Düren",
    "Landkreis Cochem-Zell",
    "Bundesministerium des Innern, Referat O 1 – Verwaltungsmodernisierung und "
    "Digitalisierung der öffentlichen Verwaltung in Bund, Ländern und Kommunen",
    "",
    "Hochschule Harz",
]


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventsite.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    import django

    django.setup()


def fill(rows: int, *, keep: bool = False) -> None:
    import hashlib

    from django.core.management import call_command
    from django.utils import timezone

    from programme.seed import load_event
    from registration.models import ENTRY_CODE_ALPHABET, Registration, sort_name

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if keep and Registration.objects.filter(privacy_consent_version="bench").count() == rows:
        return
    event, _created = load_event()
    event.capacity = rows
    event.save(update_fields=["capacity"])
    Registration.objects.all().delete()
    now = timezone.now()
    alphabet = ENTRY_CODE_ALPHABET
    batch = []
    for i in range(rows):
        code, n = "", i
        for _ in range(8):
            code += alphabet[n % len(alphabet)]
            n //= len(alphabet)
        digest = hashlib.sha256(str(i).encode()).hexdigest()
        first_name, last_name = FIRST[i % len(FIRST)], f"{LAST[i % len(LAST)]} {i}"
        batch.append(
            Registration(
                event=event,
                first_name=first_name,
                last_name=last_name,
                # bulk_create does not call save(), which derives it otherwise.
                sort_name=sort_name(last_name, first_name),
                academic_title="Dr." if i % 7 == 0 else "",
                email=f"person{i}@example.org",
                organisation=ORGS[i % len(ORGS)] or "–",
                category="municipality",
                status="confirmed",
                confirmed_at=now,
                email_confirmed_at=now,
                checked_in_at=now if i % 3 == 0 else None,
                privacy_consent_version="bench",
                privacy_consented_at=now,
                entry_code=code,
                manage_token_hash="m" + digest[1:],
                confirm_token_hash="c" + digest[1:],
            )
        )
        if len(batch) == 5000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(kind: str, size: int) -> None:
    """In the child: one export of the first `size` registrations, then one line of JSON
    with the figures."""
    import tracemalloc

    django_setup()
    from registration import exports
    from registration.models import Registration

    last_pk = Registration.objects.order_by("pk").values_list("pk", flat=True)[size - 1]
    queryset = Registration.objects.filter(pk__lte=last_pk).order_by("last_name", "first_name")
    assert queryset.count() == size  # (also connects before measuring)
    before = rss_kib()
    tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    out = exports.write_file(queryset, kind)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = os.fstat(out.fileno()).st_size
    out.close()
    print(
        json.dumps(
            {
                "kind": kind,
                "rows": size,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "python_peak_mib": round(peak / 2**20, 1),
                "rss_growth_mib": round((rss_max_kib() - before) / 1024, 1),
                "file_mib": round(size / 2**20, 1),
            }
        )
    )


def rss_max_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--sizes", help="comma-separated row counts to export (default: --rows); each <= --rows"
    )
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="with DATABASE_URL: reuse a database this bench filled with --rows before",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(size) for size in (args.sizes or str(args.rows)).split(",")]
    if args.measure:
        measure(args.measure, sizes[0])
        return
    if max(sizes) > args.rows:
        parser.error("every size must be at most --rows")

    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        env = dict(os.environ)
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
        env["VAR_DIR"] = folder
        os.environ.update(env)
        django_setup()
        started = time.perf_counter()
        fill(args.rows, keep=args.keep_data)
        print(
            f"{args.rows} registrations in {time.perf_counter() - started:.1f} s "
            f"({env['DATABASE_URL'].split(':')[0]})"
        )
        print(
            f"{'format':<12}{'rows':>8}{'seconds':>9}{'CPU s':>8}{'CPU ms/row':>11}"
            f"{'Python peak MiB':>17}"
            f"{'RSS growth MiB':>16}{'file MiB':>10}",
            flush=True,
        )
        for kind in args.formats.split(","):
            for size in sizes:
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", kind, "--sizes", str(size)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                per_row = figures["cpu_seconds"] * 1000 / size
                print(
                    f"{kind:<12}{size:>8}{figures['seconds']:>9}{figures['cpu_seconds']:>8}"
                    f"{per_row:>11.2f}"
                    f"{figures['python_peak_mib']:>17}{figures['rss_growth_mib']:>16}"
                    f"{figures['file_mib']:>10}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
