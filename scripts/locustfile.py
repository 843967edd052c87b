"""Load test of the key pages: anonymous visitors, members and the CNCD team, with think time.

Run by `scripts/bench.py --load` (docs/performance.md), which starts gunicorn, logs the demo
accounts in once and passes, through the environment:
- CODEV_BENCH_LOCUST_PATHS: {page name: path} of the pages of scripts/bench.py, placeholders filled;
- CODEV_BENCH_LOCUST_SESSIONS: {role: {cookie: value}} of the logged-in demo member and curator (one
  login per role: logging in 50 simulated users would trip allauth's login rate limit).

Only 127.0.0.1 may be targeted: the test refuses any other host.
"""

import json
import os
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PATHS = json.loads(os.environ.get("CODEV_BENCH_LOCUST_PATHS", "{}"))
SESSIONS = json.loads(os.environ.get("CODEV_BENCH_LOCUST_SESSIONS", "{}"))


@events.test_start.add_listener
def _local_only(environment, **_kwargs):
    host = urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1 (got {environment.host!r})")
    if not PATHS:
        raise SystemExit("CODEV_BENCH_LOCUST_PATHS is empty: run the load test through scripts/bench.py --load")


class Journey(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        if self.role:
            self.client.cookies.update(SESSIONS[self.role])

    def visit(self, name):
        """GET the page `name` when bench.py measured it (a page skipped there is skipped here)."""
        path = PATHS.get(name)
        if path is None:
            return
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class AnonymousVisitor(Journey):
    """Someone discovering the network: home, the référentiel, the published fiche, key figures, the toolbox."""

    weight = 4

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
