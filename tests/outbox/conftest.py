import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from outbox import queue_email

BASE_DIR = Path(__file__).resolve().parents[2]


def queue_test_email(to="anna@example.org", language="de", **kwargs):
    return queue_email(
        to=to, template="mail/test", context={"recipient": to}, language=language, **kwargs
    )


def database_url() -> str:
    """The URL of the test database, for a worker started as a separate process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(smtp_port: int, *args: str, lease_seconds: int = 3) -> subprocess.Popen:
    """`manage.py worker` as a real process against the test database and the loopback
    SMTP server."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-secret-key",
        "DEBUG": "",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "",
        "EMAIL_USE_SSL": "",
        "EMAIL_TIMEOUT": "5",
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_LEASE_SECONDS": str(lease_seconds),
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition, timeout: float = 30.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@pytest.fixture
def stop_processes():
    """Processes a test started; any still running at the end are killed by their pid."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)
