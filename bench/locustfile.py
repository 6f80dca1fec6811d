"""Locust users for bench/pages.py: the pages and their weights come from BENCH_PAGES.

BENCH_PAGES is a JSON list of {"name", "path", "signed_in", "weight", "kind"}; kind is
"get" (a page) or "sign_in" (the sign-in form posted, as a member does once a visit).
"""

import json
import os
import random
import re

from locust import FastHttpUser, between, task

PAGES = json.loads(os.environ["BENCH_PAGES"])
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
PASSWORD = os.environ["BENCH_PASSWORD"]
LOGIN = os.environ.get("BENCH_LOGIN_PATH", "/fr/compte/login/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member_email() -> str:
    return f"bench{random.randrange(MEMBERS)}@bench.example.org"


class Member(FastHttpUser):
    wait_time = between(0, 0)  # as fast as the server answers: throughput is the figure

    def on_start(self) -> None:
        if any(page["signed_in"] for page in PAGES):
            self.sign_in(name=None)

    def sign_in(self, name: str | None) -> None:
        self.client.cookiejar.clear()
        form = self.client.get(LOGIN, name=f"{name} (form)" if name else "setup: sign-in form")
        token = CSRF.search(form.text or "")
        with self.client.post(
            LOGIN,
            data={
                "login": member_email(),
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

    @task
    def visit(self) -> None:
        page = random.choices(PAGES, weights=[p["weight"] for p in PAGES])[0]
        if page["kind"] == "sign_in":
            self.sign_in(name=page["name"])
            return
        with self.client.get(page["path"], name=page["name"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
