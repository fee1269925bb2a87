"""Locust scenario for bench/load.py: navigators and supervisors working at once.

Not meant to be run by hand (bench/load.py prepares the accounts and starts the server), but it
can be: ``LOAD_ACCOUNTS=accounts.json locust -f bench/locustfile.py --host http://127.0.0.1:8765``.

Each simulated user takes one prepared staff account (signed in with both factors by
bench/load.py; the session cookie is in the accounts file), then works with a think time of
``LOAD_WAIT_MIN`` to ``LOAD_WAIT_MAX`` seconds between actions:

- a navigator (9 in 10 users) opens their caseload, searches it, opens one of their cases,
  looks at its history, opens the appointment form, and writes a case note (GET the form,
  POST it back with its CSRF token and the case version, expect the redirect to the case);
- a supervisor opens the team dashboard, the team's case list (also filtered to breaches) and
  the breach review of one of the team's cases.

Requests are grouped by page (``name=``), so the figures are per screen, not per case.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html import unescape

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115
WAIT = between(
    float(os.environ.get("LOAD_WAIT_MIN", 5)), float(os.environ.get("LOAD_WAIT_MAX", 15))
)
_navigators = itertools.cycle(ACCOUNTS["navigators"])
_supervisors = itertools.cycle(ACCOUNTS["supervisors"])
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, case version) of the form posting to ``action``."""
    start = html.find(f'action="{action}"')
    if start < 0:
        start = html.find("<form")
    end = html.find("</form>", start)
    fields = {}
    for tag in HIDDEN.findall(html[start:end]):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


class StaffUser(HttpUser):
    abstract = True
    wait_time = WAIT
    account: dict

    def take(self, accounts) -> None:
        self.account = next(accounts)
        self.client.cookies.set("sessionid", self.account["session"], domain="127.0.0.1")

    def page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {url}")
            return r.text


class Navigator(StaffUser):
    weight = 9

    def on_start(self) -> None:
        self.take(_navigators)

    def case(self) -> str:
        return random.choice(self.account["cases"])  # noqa: S311 (load mix, not security)

    @task(4)
    def caseload(self) -> None:
        self.page("/caseload/", "caseload")

    @task(1)
    def caseload_search(self) -> None:
        self.page(f"/caseload/?q={self.case()}", "caseload search")

    @task(4)
    def case_page(self) -> None:
        self.page(f"/cases/{self.case()}/", "case page")

    @task(1)
    def case_history(self) -> None:
        self.page(f"/cases/{self.case()}/history/", "case history")

    @task(1)
    def appointment_form(self) -> None:
        self.page(f"/cases/{self.case()}/appointments/new/", "appointment form")

    @task(1)
    def write_note(self) -> None:
        reference = self.case()
        url = f"/cases/{reference}/notes/new/"
        html = self.page(url, "note form")
        fields = hidden_fields(html, url)
        if "csrfmiddlewaretoken" not in fields:
            return  # the form page already failed (recorded above)
        fields["text"] = "Phoned the participant; next appointment confirmed. (load test)"
        with self.client.post(
            url,
            data=fields,
            name="note save",
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + url},
        ) as r:
            if r.status_code != 302:
                r.failure(f"note not saved: {r.status_code}")


class Supervisor(StaffUser):
    weight = 1

    def on_start(self) -> None:
        self.take(_supervisors)

    @task(3)
    def dashboard(self) -> None:
        self.page("/team/", "team dashboard")

    @task(2)
    def team_cases(self) -> None:
        self.page("/team/cases/", "team cases")

    @task(1)
    def team_breaches(self) -> None:
        self.page("/team/cases/?state=breach_review", "team cases (breaches)")

    @task(1)
    def breach_review(self) -> None:
        if self.account["breaches"]:
            reference = random.choice(self.account["breaches"])  # noqa: S311
            self.page(f"/team/cases/{reference}/breach/", "breach review")
