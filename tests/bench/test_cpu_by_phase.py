"""The rush's "CPU by phase" lines (bench/harness.py CpuByPhase) put a process's CPU time
in its group and in the phase it was used in."""

import os
import subprocess
import sys
import time

import pytest

from bench.harness import CpuByPhase

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="needs Linux /proc")

# Spins on one core for argv[1] seconds.
BUSY = (
    "import time, sys\n"
    "end = time.monotonic() + float(sys.argv[1])\n"
    "while time.monotonic() < end: pass"
)
# Groups go by a word in the command line: one no other test's process has.
MARKER = f"cpu-by-phase-server-{os.getpid()}"


def busy_process(seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BUSY, str(seconds), MARKER])


def sampler() -> CpuByPhase:
    return CpuByPhase(server_groups=(("server", MARKER.encode()),))


def test_a_busy_server_process_counts_in_its_group_and_phase():
    cpu = sampler()
    server = busy_process(3.0)
    try:
        with cpu.phase("busy"):
            time.sleep(1.0)
        with cpu.phase("busy, bench idle"):
            time.sleep(0.5)
    finally:
        server.kill()
        server.wait()
    time.sleep(0.1)
    with cpu.phase("after"):
        time.sleep(0.5)

    phases = {name: (seconds, cores, busy) for name, seconds, cores, busy in cpu.phases}
    seconds, cores, busy = phases["busy"]
    assert seconds == pytest.approx(1.0, abs=0.3)
    # One core spinning; the machine is shared (other tests run beside this one), so
    # allow for time the scheduler gave to others.
    assert 0.25 < cores["server"] <= 1.1
    assert cores["bench clients"] < 0.2  # the test process only slept
    assert phases["after"][1]["server"] == 0
    lines = cpu.lines()
    assert lines[1].startswith("  busy ") and "server " in lines[1] and "busy " in lines[1]
    assert len(lines) == 4


def test_a_client_process_that_ends_within_the_phase_stays_counted():
    cpu = sampler()
    with cpu.phase("client"):
        # Not named like a server: a child of the bench, reaped before the phase ends.
        child = subprocess.Popen([sys.executable, "-c", BUSY, "0.8"])
        child.wait()
    cores = cpu.phases[0][2]
    assert cores["bench clients"] > 0.25
    assert cores["server"] == 0
