"""gunicorn's configuration for ``lsoplan serve``, read from the environment.

``lsoplan serve`` sets the LSOPLAN_* variables from its flags and starts
``gunicorn -c python:lsoplan.ops.gunicorn_conf lsoplan.wsgi:application``; an operator who runs
gunicorn directly (systemd, a container) can use the same configuration module.
"""

from __future__ import annotations

import os

bind = [os.environ.get("LSOPLAN_BIND", "127.0.0.1:8000")]
# Pages are mostly database-bound and short; two processes per core keeps both cores busy while
# one waits for PostgreSQL.
workers = int(os.environ.get("LSOPLAN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("LSOPLAN_THREADS", "1"))
# Document exports and imports can take a while; anything longer belongs outside the request.
timeout = int(os.environ.get("LSOPLAN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A fresh worker now and then bounds the cost of any slow leak; the jitter keeps them from
# restarting together.
max_requests = int(os.environ.get("LSOPLAN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front is the only client allowed to say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("LSOPLAN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("LSOPLAN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LSOPLAN_GUNICORN_LOG_LEVEL", "info")
proc_name = "lsoplan"
# Heartbeat files in memory rather than on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
