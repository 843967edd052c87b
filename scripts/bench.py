"""Benchmark the key pages under gunicorn and PostgreSQL, side by side with a static floor page.

    .venv/bin/python scripts/bench.py [--requests 200] [--concurrency 1] [--pages home,health] [--fresh]
    .venv/bin/python scripts/bench.py --load [--load-duration 120] [--load-users 50]   # pages, then load
    .venv/bin/python scripts/bench.py --load-only                                      # load test only

Prepares a dedicated PostgreSQL database (migrate, createcachetable, seed_demo, seed_scale when it
exists), starts gunicorn on 127.0.0.1 with CODEV_BENCHMARK=true, logs the demo accounts in, then
requests every page and the floor `/bench/plancher/` in round-robin order and prints, per page,
client and server latency, SQL queries per request and the ratio to the floor. Then it times the
actions that are not pages (word diff, export, import with preview) in a Django process and, with
`--load`, runs a locust load test (headless, from .venv-bench/) against the same gunicorn. The
tables and the raw numbers go to bench-results/. Exit status 1 when any response is an error
(4xx/5xx) or a load-test request failed. See docs/performance.md.
"""

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import os
import platform
import queue
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench-results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/codev_bench"

ANONYMOUS, MEMBER, CURATOR = "anonymous", "member", "curator"
# Demo accounts from members/demo.py (seed_demo), one per role the pages are requested as.
ACCOUNTS = {
    MEMBER: ("technicienne@demo.codev-reseau.fr", "codev-demo-2026"),
    CURATOR: ("equipe@demo.codev-reseau.fr", "codev-demo-2026"),
}

# The pages measured: (name, path, role[, at most N requests]). Later issues add their pages here; a
# name may appear with several roles, and `--pages name` selects every entry of that name. `{…}` in a
# path is filled from the benchmark database (LOOKUPS below, data of seed_scale); a page whose
# placeholder finds nothing is skipped with a message. Slow pages cap their requests so that the
# default run stays around two minutes.
PAGES = [
    ("home", "/", ANONYMOUS),
    ("home", "/", MEMBER),
    ("signup", "/comptes/signup/", ANONYMOUS),
    ("legal-notice", "/mentions-legales/", ANONYMOUS),
    ("privacy", "/confidentialite/", ANONYMOUS),
    ("accessibility", "/accessibilite/", ANONYMOUS),
    ("health", "/sante/", ANONYMOUS),
    # Directory of 5,000 members: first page, then a search with a region filter.
    ("directory", "/membres/annuaire/", MEMBER, 100),
    ("directory-search", "/membres/annuaire/?q=pays&region={region}", MEMBER, 100),
    ("member-page", "/membres/{member}/", MEMBER),
    # The référentiel of 500 competences (v9.0-echelle, published).
    ("referentiel-missions", "/referentiel/", ANONYMOUS),
    ("referentiel-competences", "/referentiel/v9.0-echelle/competences/", ANONYMOUS, 100),
    ("referentiel-search", "/referentiel/rechercher/?q=concertation", ANONYMOUS),
    ("referentiel-compare", "/referentiel/comparer/?de=v8.0-echelle&a=v9.0-echelle", ANONYMOUS, 100),
    ("referentiel-export-csv", "/referentiel/v9.0-echelle/export/csv/", ANONYMOUS, 50),
    ("referentiel-export-xlsx", "/referentiel/v9.0-echelle/export/xlsx/", ANONYMOUS, 20),
    # The common fiche: 5,000 revisions, 1,000 suggestions.
    ("fiche", "/fiches/fiche-commune/", MEMBER),
    ("fiche-public", "/fiches/fiche-commune/", ANONYMOUS),
    ("fiche-history", "/fiches/fiche-commune/historique/", MEMBER, 100),
    ("section-history", "/fiches/fiche-commune/sections/{busy_section}/historique/", MEMBER, 50),
    ("suggestion", "/fiches/propositions/{suggestion}/", MEMBER),
    # Two revisions, then two published versions, of a 5,000-word section.
    ("section-diff", "/fiches/fiche-echelle/sections/{long_section}/comparer/?de=1&a=2", MEMBER),
    ("fiche-version-diff", "/fiches/fiche-echelle/versions/comparer/?de=v1.0&a=v2.0", ANONYMOUS),
    # PDF: a published version (cached once rendered) and the working draft (rendered every time).
    ("pdf-version", "/fiches/fiche-commune/versions/v2.0-echelle/pdf/", ANONYMOUS, 50),
    ("pdf-draft", "/fiches/fiche-commune/projet/pdf/", MEMBER, 5),
    ("pdf-referentiel", "/referentiel/v1.0/pdf/", ANONYMOUS, 50),
    # The toolbox's catalogue of 2,000 resources: first page, a French full-text search, facets, one resource.
    ("toolbox", "/boite-a-outils/", ANONYMOUS),
    ("toolbox", "/boite-a-outils/", MEMBER),
    ("toolbox-search", "/boite-a-outils/?q=concertation", MEMBER),
    ("toolbox-search", "/boite-a-outils/?q=concertation", ANONYMOUS),
    ("toolbox-filtered", "/boite-a-outils/?nature=methode&mission={mission}&region={region_code}&tri=utile", MEMBER),
    ("toolbox-resource", "/boite-a-outils/{resource}/", MEMBER),
    # Meetings: the list, the founding seminar's page (workshops, minutes, outcomes), the organisers' list of
    # registrations and the attendance sheet (demo data: seed_demo).
    ("meetings", "/rencontres/", ANONYMOUS),
    ("meetings", "/rencontres/", MEMBER),
    ("meeting", "/rencontres/{meeting}/", MEMBER),
    ("meeting-registrations", "/rencontres/{meeting}/inscrits/", CURATOR, 50),
    ("meeting-attendance-pdf", "/rencontres/{meeting}/emargement.pdf", CURATOR, 10),
    # Curator statistics over 5,000 members.
    ("dashboard", "/chiffres/reseau/", CURATOR, 30),
    # Its sections, loaded on demand (htmx asks for the fragment; without JavaScript, the section's own page).
    ("dashboard-section", "/chiffres/reseau/poste/", CURATOR, 50),
    ("dashboard-heatmap", "/chiffres/reseau/autoevaluation/", CURATOR, 30),
    ("key-figures", "/chiffres/", ANONYMOUS),
    # Mon plan de développement of the demo member: levels vs expected (chart + table), help per gap, actions.
    ("training-plan", "/parcours/mon-plan/", MEMBER),
    # The catalogue of 300 trainings: first page, filtered (competence, region, upcoming, sorted), one training.
    ("training-catalogue", "/parcours/formations/", ANONYMOUS),
    ("training-catalogue", "/parcours/formations/", MEMBER),
    (
        "training-catalogue-filtered",
        "/parcours/formations/?q=animer&region={region_code}&a_venir=1&tri=prochaine-session",
        MEMBER,
    ),
    ("training-detail", "/parcours/formations/{training}/", MEMBER),
    # The network's training needs (every region × category protected together, kept 5 minutes), then filtered.
    ("training-needs", "/parcours/equipe/besoins/", CURATOR, 100),
    ("training-needs-filtered", "/parcours/equipe/besoins/?category=A", CURATOR, 100),
    ("training-portfolio", "/parcours/portfolio/", MEMBER, 100),
    # Peer mentoring: the peers who can help on the competence most offered (offers + shared ratings), my requests.
    ("training-mentors", "/parcours/accompagnement/?competence={mentoring_code}", MEMBER),
    ("training-requests", "/parcours/accompagnement/demandes/", MEMBER),
    # Surveys, answering (the load test of 200 submissions is scripts/bench_surveys.py): the home, the notice and
    # the first part of the demo's open campaign.
    ("surveys-home", "/enquetes/", MEMBER),
    ("survey-notice", "/enquetes/{survey_open}/repondre/", MEMBER),
    ("survey-part", "/enquetes/{survey_open}/repondre/partie-1/", MEMBER),
    # La vitrine: 1,000 councils with a published page, 10,000 published works (seed_scale). The map (both
    # measures), the library searched in French, filtered (theme, region, kind, year), the busiest council's page
    # and the network's figures.
    ("showcase-map", "/vitrine/carte/", ANONYMOUS),
    ("showcase-map", "/vitrine/carte/?mesure=travaux", ANONYMOUS),
    ("showcase-search", "/vitrine/travaux/?q=mobilit%C3%A9", ANONYMOUS),
    ("showcase-search", "/vitrine/travaux/?q=logement+jeunes", MEMBER),
    (
        "showcase-library-filtered",
        "/vitrine/travaux/?theme={showcase_theme}&region={region_code}&nature=avis&annee={showcase_year}",
        ANONYMOUS,
    ),
    ("showcase-council", "/vitrine/conseils/{showcase_council}/", ANONYMOUS),
    ("showcase-figures", "/vitrine/chiffres/", ANONYMOUS),
    # L'entraide at 20,000 posts: the busiest space, the question with the most answers, a French search.
    ("exchange-space", "/entraide/espaces/{exchange_space}/", MEMBER),
    ("exchange-question", "/entraide/questions/{exchange_question}/", MEMBER),
    ("exchange-search", "/entraide/recherche/?q=convention", MEMBER),
    ("exchange-search-filtered", "/entraide/recherche/?q=convention&etiquette={exchange_tag}", MEMBER),
]
# Placeholder → SQL returning one value, run against the benchmark database once it is seeded.
LOOKUPS = {
    "region": "SELECT id FROM members_region WHERE code = '53'",
    "member": (
        "SELECT p.user_id FROM members_profile p JOIN members_user u ON u.id = p.user_id "
        "WHERE u.status = 'approved' AND p.council_id IS NOT NULL "
        "ORDER BY (u.email LIKE '%%@echelle.codev-reseau.fr') DESC, u.id LIMIT 1"
    ),
    "busy_section": (
        "SELECT s.id FROM fiches_section s JOIN fiches_fiche f ON f.id = s.fiche_id "
        "JOIN fiches_revision r ON r.section_id = s.id WHERE f.slug = 'fiche-commune' "
        "GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1"
    ),
    "suggestion": (
        "SELECT g.id FROM fiches_suggestion g LEFT JOIN fiches_comment c ON c.suggestion_id = g.id "
        "WHERE g.status = 'open' GROUP BY g.id ORDER BY count(c.id) DESC, g.id LIMIT 1"
    ),
    "mission": (
        "SELECT m.code FROM competences_mission m JOIN competences_frameworkversion v ON v.id = m.version_id "
        "WHERE v.status = 'published' ORDER BY m.order, m.code LIMIT 1"
    ),
    "region_code": "SELECT code FROM members_region WHERE code = '53'",
    # The published resource with the most comments and links: the heaviest detail page.
    "resource": (
        "SELECT r.id FROM toolbox_resource r LEFT JOIN toolbox_resourcecomment c ON c.resource_id = r.id "
        "WHERE r.status = 'publiee' GROUP BY r.id ORDER BY count(c.id) DESC, r.id LIMIT 1"
    ),
    # The meeting with the most registrations: the founding seminar of the demo.
    "meeting": (
        "SELECT m.id FROM meetings_meeting m LEFT JOIN meetings_registration r ON r.meeting_id = m.id "
        "WHERE m.status = 'publiee' GROUP BY m.id ORDER BY count(r.id) DESC, m.id LIMIT 1"
    ),
    "long_section": (
        "SELECT s.id FROM fiches_section s JOIN fiches_fiche f ON f.id = s.fiche_id "
        "WHERE f.slug = 'fiche-echelle' AND s.key = 'texte-long'"
    ),
    # The published training most members followed: the most reviews on its page.
    "training": "SELECT id FROM training_training WHERE status = 'publiee' ORDER BY completion_count DESC, id LIMIT 1",
    # The competence most members offer help on: the longest list of peers.
    "mentoring_code": "SELECT code FROM training_mentoroffer GROUP BY code ORDER BY count(*) DESC, code LIMIT 1",
    # The demo's open survey campaign (surveys/demo.py).
    "survey_open": "SELECT id FROM surveys_campaign WHERE status = 'ouverte' ORDER BY closes_at DESC, id LIMIT 1",
    # The vitrine: the council page with the most published works, the theme most used, a recent year.
    "showcase_council": (
        "SELECT slug FROM showcase_councilpage WHERE status = 'publiee' ORDER BY work_count DESC, id LIMIT 1"
    ),
    "showcase_theme": (
        "SELECT t.slug FROM showcase_theme t JOIN showcase_work_themes wt ON wt.theme_id = t.id "
        "GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1"
    ),
    "exchange_space": "SELECT slug FROM exchange_space ORDER BY question_count DESC, id LIMIT 1",
    "exchange_question": (
        "SELECT id FROM exchange_question WHERE hidden_at IS NULL ORDER BY answer_count DESC, id LIMIT 1"
    ),
    "exchange_tag": "SELECT code FROM exchange_questiontag GROUP BY code ORDER BY count(*) DESC, code LIMIT 1",
    "showcase_year": (
        "SELECT extract(year FROM issued_on)::int - 1 FROM showcase_work WHERE status = 'publie' "
        "ORDER BY issued_on DESC LIMIT 1"
    ),
}
FLOOR = ("floor", "/bench/plancher/", ANONYMOUS)
# The load test's burst: every simulated user opens the fiche within this many seconds (scripts/locustfile.py).
BURST_WINDOW_S = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first (default 20)")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads (default 1)")
    parser.add_argument(
        "--pages", help=f"comma-separated page names (default all: {', '.join(dict.fromkeys(p[0] for p in PAGES))})"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the benchmark database first")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help=f"default {DEFAULT_DATABASE_URL}")
    parser.add_argument("--workers", type=int, default=2 * cpu_count() + 1, help="gunicorn workers (2 × cores + 1)")
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="sync",
        help="gunicorn worker model (default sync; docs/performance.md compares them)",
    )
    parser.add_argument(
        "--redis-url",
        help="cache and sessions in this Redis database (emptied first), as in production; default: the database cache",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker with gthread (default 1)")
    parser.add_argument("--no-actions", action="store_true", help="skip the timed actions (diff, export, import)")
    parser.add_argument("--load", action="store_true", help="run the locust load test after the pages")
    parser.add_argument("--load-only", action="store_true", help="run the load test only (no pages, no actions)")
    parser.add_argument("--load-users", type=int, default=200, help="simulated users of the load test (default 200)")
    parser.add_argument(
        "--burst-at",
        type=int,
        help="seconds into the load test when every simulated user opens the fiche within 10 s, as after an "
        "announcement e-mail (default: half the duration; 0: no burst)",
    )
    parser.add_argument(
        "--load-duration", type=int, default=120, help="seconds the load test lasts (default 120, then it stops)"
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.warmup < 0 or args.workers < 1:
        parser.error("--requests, --concurrency and --workers must be at least 1, --warmup at least 0")
    if args.load_users < 1 or args.load_duration < 5:
        parser.error("--load-users must be at least 1 and --load-duration at least 5 seconds")
    args.load = args.load or args.load_only
    if args.burst_at is None:
        args.burst_at = args.load_duration // 2
    if args.burst_at and args.burst_at + BURST_WINDOW_S > args.load_duration:
        parser.error(f"--burst-at must leave the burst's {BURST_WINDOW_S} s within --load-duration")
    if args.threads < 1 or (args.threads > 1 and args.worker_class != "gthread"):
        parser.error("--threads must be at least 1, and more than 1 only with --worker-class gthread")
    args.selected = select_pages(parser, args.pages)
    return args


def select_pages(parser, names):
    if not names:
        return [*PAGES, FLOOR]
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    known = {page[0] for page in PAGES} | {FLOOR[0]}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [page for page in PAGES if page[0] in wanted] + [FLOOR]


def resolve_pages(database_url, entries):
    """Fill each path's `{placeholder}` from the database; returns [(name, path, role)] and their caps."""
    values = {}
    with psycopg.connect(libpq_url(database_url)) as connection:
        for key, query in LOOKUPS.items():
            row = connection.execute(query).fetchone()
            values[key] = row[0] if row else None
    pages, caps = [], {}
    for name, template, role, *cap in entries:
        missing = [key for key in LOOKUPS if "{" + key + "}" in template and values[key] is None]
        if missing:
            print(f"    skipping {name}: nothing in the database for {', '.join(missing)} (seed_scale?)")
            continue
        page = (name, template.format(**values) if "{" in template else template, role)
        pages.append(page)
        if cap:
            caps[page] = cap[0]
    return pages, caps, values


def libpq_url(database_url):
    return urlunsplit(urlsplit(database_url)._replace(scheme="postgresql"))


def cpu_count():
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def step(message):
    print(f"==> {message}", flush=True)


# --- Database and application set-up -------------------------------------------------------------


def prepare_database(database_url, *, fresh):
    """Create the benchmark database (dropping it first with `fresh`) and return PostgreSQL's version."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"--database-url must be a PostgreSQL URL (got {parts.scheme}://…)")
    name = parts.path.lstrip("/")
    maintenance_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        if fresh:
            step(f"dropping database {name}")
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            step(f"creating database {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return connection.execute("SHOW server_version").fetchone()[0]


def app_environment(database_url):
    """The environment of every Django process: development settings with DEBUG off and instrumentation on."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="codev_network.settings.development",
        DJANGO_DEBUG="false",
        CODEV_BENCHMARK="true",
        DATABASE_URL=database_url,
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    # Static files are not requested here, so whitenoise's "No directory at staticfiles/" is noise.
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), "ignore:No directory at:UserWarning"]))
    # Persistent connections, as in production (settings/production.py uses conn_max_age=60).
    env.setdefault("DATABASE_CONN_MAX_AGE", "60")
    return env


def manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        sys.exit(f"manage.py {' '.join(arguments)} failed (exit {result.returncode})")
    return result.stdout


def prepare_application(env):
    step("migrate, createcachetable, seed_demo")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "seed_demo")
    commands = manage(env, "help", "--commands").split()
    if "seed_scale" in commands:
        step("seed_scale")
        manage(env, "seed_scale")
    else:
        step("no seed_scale command yet: demo data only")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, *, port, workers, log_path, worker_class="sync", threads=1):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "codev_network.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        # The default control socket lives in ~/.gunicorn and would clash with another gunicorn.
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    model = f"{workers} {worker_class} workers" + (f" × {threads} threads" if threads > 1 else "")
    step(f"starting gunicorn on 127.0.0.1:{port} with {model} (log: {relative(log_path)})")
    log = log_path.open("w")
    # Own session: Ctrl-C reaches this script only, which then stops gunicorn in `finally`.
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    return process


def stop_gunicorn(process):
    if process.poll() is not None:
        return
    step("stopping gunicorn")
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_healthy(process, port, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with status {process.returncode}; see {relative(log_path)}")
        with contextlib.suppress(OSError):
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/sante/")
            if connection.getresponse().status == 200:
                connection.close()
                return
        time.sleep(0.2)
    sys.exit(f"/sante/ did not answer 200 within {timeout} s; see {relative(log_path)}")


# --- HTTP client ------------------------------------------------------------------------------------


def cookies_from(response):
    jar = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# The demo staff accounts' authenticator-app secret (members/demo.py, DEMO_TOTP_SECRET).
DEMO_TOTP_SECRET = "RESEAUCODEVDEMO2"  # noqa: S105 - public demo value
SECOND_FACTOR_PATH = "/comptes/2fa/authenticate/"


def totp_code(secret, *, step=0, period=30, digits=6):
    """The code an authenticator app shows for `secret` now, `step` periods later (RFC 6238, SHA-1)."""
    counter = int(time.time()) // period + step
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def post_form(connection, port, path, fields, cookies):
    body = urlencode({**fields, "csrfmiddlewaretoken": cookies["csrftoken"]})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie_header(cookies),
        "Referer": f"http://127.0.0.1:{port}{path}",
    }
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


def log_in(port, role):
    """Log a demo account in through allauth's form, and its second factor for staff; return its cookies."""
    email, password = ACCOUNTS[role]
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/comptes/login/")
    response = connection.getresponse()
    response.read()
    cookies = cookies_from(response)
    if response.status != 200 or "csrftoken" not in cookies:
        sys.exit(f"GET /comptes/login/ gave {response.status} without a csrftoken cookie")
    response = post_form(connection, port, "/comptes/login/", {"login": email, "password": password}, cookies)
    cookies |= cookies_from(response)
    if response.status == 302 and response.getheader("Location") == SECOND_FACTOR_PATH:
        connection.request("GET", SECOND_FACTOR_PATH, headers={"Cookie": cookie_header(cookies)})
        page = connection.getresponse()
        page.read()
        if page.status != 200:
            sys.exit(f"GET {SECOND_FACTOR_PATH} gave {page.status} for {email}")
        # A code is accepted once: when a previous run used this one, the app's next code still passes.
        for step in (0, 1):
            code = totp_code(DEMO_TOTP_SECRET, step=step)
            response = post_form(connection, port, SECOND_FACTOR_PATH, {"code": code}, cookies)
            cookies |= cookies_from(response)
            if response.status == 302:
                break
    connection.close()
    if response.status != 302 or "sessionid" not in cookies or response.getheader("Location") == SECOND_FACTOR_PATH:
        sys.exit(f"logging in as {email} failed (status {response.status}); is seed_demo loaded?")
    return cookies


@dataclass
class Samples:
    client_ms: list = field(default_factory=list)
    server_ms: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    sizes: list = field(default_factory=list)


def fetch(connection, path, cookies):
    headers = {"Cookie": cookie_header(cookies)} if cookies else {}
    start = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    client_ms = (time.perf_counter() - start) * 1000
    if response.getheader("Connection", "").lower() == "close":
        connection.close()  # gunicorn's sync workers close after each response; reconnect next time
    timing = response.getheader("Server-Timing", "")
    server_ms = float(timing.partition("dur=")[2]) if "dur=" in timing else None
    query_count = response.getheader("X-Query-Count")
    return response.status, client_ms, server_ms, int(query_count) if query_count else None, len(body)


def round_robin(pages, rounds, caps):
    """Page 1, page 2, …, floor, then again, `rounds` times; a capped page drops out after its cap."""
    return [page for index in range(rounds) for page in pages if index < caps.get(page, rounds)]


def run_requests(port, schedule, sessions, concurrency, results):
    """Send the scheduled (page, path, role) requests from `concurrency` threads, in schedule order."""
    jobs = queue.SimpleQueue()
    for job in schedule:
        jobs.put(job)
    lock = threading.Lock()
    errors = []

    def worker():
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while True:
                try:
                    page = jobs.get_nowait()
                except queue.Empty:
                    return
                _name, path, role = page
                status, client_ms, server_ms, query_count, size = fetch(connection, path, sessions.get(role))
                if results is None:
                    continue
                with lock:
                    samples = results[page]
                    samples.statuses.append(status)
                    samples.client_ms.append(client_ms)
                    samples.sizes.append(size)
                    if server_ms is not None:
                        samples.server_ms.append(server_ms)
                    if query_count is not None:
                        samples.queries.append(query_count)
        except Exception as error:  # noqa: BLE001 - reported once the threads have joined
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- Statistics and report --------------------------------------------------------------------------


def p95(values):
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def summarise(page, samples, floor_median):
    name, path, role = page
    client_median = statistics.median(samples.client_ms)
    queries = sorted(set(samples.queries))
    return {
        "page": name,
        "path": path,
        "role": role,
        "requests": len(samples.client_ms),
        "statuses": sorted(set(samples.statuses)),
        "client_median_ms": client_median,
        "client_p95_ms": p95(samples.client_ms),
        "server_median_ms": statistics.median(samples.server_ms) if samples.server_ms else None,
        "server_p95_ms": p95(samples.server_ms),
        "queries_min": queries[0] if queries else None,
        "queries_max": queries[-1] if queries else None,
        "size_kb": statistics.median(samples.sizes) / 1024,
        "floor_ratio": client_median / floor_median if floor_median else None,
    }


def markdown_table(rows):
    def ms(value):
        return "–" if value is None else f"{value:.1f}"

    def queries(row):
        if row["queries_min"] is None:
            return "–"
        if row["queries_min"] == row["queries_max"]:
            return str(row["queries_min"])
        return f"{row['queries_min']}–{row['queries_max']} ⚠ varies"

    lines = [
        "| page | role | path | status | median ms | p95 ms | server median ms | server p95 ms "
        "| queries/request | size KB | × floor |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ratio = "–" if row["floor_ratio"] is None else f"{row['floor_ratio']:.2f}"
        cells = [
            row["page"],
            row["role"],
            f"`{row['path']}`",
            ", ".join(map(str, row["statuses"])),
            ms(row["client_median_ms"]),
            ms(row["client_p95_ms"]),
            ms(row["server_median_ms"]),
            ms(row["server_p95_ms"]),
            queries(row),
            f"{row['size_kb']:.1f}",
            ratio,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine_info(postgres_version, load_before):
    memory_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    gunicorn_version = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres_version,
        "gunicorn": gunicorn_version.removeprefix("gunicorn (version ").rstrip(")"),
        # Other work on the machine skews absolute numbers (ratios to the floor much less).
        "load_average_1min_before": load_before,
    }


def relative(path):
    with contextlib.suppress(ValueError):
        return path.relative_to(BASE_DIR)
    return path


# --- Timed actions and load test -------------------------------------------------------------------


ACTIONS_CODE = (
    "import json, django; django.setup(); from devtools.scale import time_actions; print(json.dumps(time_actions()))"
)


def run_actions(env):
    """Time word diff, export and import of the large version in a Django process (devtools.scale)."""
    step("timed actions: word diff, export, import with preview")
    result = subprocess.run([sys.executable, "-c", ACTIONS_CODE], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        sys.exit("the timed actions failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def actions_table(actions):
    lines = ["| action | median ms | max ms | target | met | note |", "| --- | ---: | ---: | ---: | --- | --- |"]
    for row in actions:
        met = "yes" if row["met"] else "**no**"
        lines.append(
            f"| {row['action']} | {row['median_ms']:.1f} | {row['max_ms']:.1f} | < {row['target_ms']} ms "
            f"| {met} | {row['note']} |"
        )
    return "\n".join(lines)


BENCH_VENV = BASE_DIR / ".venv-bench"
BENCH_REQUIREMENTS = BASE_DIR / "requirements-bench.txt"


def bench_venv_python():
    """The load-test virtualenv (.venv-bench/, from requirements-bench.txt), created on first use.

    Apart from .venv/ because locust pins pytest<10 while the project uses pytest 9 with other
    plugins: neither set of pins constrains the other this way.
    """
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / "requirements-bench.txt"
    wanted = BENCH_REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    step(f"installing {relative(BENCH_REQUIREMENTS)} into {relative(BENCH_VENV)}")
    subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(BENCH_REQUIREMENTS)],
        check=True,
    )
    stamp.write_text(wanted)
    return python


def _cpu_seconds(stat_fields, children=False):
    # /proc/<pid>/stat after the command's ")": utime and stime are the 12th and 13th, cutime and cstime next.
    tick = os.sysconf("SC_CLK_TCK")
    used = int(stat_fields[11]) + int(stat_fields[12])
    if children:
        used += int(stat_fields[13]) + int(stat_fields[14])
    return used / tick


def _processes():
    """{pid: (command name, stat fields after the name)} of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                text = (entry / "stat").read_text()
                found[int(entry.name)] = (text[text.index("(") + 1 : text.rindex(")")], text.rpartition(")")[2].split())
    return found


def cpu_snapshot(app_pgid, locust_pid=None):
    """CPU seconds used so far by gunicorn (its process group), PostgreSQL (every server process, with the
    backends already gone) and locust: what a request costs the machine, whatever else runs on it."""
    app = database = load = 0.0
    for pid, (name, fields) in _processes().items():
        if int(fields[2]) == app_pgid:
            app += _cpu_seconds(fields)
        elif name.startswith("postgres"):
            database += _cpu_seconds(fields, children=int(fields[1]) == 1)
        elif locust_pid is not None and (pid == locust_pid or int(fields[1]) == locust_pid):
            load += _cpu_seconds(fields)
    return {"app": app, "postgresql": database, "locust": load}


def run_load_test(port, sessions, pages, *, users, duration, stamp, burst_at=0, app_pgid=None):
    """Run scripts/locustfile.py headless against gunicorn; return (rows, aggregated row, CPU used)."""
    python = bench_venv_python()
    prefix = RESULTS_DIR / f"load-{stamp}"
    env = dict(os.environ)
    env.update(
        CODEV_BENCH_LOCUST_PATHS=json.dumps({name: path for name, path, _role in pages}),
        CODEV_BENCH_LOCUST_SESSIONS=json.dumps({role: cookies for role, cookies in sessions.items() if cookies}),
        CODEV_BENCH_BURST_AT=str(burst_at),
        CODEV_BENCH_BURST_WINDOW=str(BURST_WINDOW_S),
    )
    command = [
        str(python), "-m", "locust", "-f", str(BASE_DIR / "scripts" / "locustfile.py"), "--headless",
        "--host", f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", str(max(1, users // 10)),
        "--run-time", f"{duration}s", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    burst = f", burst at {burst_at} s" if burst_at else ""
    step(f"load test: {users} users, think time 1–3 s{burst}, {duration} s (locust, log: {relative(prefix)}.log)")
    with open(f"{prefix}.log", "w") as log:
        # Locust exits 1 when any request failed; the failures are read from its CSV below.
        before = cpu_snapshot(app_pgid) if app_pgid else None
        locust = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        locust_cpu = 0.0
        deadline = time.monotonic() + duration + 120
        while locust.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                text = Path(f"/proc/{locust.pid}/stat").read_text()
                locust_cpu = _cpu_seconds(text.rpartition(")")[2].split())
            time.sleep(0.5)
        if locust.poll() is None:
            locust.kill()
        locust.wait()
        after = cpu_snapshot(app_pgid) if app_pgid else None
    cpu = None
    if before and after:
        cpu = {part: round(after[part] - before[part], 2) for part in ("app", "postgresql")}
        cpu["locust"] = round(locust_cpu, 2)

    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        sys.exit(f"locust wrote no statistics; see {relative(Path(f'{prefix}.log'))}")
    rows, aggregated = read_locust_stats(stats_path)
    return rows, aggregated, cpu


def read_locust_stats(stats_path, *, with_method=False):
    """Locust's statistics CSV: ([row per request name], the aggregated row); `with_method` names rows "GET name"."""
    import csv

    rows = []
    with Path(stats_path).open() as handle:
        for record in csv.DictReader(handle):
            name = record["Name"]
            rows.append(
                {
                    "name": f"{record['Type']} {name}" if with_method and name != "Aggregated" else name,
                    "requests": int(record["Request Count"]),
                    "failures": int(record["Failure Count"]),
                    "median_ms": float(record["50%"] or 0),
                    "p95_ms": float(record["95%"] or 0),
                    "max_ms": float(record["Max Response Time"] or 0),
                    "req_per_s": float(record["Requests/s"] or 0),
                }
            )
    aggregated = next(row for row in rows if row["name"] == "Aggregated")
    return [row for row in rows if row["name"] != "Aggregated"], aggregated


def load_table(rows, aggregated):
    lines = [
        "| page (journey) | requests | failures | median ms | p95 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*sorted(rows, key=lambda r: r["name"]), aggregated]:
        name = "**all**" if row is aggregated else row["name"]
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['median_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['max_ms']:.0f} | {row['req_per_s']:.1f} |"
        )
    return "\n".join(lines)


def cpu_line(cpu, requests):
    """What the load test cost the machine's processors, per request: the machine's capacity whatever else ran."""
    if not cpu or not requests:
        return ""
    per_request = {part: 1000 * seconds / requests for part, seconds in cpu.items()}
    total = sum(per_request.values())
    return (
        f"\n\nProcessor time per request: gunicorn {per_request['app']:.1f} ms, PostgreSQL "
        f"{per_request['postgresql']:.1f} ms (every server process, other databases included), locust "
        f"{per_request['locust']:.1f} ms; {total:.1f} ms in all, so {cpu_count()} cores serve at most about "
        f"{1000 * cpu_count() / total:.0f} req/s of this mix."
    )


def worker_model(args):
    threads = f" × {args.threads} threads" if args.threads > 1 else ""
    return f"{args.workers} {args.worker_class} workers{threads}"


def database_connections(args):
    if os.environ.get("DATABASE_POOL", "").lower() in {"1", "true", "yes"}:
        connections = "through psycopg's pool"
    else:
        connections = f"with CONN_MAX_AGE={os.environ.get('DATABASE_CONN_MAX_AGE', '60')}"
    cache = "cache and sessions in Redis" if args.redis_url else "cache and sessions in the database"
    return f"{connections}, {cache}"


def main(argv):
    args = parse_args(argv)
    started = datetime.now(UTC)
    load_before = round(os.getloadavg()[0], 2)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    log_path = RESULTS_DIR / f"gunicorn-{stamp}.log"

    postgres_version = prepare_database(args.database_url, fresh=args.fresh)
    env = app_environment(args.database_url)
    if args.redis_url:
        import redis

        step(f"emptying the Redis database {args.redis_url} (cache and sessions of this run)")
        redis.Redis.from_url(args.redis_url).flushdb()
        env["REDIS_URL"] = args.redis_url
    prepare_application(env)
    pages, caps, lookups = resolve_pages(args.database_url, args.selected)
    if args.load_only:
        pages = [page for page in pages if page != FLOOR]

    port = free_port()
    process = start_gunicorn(
        env, port=port, workers=args.workers, log_path=log_path, worker_class=args.worker_class, threads=args.threads
    )
    results, elapsed, total, load = {}, 0.0, 0, None
    try:
        wait_until_healthy(process, port, log_path)
        step(f"logging in as {', '.join(ACCOUNTS)}")
        sessions = {ANONYMOUS: {}} | {role: log_in(port, role) for role in ACCOUNTS}

        if not args.load_only:
            step(f"warm-up: up to {args.warmup} requests per page")
            warmup_caps = {page: max(1, min(args.warmup, cap // 5)) for page, cap in caps.items()}
            run_requests(port, round_robin(pages, args.warmup, warmup_caps), sessions, args.concurrency, None)
            schedule = round_robin(pages, args.requests, caps)
            total = len(schedule)
            step(
                f"measuring: {args.requests} requests × {len(pages)} pages ({total} in all, slow pages capped), "
                f"round-robin, concurrency {args.concurrency}"
            )
            results = {page: Samples() for page in pages}
            measure_start = time.perf_counter()
            # Round-robin: each page, then the next, so that every page and the floor share the same conditions.
            run_requests(port, schedule, sessions, args.concurrency, results)
            elapsed = time.perf_counter() - measure_start
        if args.load:
            load_average = round(os.getloadavg()[0], 2)
            rows, aggregated, cpu = run_load_test(
                port,
                sessions,
                pages,
                users=args.load_users,
                duration=args.load_duration,
                stamp=stamp,
                burst_at=args.burst_at,
                app_pgid=process.pid,
            )
            load = {
                "users": args.load_users,
                "duration_s": args.load_duration,
                "burst_at_s": args.burst_at,
                "load_average_1min_before": load_average,
                "rows": rows,
                "aggregated": aggregated,
                "cpu_seconds": cpu,
            }
    finally:
        stop_gunicorn(process)
        if log_path.exists() and log_path.stat().st_size == 0:
            log_path.unlink()

    actions = []
    if not args.load_only and not args.no_actions:
        if lookups.get("long_section") is None:
            step("no seed_scale data: timed actions skipped")
        else:
            actions = run_actions(env)

    machine = machine_info(postgres_version, load_before)
    rows = []
    sections = []
    if results:
        floor_median = statistics.median(results[FLOOR].client_ms)
        rows = [summarise(page, results[page], floor_median) for page in pages]
        missing_headers = [row["page"] for row in rows if row["server_median_ms"] is None]
        if missing_headers:
            sys.exit(f"no Server-Timing header on {', '.join(missing_headers)}: is CODEV_BENCHMARK honoured?")
        header = (
            f"Benchmark of {started:%Y-%m-%d %H:%M} UTC: {machine['cpus']} CPUs, {machine['memory_gb']} GB, "
            f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, gunicorn {machine['gunicorn']} "
            f"({worker_model(args)}), load average {load_before} before the run; "
            f"{args.requests} requests per page (capped pages fewer) after up to {args.warmup} of warm-up, "
            f"concurrency {args.concurrency}; {total} requests in {elapsed:.1f} s ({total / elapsed:.0f} req/s)."
        )
        sections.append(f"{header}\n\n{markdown_table(rows)}")
    if actions:
        sections.append(
            f"Timed actions (in a Django process, {len(actions)} actions, 5 runs each):\n\n{actions_table(actions)}"
        )
    if load:
        aggregated = load["aggregated"]
        sections.append(
            f"Load test: {load['users']} users (anonymous, member and curator journeys, think time 1–3 s"
            + (
                f"; burst: every user opens the fiche between {load['burst_at_s']} and "
                f"{load['burst_at_s'] + BURST_WINDOW_S} s"
                if load["burst_at_s"]
                else ""
            )
            + f") for {load['duration_s']} s against {worker_model(args)}, database "
            f"{database_connections(args)}, load average "
            f"{load['load_average_1min_before']} before: {aggregated['requests']} requests, "
            f"{aggregated['failures']} failures, {aggregated['req_per_s']:.1f} req/s.\n\n"
            f"{load_table(load['rows'], aggregated)}" + cpu_line(load["cpu_seconds"], aggregated["requests"])
        )
    report = "\n\n".join(sections)
    print()
    print(report)
    print()

    markdown_path = RESULTS_DIR / f"bench-{stamp}.md"
    markdown_path.write_text(report + "\n")
    json_path = markdown_path.with_suffix(".json")
    json_path.write_text(
        json.dumps(
            {
                "started_at": started.isoformat(),
                "machine": machine,
                "options": {
                    "requests": args.requests,
                    "warmup": args.warmup,
                    "concurrency": args.concurrency,
                    "workers": args.workers,
                    "database_url": args.database_url,
                    "load": args.load,
                    "load_users": args.load_users,
                    "load_duration": args.load_duration,
                    "burst_at": args.burst_at,
                    "worker_class": args.worker_class,
                    "threads": args.threads,
                },
                "elapsed_s": elapsed,
                "rows": rows,
                "actions": actions,
                "load": load,
                "samples": {
                    f"{name} {role}": {"client_ms": s.client_ms, "server_ms": s.server_ms}
                    for (name, _path, role), s in results.items()
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"Results written to {relative(markdown_path)} and {relative(json_path)}")

    status = 0
    for row in rows:
        if any(code >= 400 for code in row["statuses"]):
            print(f"FAILED: {row['page']} ({row['role']}) answered {row['statuses']}", file=sys.stderr)
            status = 1
    if load and load["aggregated"]["failures"]:
        print(f"FAILED: {load['aggregated']['failures']} load-test requests failed", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("interrupted")
