"""The soak's users (bench/soak.py starts locust with this file): each takes the session of a
demo account (signed in by soak.py before the clock starts: a sign-in costs the password hash),
then reads the pages an employee reads all day and drafts one 公文 a minute."""

import itertools
import json
import os
import re
import time

from locust import HttpUser, between, task

TARGETS = json.loads(os.environ["SOAK_TARGETS"])
SESSIONS = itertools.cycle(TARGETS["sessions"].items())
SEARCH_TERMS = itertools.cycle(["通知", "安全生产", "制度", "会议", "培训"])
DRAFT_EVERY_SECONDS = 60


class Employee(HttpUser):
    wait_time = between(2, 6)

    def on_start(self):
        self.username, cookie = next(SESSIONS)
        # Production cookies are Secure; over loopback HTTP the header is sent by hand.
        self.client.headers["Cookie"] = cookie
        self.next_draft = time.monotonic() + DRAFT_EVERY_SECONDS * (hash(self) % 100) / 100

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(4)
    def home(self):
        self.page("/", "home")

    @task(2)
    def notices(self):
        self.page(TARGETS["notices"], "notices")

    @task(2)
    def news(self):
        self.page(TARGETS["news"], "news column")

    @task(2)
    def search(self):
        self.page(f"/search/?q={next(SEARCH_TERMS)}", "search")

    @task(2)
    def knowledge(self):
        self.page(TARGETS["knowledge"], "knowledge category")

    @task(2)
    def todo(self):
        self.page(TARGETS["todo"], "to-do")
        if time.monotonic() >= self.next_draft:
            self.next_draft += DRAFT_EVERY_SECONDS
            self.draft()

    def draft(self) -> None:
        """The first step of an outgoing document: the drafter saves the draft."""
        form = self.client.get(TARGETS["draft"], name="draft form", allow_redirects=False)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        csrf = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"])
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "doc_type": "notice",
            "title": f"关于{self.username}的压力测试通知",
            "direction": TARGETS["direction"],
            "classification": TARGETS["classification"],
            "main_outside": "各部门",
            "body": "<p>正文。</p>",
            "copies": "1",
        }
        cookie = f"{self.client.headers['Cookie']}; csrftoken={csrf.group(1)}"
        with self.client.post(
            TARGETS["draft"],
            data=data,
            headers={"Cookie": cookie},
            name="draft save (workflow step)",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"HTTP {r.status_code}")
