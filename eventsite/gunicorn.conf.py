"""gunicorn configuration used by `make run` and suitable as a production base."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Connections one worker takes at once (open and keep-alive), 4 per thread. gunicorn's
# default is 1000: a gthread worker accepts while it has fewer, so under a burst of new
# connections one busy worker took dozens and queued them for its two threads while others
# had time. With 4 per thread the rest wait in the listen queue for whichever worker is
# free: in the registration rush, p95 of the sign-ups fell from about 2 s to 1.3 s and of
# the confirmations from 3-6 s to 0.7 s (docs/performance.md). Behind the proxy (which
# opens a connection per request) this costs nothing.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(4 * threads)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# No worker recycling by default: nothing in the site is known to leak, and a recycled
# worker costs a fresh Django start-up (and its first slow requests) exactly when the load
# is highest; at 2000 requests per worker a rush recycled several workers per second.
# GUNICORN_MAX_REQUESTS sets a limit anyway (jitter: a tenth of it, so they never
# restart all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 opens a control socket at one fixed path in $HOME by default; two servers
# on one machine (a second checkout, the CI smoke test) would fight over it. Unused here.
control_socket_disable = True
# Personal links carry their secret in the path: the access log masks it.
logger_class = "eventsite.gunicorn_logging.SecretMaskingLogger"


def post_worker_init(worker):
    # Compiled and rendered once before the worker's first request (eventsite/warmup.py).
    from eventsite.warmup import warm_up

    warm_up()
