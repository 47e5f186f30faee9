"""gunicorn settings for serving onestop: `gunicorn -c gunicorn.conf.py wsgi:app` (README, "Serving").

ONESTOP_BIND (default 0.0.0.0:8000) and ONESTOP_WORKERS (default two per core plus one) adjust it;
the database comes from DATABASE_URL and the secret key from FLASK_SECRET_KEY, as for the app.
"""
import multiprocessing
import os

bind = os.environ.get("ONESTOP_BIND", "0.0.0.0:8000")
# Sync workers: each request is short, and PostgreSQL round trips overlap across processes.
workers = int(os.environ.get("ONESTOP_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# A province's yearly report takes a few seconds; nothing else comes near a minute.
timeout = 60
graceful_timeout = 30
# Used only by a worker class that keeps connections open: the sync workers close each connection after its
# answer (gunicorn ignores keepalive for them). The desk PCs keep theirs to nginx in front (README, "Serving").
keepalive = 5
accesslog = os.environ.get("ONESTOP_ACCESS_LOG", "-")
errorlog = "-"
