"""The gunicorn settings that eventsite/gunicorn.conf.py gives (gunicorn runs the file as
Python and reads its module-level names)."""

import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "eventsite" / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **environment) -> dict:
    for name in ("GUNICORN_THREADS", "GUNICORN_WORKER_CONNECTIONS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_take_few_connections_per_worker_and_never_recycle(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["threads"] == 2
    # Not gunicorn's 1000: a busy worker must not take a burst of connections that idle
    # workers could serve (docs/performance.md, gunicorn settings).
    assert config["worker_connections"] == 4 * config["threads"]
    assert config["max_requests"] == 0


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"GUNICORN_THREADS": "4"}, (4, 16)),
        ({"GUNICORN_WORKER_CONNECTIONS": "100"}, (2, 100)),
    ],
)
def test_environment_sets_threads_and_connections(monkeypatch, environment, expected):
    config = gunicorn_settings(monkeypatch, **environment)
    assert (config["threads"], config["worker_connections"]) == expected
