"""Load test of the key pages: anonymous visitors, members and the CNCD team, with think time.

Run by `scripts/bench.py --load` (docs/performance.md), which starts gunicorn, logs the demo
accounts in once and passes, through the environment:
- CODEV_BENCH_LOCUST_PATHS: {page name: path} of the pages of scripts/bench.py, placeholders filled;
- CODEV_BENCH_LOCUST_SESSIONS: {role: {cookie: value}} of the logged-in demo member and curator (one
  login per role: logging in 200 simulated users would trip allauth's login rate limit);
- CODEV_BENCH_BURST_AT and CODEV_BENCH_BURST_WINDOW: the burst, as after an announcement e-mail to every
  member: from BURST_AT seconds after the start, every simulated user opens the fiche once, each at a
  moment drawn within the WINDOW seconds (members and the team the working draft, visitors the published
  fiche), cutting their think time short. Those requests are reported apart as "burst: …". 0: no burst.

Simulated users are locust's FastHttpUser (geventhttpclient, keep-alive): the client's own CPU is a few
times lighter than with python-requests, which matters when 200 users and the server share two cores.

Only 127.0.0.1 may be targeted: the test refuses any other host.
"""

import json
import os
import random
import time
from urllib.parse import urlsplit

from locust import FastHttpUser, events, task

PATHS = json.loads(os.environ.get("CODEV_BENCH_LOCUST_PATHS", "{}"))
SESSIONS = json.loads(os.environ.get("CODEV_BENCH_LOCUST_SESSIONS", "{}"))
BURST_AT = float(os.environ.get("CODEV_BENCH_BURST_AT", "0"))
BURST_WINDOW = float(os.environ.get("CODEV_BENCH_BURST_WINDOW", "10"))
THINK_TIME = (1.0, 3.0)
STARTED = {"at": None}


@events.test_start.add_listener
def _local_only(environment, **_kwargs):
    host = urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1 (got {environment.host!r})")
    if not PATHS:
        raise SystemExit("CODEV_BENCH_LOCUST_PATHS is empty: run the load test through scripts/bench.py --load")
    STARTED["at"] = time.monotonic()


class Journey(FastHttpUser):
    abstract = True
    role = ""
    # The page every user of this role opens in the burst.
    burst_page = "fiche"

    def on_start(self):
        cookies = SESSIONS.get(self.role, {}) if self.role else {}
        self.headers = {"Cookie": "; ".join(f"{key}={value}" for key, value in cookies.items())} if cookies else {}
        self.burst_moment = None
        if BURST_AT:
            started = STARTED["at"] or time.monotonic()
            self.burst_moment = started + BURST_AT + random.uniform(0, BURST_WINDOW)

    def wait_time(self):
        """Think 1–3 s, but wake up at this user's moment of the burst (the e-mail has just arrived)."""
        think = random.uniform(*THINK_TIME)
        if self.burst_moment is not None:
            return max(0.0, min(think, self.burst_moment - time.monotonic()))
        return think

    def run_burst_if_due(self):
        if self.burst_moment is not None and time.monotonic() >= self.burst_moment:
            self.burst_moment = None
            self.visit(self.burst_page, label=f"burst: {self.burst_page}")
            return True
        return False

    def visit(self, name, label=None):
        """GET the page `name` when bench.py measured it (a page skipped there is skipped here)."""
        if label is None and self.run_burst_if_due():
            return
        path = PATHS.get(name)
        if path is None:
            return
        with self.client.get(
            path, name=label or name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class AnonymousVisitor(Journey):
    """Someone discovering the network: home, the référentiel, the published fiche, key figures, the toolbox."""

    weight = 4
    burst_page = "fiche-public"

    @task(3)
    def home(self):
        self.visit("home")

    @task(3)
    def referentiel(self):
        self.visit("referentiel-missions")

    @task(2)
    def competences(self):
        self.visit("referentiel-competences")

    @task(2)
    def search(self):
        self.visit("referentiel-search")

    @task(1)
    def compare(self):
        self.visit("referentiel-compare")

    @task(2)
    def fiche(self):
        self.visit("fiche-public")

    @task(1)
    def key_figures(self):
        self.visit("key-figures")

    @task(1)
    def version_pdf(self):
        self.visit("pdf-version")

    @task(2)
    def toolbox(self):
        self.visit("toolbox")

    @task(1)
    def toolbox_search(self):
        self.visit("toolbox-search")

    @task(1)
    def meetings(self):
        self.visit("meetings")

    @task(1)
    def training_catalogue(self):
        self.visit("training-catalogue")

    @task(1)
    def showcase_map(self):
        self.visit("showcase-map")

    @task(1)
    def showcase_search(self):
        self.visit("showcase-search")

    @task(1)
    def showcase_council(self):
        self.visit("showcase-council")

    @task(1)
    def showcase_figures(self):
        self.visit("showcase-figures")


class Member(Journey):
    """A technician: the directory, a colleague's page, the working draft of the fiche and its history, the
    toolbox (search, filters, a resource), the meetings, their development plan, the surveys, the entraide
    (a space, a question, a search) and the vitrine's search."""

    weight = 5
    role = "member"

    @task(3)
    def directory(self):
        self.visit("directory")

    @task(2)
    def directory_search(self):
        self.visit("directory-search")

    @task(2)
    def member_page(self):
        self.visit("member-page")

    @task(3)
    def fiche(self):
        self.visit("fiche")

    @task(1)
    def fiche_history(self):
        self.visit("fiche-history")

    @task(2)
    def suggestion(self):
        self.visit("suggestion")

    @task(1)
    def section_diff(self):
        self.visit("section-diff")

    @task(1)
    def referentiel(self):
        self.visit("referentiel-competences")

    @task(2)
    def toolbox_search(self):
        self.visit("toolbox-search")

    @task(1)
    def toolbox_filtered(self):
        self.visit("toolbox-filtered")

    @task(2)
    def toolbox_resource(self):
        self.visit("toolbox-resource")

    @task(1)
    def meetings(self):
        self.visit("meetings")

    @task(2)
    def meeting(self):
        self.visit("meeting")

    @task(2)
    def training_plan(self):
        self.visit("training-plan")

    @task(1)
    def training_catalogue(self):
        self.visit("training-catalogue")

    @task(1)
    def surveys_home(self):
        self.visit("surveys-home")

    @task(2)
    def exchange_space(self):
        self.visit("exchange-space")

    @task(2)
    def exchange_question(self):
        self.visit("exchange-question")

    @task(1)
    def exchange_search(self):
        self.visit("exchange-search")

    @task(1)
    def showcase_search(self):
        self.visit("showcase-search")


class Curator(Journey):
    """The CNCD team: the statistics, the fiche and its suggestions, the directory."""

    weight = 1
    role = "curator"

    @task(2)
    def dashboard(self):
        self.visit("dashboard")
        self.visit("dashboard-section")  # a section the page loads as it is scrolled to (issue 22)

    @task(2)
    def fiche(self):
        self.visit("fiche")

    @task(1)
    def suggestion(self):
        self.visit("suggestion")

    @task(1)
    def directory(self):
        self.visit("directory")

    @task(1)
    def meeting_registrations(self):
        self.visit("meeting-registrations")

    @task(1)
    def training_needs(self):
        self.visit("training-needs")
