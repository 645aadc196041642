"""The fault scripts of docs/reliability.md with small numbers, in one environment: a
gunicorn worker killed, the email worker killed with SMTP down, PostgreSQL restarted,
the database refusing writes. Each checks the database afterwards and exits 1 on a
failed check (bench/faults.py)."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import harness
from tests.conftest import requires_postgresql

BASE_DIR = Path(__file__).resolve().parents[2]


def _has_postgresql_server() -> bool:
    try:
        harness._pg_bin("initdb")
        harness._pg_bin("pg_ctl")
    except RuntimeError:
        return False
    return True


pytestmark = [
    pytest.mark.postgres,
    requires_postgresql,
    pytest.mark.skipif(
        not _has_postgresql_server(),
        reason="needs PostgreSQL's initdb and pg_ctl for a throw-away cluster (CI has them)",
    ),
]

FAULTS = ["kill-worker", "worker-and-smtp", "restart-postgres", "refuse-writes"]


def _figures(output: str, prefix: str) -> list[dict]:
    """The dicts printed right after `prefix` (one per fault that prints it)."""
    return [
        ast.literal_eval(found) for found in re.findall(re.escape(prefix) + r"(\{[^}]*\})", output)
    ]


def test_faults_under_load_leave_every_registration_and_email_whole():
    environment = {**os.environ, "SECRET_KEY": "test-only-secret-key-not-for-production"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.faults",
            "--fault",
            ",".join(FAULTS),
            "--registrants",
            "40",
            "--outage-seconds",
            "3",
        ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout

    assert result.returncode == 0, output + result.stderr[-3000:]
    assert "FAIL" not in output
    for fault in FAULTS:
        assert f"--- fault {fault}" in output
    # The faults took effect: pages and registrations during the outages were refused
    # (with the translated 503 page, which the script checks), not silently unaffected.
    restart, _read_only = _figures(output, "page loads during the fault: ")
    assert restart.get("503", 0) > 0
    first_answers = _figures(output, "registrations: first answers ")
    assert all(answers.get("503", 0) > 0 for answers in first_answers)
    assert output.count("0 more than once, 0 missing") == 3
    assert output.count("accepted in the end: 40 of 40; accepted but not in the database: 0") == 4
