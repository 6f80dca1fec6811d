"""Locust users for bench/pages.py: the pages and their weights come from BENCH_PAGES.

BENCH_PAGES is a JSON list of {"name", "path", "signed_in", "weight", "kind"}; kind is
"get" (a page), "sign_in" (the sign-in form posted, as a member does once a visit) or
"opt_out" (the change-of-coverage page opened, then the dental choice posted: opted
out with a proof of other coverage, or covered again, in turn). A path may hold
``{member_id}``: the id of the member record the simulated member has claimed
(bench/populate.py derives it from the account number, so no lookup is needed).

Simulated members start signed in: BENCH_SESSIONS holds one set of cookies per user,
made by bench/pages.py before the runs, so a run measures its page and not the
sign-ins at its start. Only "sign_in" pages sign in during a run.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie

from locust import FastHttpUser, between, task

from bench.populate import email_of, member_id  # PYTHONPATH is the project (bench/pages.py)

PAGES = json.loads(os.environ["BENCH_PAGES"])
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
PASSWORD = os.environ["BENCH_PASSWORD"]
LOGIN = os.environ.get("BENCH_LOGIN_PATH", "/fr/compte/login/")
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS") or "[]")
NEXT_SESSION = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The smallest file the opt-out form accepts as proof of other coverage (a PDF).
PROOF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BOUNDARY = "----aseq-bench-boundary"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def cookie(name: str, value: str, domain: str, path: str) -> Cookie:
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=False,
        domain_initial_dot=False,
        path=path,
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )


class Member(FastHttpUser):
    wait_time = between(0, 0)  # as fast as the server answers: throughput is the figure

    def on_start(self) -> None:
        self.index = 0
        self.opted_out = False
        if not any(page["signed_in"] for page in PAGES):
            return
        if not SESSIONS:
            self.sign_in(name=None)
            return
        session = SESSIONS[next(NEXT_SESSION) % len(SESSIONS)]
        self.index = session["index"]
        for name, value, domain, path in session["cookies"]:
            self.client.cookiejar.set_cookie(cookie(name, value, domain, path))

    @property
    def member_id(self) -> str:
        return str(member_id(self.index))

    def sign_in(self, name: str | None) -> None:
        self.client.cookiejar.clear()
        self.index = random.randrange(MEMBERS)
        self.opted_out = False
        form = self.client.get(LOGIN, name=f"{name} (form)" if name else "setup: sign-in form")
        token = CSRF.search(form.text or "")
        with self.client.post(
            LOGIN,
            data={
                "login": email_of(self.index),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token and token.group(1),
            },
            headers={"Referer": self.host + LOGIN},
            allow_redirects=False,
            name=name or "setup: sign-in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def opt_out(self, page: dict) -> None:
        """Open the change-of-coverage page, then post the dental choice, as a member does."""
        path = page["path"].format(member_id=self.member_id)
        form = self.client.get(path, name=f"{page['name']} (form)")
        token = CSRF.search(form.text or "")
        fields = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "person": self.member_id,
            "part": "dental",
            "choice": "covered" if self.opted_out else "opted_out",
        }
        files = {} if self.opted_out else {"proof": ("preuve.pdf", PROOF, "application/pdf")}
        with self.client.post(
            path,
            data=multipart(fields, files),
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Referer": self.host + path,
            },
            allow_redirects=False,
            name=page["name"],
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"opt-out answered {response.status_code}")
            else:
                self.opted_out = not self.opted_out

    @task
    def visit(self) -> None:
        page = random.choices(PAGES, weights=[p["weight"] for p in PAGES])[0]
        if page["kind"] == "sign_in":
            self.sign_in(name=page["name"])
            return
        if page["kind"] == "opt_out":
            self.opt_out(page)
            return
        path = page["path"].format(member_id=self.member_id)
        with self.client.get(path, name=page["name"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
