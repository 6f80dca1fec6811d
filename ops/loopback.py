"""The portal on loopback, for the browser journeys and the load bench.

Both serve the real WSGI application with gunicorn on 127.0.0.1, each against
a PostgreSQL database of its own created next to DATABASE_URL's and dropped at
the end. No traffic leaves the machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_database_create(base_url: str, name: str) -> tuple[str, str]:
    """A fresh database ``name`` on ``base_url``'s server: (its URL, the admin URL)."""
    import psycopg

    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin_url


def postgres_database_drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def gunicorn_start(
    *, env: dict[str, str], port: int, workers: int, threads: int, log_path: Path
) -> subprocess.Popen:
    """gunicorn (gthread) serving the portal on 127.0.0.1:``port``, once /readyz answers."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable, "-m", "gunicorn", "aseq_portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads), "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            ready = f"http://127.0.0.1:{port}/readyz"
            with urllib.request.urlopen(ready, timeout=2) as answer:  # nosec B310
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
    raise RuntimeError(f"gunicorn did not answer /readyz in 30 s:\n{tail}")
