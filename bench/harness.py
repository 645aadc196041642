"""What every bench needs: a PostgreSQL database, gunicorn instances, a load generator.

Benches (bench/pages.py, bench/rush.py and others) use it like this:

    from bench import harness

    with harness.Environment(database_url=None, instances=2) as env:
        env.prepare()                 # migrate, cache table, static files, the seeded event
        env.start_servers()           # N gunicorn instances via eventsite/gunicorn.conf.py
        result = harness.load(env.base_urls, ["/healthz"], seconds=3, concurrency=16)
        print(result.rate, result.percentile(95))

- Database: with `database_url` (or DATABASE_URL in the environment) that database is
  migrated and its registrations and outbox are emptied by the benches: never point it at
  real data. Without it, a throw-away PostgreSQL cluster is created with initdb in a
  temporary folder and started with pg_ctl on a loopback port (`pg_port`, default: one
  the kernel picks), with fsync off, as the `postgres` user when run as root.
- Servers: `instances` gunicorn masters, each with the project's gunicorn.conf.py
  (workers and threads from GUNICORN_WORKERS/GUNICORN_THREADS or the `workers`/`threads`
  arguments), bound to 127.0.0.1 on consecutive ports from `http_port` (default: free
  ports picked by the kernel). All instances share the one database, as several hosts do.
- Everything started is stopped on leaving the `with` block: also on an exception,
  Ctrl+C (SIGINT) or SIGTERM. Processes are stopped by their own pid, the temporary
  folder (cluster data, static files, logs) is removed unless `keep` is set.
- `load()` runs a bounded load (a duration, never open-ended) from several client
  processes with threads and keep-alive connections, and returns a LoadResult. Rates of
  two targets are only comparable when measured in the same run: benches alternate
  targets in rounds and report ratios to /healthz.

Hooks for fault-injection benches: `env.stop_server(index)` / `env.start_server(index)`
restart one instance, `env.database_url` and `env.pg_ctl(...)` reach the cluster,
`env.start_cluster()` starts it again after a stop,
`env.django()` sets Django up in the bench process against the bench database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import multiprocessing
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BIN_CANDIDATES = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"]
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"
# What Environment.prepare runs in its child process.
PREPARE_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("collectstatic", interactive=False, verbosity=0)
call_command("load_event")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As the servers do: a closed connection in TIME_WAIT does not make a port taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found and name not in {"initdb", "pg_ctl"}:
        return found
    for directory in PG_BIN_CANDIDATES:
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    if found:
        return found
    raise RuntimeError(f"{name} not found: install PostgreSQL or pass --database-url")


class Environment:
    """A bench's database and servers; a context manager that stops all it started."""

    def __init__(
        self,
        *,
        database_url: str | None = None,
        instances: int = 1,
        workers: int | None = None,
        threads: int | None = None,
        http_port: int | None = None,
        pg_port: int | None = None,
        extra_env: dict[str, str] | None = None,
        keep: bool = False,
        quiet: bool = False,
    ):
        self.database_url = database_url or os.environ.get("DATABASE_URL") or None
        self.own_cluster = self.database_url is None
        self.instances = instances
        self.workers = workers
        self.threads = threads
        self.http_port = http_port
        self.pg_port = pg_port
        self.extra_env = extra_env or {}
        self.keep = keep
        self.quiet = quiet
        self.servers: list[subprocess.Popen | None] = []
        self.ports: list[int] = []
        self.tmp: Path | None = None
        self._cluster_started = False
        self.pg_options = ""
        self._previous_handlers: dict[int, object] = {}
        self._django_ready = False

    # --- context ---------------------------------------------------------------------

    def __enter__(self) -> Environment:
        self.tmp = Path(tempfile.mkdtemp(prefix="eventsite-bench-"))
        for signum in (signal.SIGTERM, signal.SIGHUP):
            self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
        try:
            if self.own_cluster:
                self._start_cluster()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc) -> None:
        for index in range(len(self.servers)):
            with contextlib.suppress(Exception):
                self.stop_server(index)
        if self._cluster_started:
            with contextlib.suppress(Exception):
                self._close_django_connections()
                self.pg_ctl("stop", "-m", "fast")
            self._cluster_started = False
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        if self.tmp and not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp:
            self.log(f"kept {self.tmp}")

    def _on_signal(self, signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    def log(self, message: str) -> None:
        if not self.quiet:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    # --- PostgreSQL --------------------------------------------------------------------

    def _as_postgres(self) -> dict:
        """Run cluster commands as the postgres user when we are root (initdb refuses root)."""
        if os.geteuid() != 0:
            return {}
        entry = pwd.getpwnam("postgres")

        def demote():
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)

        return {"preexec_fn": demote}

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [_pg_bin("pg_ctl"), "-D", str(self.tmp / "pgdata"), *args]
        return subprocess.run(
            command,
            check=check,
            capture_output=True,
            text=True,
            cwd=self.tmp,
            **self._as_postgres(),
        )

    def start_cluster(self) -> None:
        """Start the own cluster (again, after `pg_ctl("stop", ...)` in a fault bench)."""
        self.pg_ctl("-o", self.pg_options, "-l", str(self.tmp / "postgresql.log"), "-w", "start")

    def _start_cluster(self) -> None:
        port = self.pg_port or free_port()
        if not port_is_free(port):
            raise RuntimeError(f"port {port} for PostgreSQL is taken")
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.tmp, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [
                _pg_bin("initdb"),
                "-D",
                str(self.tmp / "pgdata"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            cwd=self.tmp,
            **self._as_postgres(),
        )
        options = " ".join(
            [
                f"-p {port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.tmp}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
                "-c shared_buffers=128MB",
            ]
        )
        self.pg_options = options
        self.start_cluster()
        self._cluster_started = True
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE ROLE bench LOGIN PASSWORD 'bench'")
            conn.execute("CREATE DATABASE bench OWNER bench")
        self.pg_port = port
        self.database_url = f"postgres://bench:bench@127.0.0.1:{port}/bench"
        self.log(f"PostgreSQL cluster on 127.0.0.1:{port} (fsync off) in {self.tmp}")

    # --- Django in the bench process -------------------------------------------------------

    def server_env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", BENCH_SECRET_KEY),
            "DEBUG": "false",
            "VAR_DIR": str(self.tmp / "var"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1",
            # Each simulated visitor sends its own X-Forwarded-For, as behind a proxy:
            # otherwise the per-IP rate limit would see one client.
            "BEHIND_PROXY": "true",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "eventsite.settings",
            # The seeded event took place in 2016: the benches measure the site as before
            # the day, with registration open (extra_env may say otherwise).
            "AFTER_THE_EVENT": "false",
        }
        env.pop("GUNICORN_BIND", None)
        if self.workers is not None:
            env["GUNICORN_WORKERS"] = str(self.workers)
        if self.threads is not None:
            env["GUNICORN_THREADS"] = str(self.threads)
        env.update(self.extra_env)
        return env

    def django(self):
        """Set Django up in this process against the bench database (once)."""
        if not self._django_ready:
            os.environ.update(self.server_env())
            if str(BASE_DIR) not in sys.path:
                sys.path.insert(0, str(BASE_DIR))
            import django

            django.setup()
            self._django_ready = True

    def _close_django_connections(self) -> None:
        if self._django_ready:
            from django.db import connections

            connections.close_all()

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            check=True,
            cwd=BASE_DIR,
            env=self.server_env(),
            stdout=subprocess.DEVNULL,
        )

    def prepare(self) -> None:
        """Migrate, create the cache table, collect static files, load the event: in one
        child process, since each Django start-up costs seconds on a loaded machine."""
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", PREPARE_SCRIPT],
            check=True,
            cwd=BASE_DIR,
            env=self.server_env(),
            stdout=subprocess.DEVNULL,
        )
        self.log(f"database prepared in {time.perf_counter() - started:.1f} s")

    # --- gunicorn ----------------------------------------------------------------------

    def start_servers(self) -> list[str]:
        for index in range(self.instances):
            self.start_server(index)
        return self.base_urls

    def start_server(self, index: int) -> None:
        while len(self.ports) <= index:
            if self.http_port:
                self.ports.append(self.http_port + len(self.ports))
            else:
                self.ports.append(free_port())
            self.servers.append(None)
        port = self.ports[index]
        if not port_is_free(port):
            raise RuntimeError(f"port {port} for gunicorn is taken")
        env = self.server_env()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        log = open(self.tmp / f"gunicorn-{index}.log", "ab")  # noqa: SIM115 - kept by Popen
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                "eventsite/gunicorn.conf.py",
                "eventsite.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C in the terminal reaches the bench, not gunicorn
        )
        log.close()
        self.servers[index] = process
        wait_for_port(port, process=process)
        # Every worker imports Django lazily: warm them up before anything is measured.
        for _ in range(20):
            request(self.base_url(index), "GET", "/healthz")
        self.log(f"gunicorn instance {index} (pid {process.pid}) on 127.0.0.1:{port}")

    def stop_server(self, index: int, *, timeout: float = 20.0) -> None:
        process = self.servers[index] if index < len(self.servers) else None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.servers[index] = None

    def base_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    @property
    def base_urls(self) -> list[str]:
        return [self.base_url(i) for i in range(len(self.ports)) if self.servers[i] is not None]

    def server_log(self, index: int) -> str:
        return (self.tmp / f"gunicorn-{index}.log").read_text(errors="replace")


# --- HTTP client ------------------------------------------------------------------------------


@dataclasses.dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    cookies: dict[str, str]


class Client:
    """One visitor: a keep-alive connection, its cookies, its own forwarded IP."""

    def __init__(self, base_url: str, *, forwarded_for: str | None = None, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.forwarded_for = forwarded_for
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        for _attempt in range(2):
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # Retried once, on a new connection, only when a kept-alive connection was
                # closed by the server while idle (as browsers do). A fresh connection that
                # fails is the site's failure: retrying it could send a POST twice and hide
                # the error.
                if not reused:
                    raise
                continue
            seconds = time.perf_counter() - started
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response_headers.get("connection", "").lower() == "close":
                self.close()
            return Response(raw.status, response_headers, data, seconds, self.cookies)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def request(base_url: str, method: str, path: str, **kwargs) -> Response:
    client = Client(base_url)
    try:
        return client.request(method, path, **kwargs)
    finally:
        client.close()


# --- bounded load -------------------------------------------------------------------------------


@dataclasses.dataclass
class LoadResult:
    path: str
    seconds: float
    latencies: list[float]
    statuses: Counter

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)

    def merge(self, other: LoadResult) -> LoadResult:
        return LoadResult(
            self.path,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
            self.statuses + other.statuses,
        )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[min(int(p), 99) - 1]


def client_process_init() -> None:
    """Client processes leave signals to the bench process, which stops everything."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def client_pool(processes: int):
    """A pool of client processes (fork: they need nothing but this module)."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=client_process_init)


def _load_process(args) -> tuple[float, list[float], Counter]:
    base_urls, path, seconds, threads, headers = args
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()

    def run(number: int):
        client = Client(base_urls[number % len(base_urls)])
        mine, codes = [], Counter()
        try:
            while time.monotonic() < deadline:
                try:
                    response = client.request("GET", path, headers=headers)
                except OSError:
                    codes["connection error"] += 1
                    client.close()
                    continue
                mine.append(response.seconds)
                codes[response.status] += 1
        finally:
            client.close()
        with lock:
            latencies.extend(mine)
            statuses.update(codes)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(run, range(threads)))
    return time.monotonic() - started, latencies, statuses


def load(
    base_urls: list[str],
    path: str,
    *,
    seconds: float,
    concurrency: int = 16,
    processes: int = 2,
    headers: dict | None = None,
) -> LoadResult:
    """GET `path` from `concurrency` keep-alive clients for `seconds`, spread over the
    instances and over `processes` client processes (one Python process alone would be
    the bottleneck)."""
    processes = max(1, min(processes, concurrency))
    per_process = [
        concurrency // processes + (i < concurrency % processes) for i in range(processes)
    ]
    jobs = [(base_urls, path, seconds, n, headers or {}) for n in per_process]
    with client_pool(processes) as pool:
        results = pool.map(_load_process, jobs)
    elapsed = max(r[0] for r in results)
    latencies = [x for r in results for x in r[1]]
    statuses = sum((r[2] for r in results), Counter())
    return LoadResult(path, elapsed, latencies, statuses)


def describe_machine() -> str:
    """Date, CPU count, load and versions: what docs/performance.md records with a figure."""
    import platform

    load1, load5, _load15 = os.getloadavg()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load average {load1:.1f}/{load5:.1f} at the start, Python {platform.python_version()}"
    )


# --- CPU by kind of process ----------------------------------------------------------------

# Groups of processes by a word in their command line, first match wins; then the bench's
# own process and its children, then everything else.
SERVER_GROUPS = (("gunicorn", b"gunicorn"), ("PostgreSQL", b"postgres"))


def _cpu_ticks_by_group(
    bench_pid: int, server_groups: tuple[tuple[str, bytes], ...]
) -> tuple[Counter, int, int]:
    """(clock ticks by group, all ticks of the machine, its idle ticks) from /proc.

    A process's ticks include those of its children that ended and were reaped
    (cutime, cstime), so CPU used by a process that ends within a phase stays counted
    with its parent: a PostgreSQL backend with the postmaster, a client process with the
    bench."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    groups: Counter = Counter()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ")
            with open(f"/proc/{entry}/stat") as file:
                # The command name in parentheses may hold spaces: split after it.
                rest = file.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        ppid, ticks = int(rest[1]), sum(int(value) for value in rest[11:15])
        group = next((name for name, word in server_groups if word in command), None)
        if group is None:
            group = "bench clients" if bench_pid in (int(entry), ppid) else "other"
        groups[group] += ticks
    return groups, sum(fields), fields[3] + fields[4]  # idle and iowait


class CpuByPhase:
    """Where the machine's CPU went in each phase of a bench: cores in use on average by
    gunicorn, PostgreSQL, the bench and its client processes, and everything else, and
    how busy the machine was. Linux only (/proc); elsewhere it records nothing.

        cpu = harness.CpuByPhase()
        with cpu.phase("sign-up POSTs"):
            ...
        for line in cpu.lines():
            print(line)

    A snapshot of /proc at the start and the end of each phase, nothing in between, so
    it costs the measured processes nothing while they run."""

    def __init__(self, server_groups: tuple[tuple[str, bytes], ...] = SERVER_GROUPS):
        self.server_groups = server_groups
        self.groups = (*(name for name, _word in server_groups), "bench clients", "other")
        self.available = os.path.exists("/proc/stat")
        self.phases: list[tuple[str, float, Counter, float]] = []
        self._tick = os.sysconf("SC_CLK_TCK") if self.available else 100

    @contextlib.contextmanager
    def phase(self, name: str):
        if not self.available:
            yield
            return
        started = time.monotonic()
        before, total_before, idle_before = _cpu_ticks_by_group(os.getpid(), self.server_groups)
        try:
            yield
        finally:
            after, total_after, idle_after = _cpu_ticks_by_group(os.getpid(), self.server_groups)
            seconds = max(time.monotonic() - started, 1e-9)
            cores = Counter(
                {
                    group: max(after[group] - before[group], 0) / self._tick / seconds
                    for group in self.groups
                }
            )
            machine = max(total_after - total_before, 1)
            busy = 1 - (idle_after - idle_before) / machine
            self.phases.append((name, seconds, cores, busy))

    def lines(self) -> list[str]:
        if not self.available:
            return ["CPU by phase: not measured (no /proc on this system)"]
        lines = [
            f"CPU by phase (cores in use on average; {os.cpu_count()} CPUs): "
            + ", ".join(self.groups)
            + ", and how busy the machine was"
        ]
        for name, seconds, cores, busy in self.phases:
            figures = ", ".join(f"{group} {cores[group]:.2f}" for group in self.groups)
            lines.append(f"  {name:<22} {seconds:5.1f} s: {figures}; busy {busy:.0%}")
        return lines
