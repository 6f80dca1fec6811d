"""gunicorn in production: ``gunicorn -c python:aseq_portal.gunicorn_config ...``.

- Forwarded headers (``X-Forwarded-Proto``) are believed from the reverse proxy
  only: ``PORTAL_TRUSTED_PROXIES``, the same list the portal reads the client's
  address with (privacy/ip.py). Empty: believed from nobody.
- The access log holds nothing personal (the README's promise): no client
  address, no query string, no referrer, no user agent, and every path segment
  that could identify someone (an id, a token) written as ``{id}``.
- The master refuses to start, in one line, without safe keys and secrets
  (aseq_portal/startup.py), before any worker forks.
"""

from __future__ import annotations

import os
import re

from gunicorn.glogging import Logger

forwarded_allow_ips = os.environ.get("PORTAL_TRUSTED_PROXIES", "")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# A path segment kept as is: a word of our URLs (letters, -, _, .), not an id or token.
_WORD = re.compile(r"[A-Za-z][A-Za-z_.-]{0,39}")


def private_path(path: str | None) -> str:
    """``path`` with every segment that is not a plain word replaced by ``{id}``."""
    if not path:
        return "-"
    if path.startswith("/static/"):
        return path.split("?", 1)[0]  # our own file names
    return "/".join(
        segment if not segment or _WORD.fullmatch(segment) else "{id}"
        for segment in path.split("?", 1)[0].split("/")
    )


class PrivateLogger(Logger):
    """gunicorn's logger, left with atoms that say nothing about who asked."""

    KEPT_ATOMS = ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p", "l")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        kept = {name: atoms[name] for name in self.KEPT_ATOMS}
        kept["U"] = private_path(environ.get("PATH_INFO"))
        kept["r"] = f"{atoms['m']} {kept['U']} {atoms['H']}"
        # Every other atom (address, query, referrer, agent, headers, environ) is "-".
        return kept

    def warning(self, msg, *args, **kwargs):
        # "Invalid request from ip=203.0.113.7: Invalid HTTP Version: 'GET /?courriel=...'"
        # names a client and may quote what they sent: keep only that it happened.
        if isinstance(msg, str) and msg.startswith("Invalid request from"):
            msg, args = "Invalid request from a client (address and request withheld)", ()
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        # "Error handling request GET /path?query": the traceback stays, the URI does not.
        if isinstance(msg, str) and msg.startswith("Error handling request"):
            msg, args = "Error handling request (request withheld)", ()
        super().exception(msg, *args, **kwargs)


logger_class = PrivateLogger


def on_starting(server) -> None:
    """Refuse to serve with missing or public keys: one line, no traceback, no worker."""
    from aseq_portal.startup import refuse_unsafe_start

    refuse_unsafe_start("gunicorn")
