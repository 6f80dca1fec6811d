"""The portal served by gunicorn on loopback, against its own freshly migrated database."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ops.loopback import (
    free_port,
    gunicorn_start,
    postgres_database_create,
    postgres_database_drop,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.e2e.settings"


@dataclass
class Database:
    """A dedicated database next to DATABASE_URL's (PostgreSQL), or a SQLite file."""

    url: str
    admin_url: str | None = None
    name: str | None = None

    @classmethod
    def create(cls, workdir: Path) -> Database:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            return cls(url=f"sqlite:///{workdir / 'e2e.sqlite3'}")
        name = f"{urlsplit(base).path.lstrip('/') or 'aseq'}_e2e_{os.getpid()}"
        url, admin_url = postgres_database_create(base, name)
        postgres_database_create(base, f"{name}_keys")  # the key store, as settings name it
        return cls(url=url, admin_url=admin_url, name=name)

    def drop(self) -> None:
        if self.admin_url and self.name:
            postgres_database_drop(self.admin_url, self.name)
            postgres_database_drop(self.admin_url, f"{self.name}_keys")


@dataclass
class Server:
    workdir: Path
    database: Database
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DJANGO_IGNORE_DOTENV="true",
            DATABASE_URL=self.database.url,
            E2E_MAIL_DIR=str(self.mail_dir),
            MEDIA_ROOT=str(self.workdir / "media"),
            PYTHONPATH=str(ROOT),
        )
        return env

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def python(self, code: str) -> str:
        """Run Django code against the server's database (set up data for a journey)."""
        prelude = "import django; django.setup()\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            raise RuntimeError(f"setup code failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def age_sign_in(self, session_key: str, seconds: int = 600) -> None:
        """As if the session had signed in ``seconds`` ago (setup_data.sign_in_age)."""
        self.python(
            "from tests.e2e.setup_data import sign_in_age\n"
            f"sign_in_age(session_key={session_key!r}, seconds={seconds})\n"
        )

    def start(self) -> None:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "media").mkdir(exist_ok=True)
        self.manage("migrate", "--noinput")
        self.manage("migrate", "--database", "keystore", "--noinput")
        self.manage("seed_demo")
        self.process = gunicorn_start(
            env=self.env(), port=self.port, workers=1, threads=4, log_path=self.log_path
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.database.drop()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # --- Mail ------------------------------------------------------------------
    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        """Every message the portal sent to an address, oldest first."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            # The file backend appends each message followed by a line of 79 dashes.
            # Bytes, not text: an 8bit UTF-8 body parsed from a str comes out garbled.
            for chunk in path.read_bytes().split(b"-" * 79):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                if address.lower() in str(message.get("To", "")).lower():
                    found.append(message)
        return found

    def link_in_last_mail(self, address: str, pattern: str, timeout: float = 10) -> str:
        """The first link matching pattern in the newest mail to address (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            mails = self.mails_to(address)
            if mails:
                body = mails[-1].get_body(preferencelist=("plain", "html")).get_content()
                for url in re.findall(r"https?://[^\s<>\"]+", body):
                    if re.search(pattern, url):
                        return url
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} with a link matching {pattern!r}")
            time.sleep(0.2)
