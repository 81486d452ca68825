"""gunicorn settings for `make serve` (and the slow-client test): threads, not sync workers.

Sync workers serve one connection each, so six clients that open a connection and never finish
their headers (slowloris) stalled every worker of a small server. gthread workers keep idle
connections in a poller and give each worker a pool of threads; with the defaults here a
2-core server has 5 x 16 = 80 request threads, far more than slow clients can tie up, and
`timeout` restarts a worker that stops answering. The real shield is the shipped nginx
(deploy/nginx/akhbar.conf), which reads whole requests with its own timeouts before passing
them on: `make serve` binds gunicorn to 127.0.0.1 so that, in production, only nginx reaches it.
"""

import multiprocessing
import os

from akhbar.core.environment import read_environment

# The same declared, checked variables as the site (akhbar/core/environment.py): a bad value
# stops gunicorn here, with the same message, before any worker starts.
_env = read_environment(os.environ)

worker_class = "gthread"
workers = _env["AKHBAR_WORKERS"] or multiprocessing.cpu_count() * 2 + 1
threads = _env["AKHBAR_THREADS"]
timeout = 30
graceful_timeout = 30
keepalive = 5
# Requests larger than this are refused by gunicorn before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
