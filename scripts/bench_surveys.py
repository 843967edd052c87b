"""Load test of the surveys: 200 members answer one campaign at the same time, through HTTP, under gunicorn.

    .venv/bin/python scripts/bench_surveys.py [--submissions 200] [--concurrency 50] [--workers N] [--fresh]
    make bench-surveys BENCH_ARGS="--submissions 200 --concurrency 50"

Uses the benchmark database of scripts/bench.py (its helpers: database, environment, gunicorn, HTTP client).
Seeds N members (bench-enquete-<n>@bench.codev-reseau.fr, one password hash shared) and a fresh open
anonymous campaign of the test questionnaire (two parts, every kind of question, a condition and a split),
starts gunicorn, then each virtual member, concurrently: logs in through allauth's form, reads the notice,
GETs and POSTs each part, reads the review and sends. Then it checks that exactly N responses exist and
that every participation says "sent" with an empty draft, and prints latency percentiles per step and the
errors. Exit status 1 on any error or a wrong count. Raw numbers go to bench-results/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

CAMPAIGN_TITLE = "Banc d'essai des enquêtes"
EMAIL = "bench-enquete-{n}@bench.codev-reseau.fr"
PASSWORD = "banc-enquete-2026"  # noqa: S105 — benchmark accounts in the benchmark database only
STEPS = ("login", "notice", "part-1", "save-1", "part-2", "save-2", "review", "send")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=200, help="members answering (one submission each)")
    parser.add_argument("--concurrency", type=int, default=50, help="members answering at the same moment")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: 2 × CPUs + 1)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_DATABASE_URL))
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the benchmark database first")
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)  # internal: run inside Django
    return parser.parse_args(argv)


# --- Seeding (run in a Django process: this script with --seed N) -----------------------------------------


def seed(count: int) -> None:
    """N approved members with a profile, and a fresh open anonymous campaign; prints the campaign's id."""
    import django

    sys.path.insert(0, str(bench.BASE_DIR))
    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from members.enums import AccountStatus
    from members.models import Council, Profile, User
    from surveys.models import Campaign
    from tests.surveys.factories import make_campaign

    with transaction.atomic():
        Campaign.objects.filter(title=CAMPAIGN_TITLE).delete()
        questionnaire_pk = None
        password = make_password(PASSWORD)
        council = Council.objects.filter(departments__isnull=False).first()
        if council is None:  # an empty benchmark database: one council, for the region kept with the answers
            from tests.members.factories import CouncilFactory

            council = CouncilFactory(name="Conseil du banc d'essai des enquêtes")
        existing = set(User.objects.filter(email__startswith="bench-enquete-").values_list("email", flat=True))
        users = [
            User(
                email=EMAIL.format(n=n),
                password=password,
                status=AccountStatus.APPROVED,
                first_name="Banc",
                last_name=str(n),
            )
            for n in range(count)
            if EMAIL.format(n=n) not in existing
        ]
        User.objects.bulk_create(users)
        accounts = list(User.objects.filter(email__startswith="bench-enquete-"))
        User.objects.filter(pk__in=[user.pk for user in accounts]).update(password=password)
        with_address = set(EmailAddress.objects.filter(user__in=accounts).values_list("user_id", flat=True))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in accounts
                if user.pk not in with_address
            ]
        )
        with_profile = set(Profile.objects.filter(user__in=accounts).values_list("user_id", flat=True))
        Profile.objects.bulk_create(
            [
                Profile(user=user, display_name=f"Banc {user.last_name}", council=council, category="ABC"[index % 3])
                for index, user in enumerate(accounts)
                if user.pk not in with_profile
            ]
        )
        campaign = make_campaign(title=CAMPAIGN_TITLE)
        questionnaire_pk = campaign.questionnaire_id
    print(json.dumps({"campaign": campaign.pk, "questionnaire": questionnaire_pk}))


# --- One member's journey ----------------------------------------------------------------------------


PAGES = (
    {
        "q-ia": "oui",
        "q-ia-usages": "synthese",
        "q-temps-animer": "50",
        "q-temps-accompagner": "30",
        "q-temps-valoriser": "20",
        "action": "next",
    },
    {
        "q-satisfaction": "4",
        "q-seances": "24",
        "q-outil": "Un tableur partagé",
        "q-remarques": "Un questionnaire rempli par le banc d'essai.",
        "action": "review",
    },
)


@dataclass
class Journey:
    times: dict = field(default_factory=dict)  # step -> client latency (ms)
    server: dict = field(default_factory=dict)  # step -> time spent in Django (ms, Server-Timing)
    queries: dict = field(default_factory=dict)  # step -> SQL queries (X-Query-Count)
    error: str = ""


class Client:
    """One member's HTTP connection and cookies (gunicorn's sync workers close the connection each time)."""

    def __init__(self, port, source):
        self.port = port
        self.source = source
        self.cookies = {}
        self.server_ms = None
        self.queries = None

    def request(self, method, path, fields=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=120, source_address=(self.source, 0))
        try:
            if method == "GET":
                headers = {"Cookie": bench.cookie_header(self.cookies)} if self.cookies else {}
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            else:
                response = bench.post_form(connection, self.port, path, fields or {}, self.cookies)
                body = b""
            self.cookies |= bench.cookies_from(response)
            timing = response.getheader("Server-Timing", "")
            self.server_ms = float(timing.partition("dur=")[2]) if "dur=" in timing else None
            queries = response.getheader("X-Query-Count")
            self.queries = int(queries) if queries else None
            return response.status, response.getheader("Location") or "", body
        finally:
            connection.close()


def timed(journey, step, call, expected, client=None):
    start = time.perf_counter()
    status, location, body = call()
    journey.times[step] = (time.perf_counter() - start) * 1000
    if client is not None and client.server_ms is not None:
        journey.server[step] = client.server_ms
        journey.queries[step] = client.queries
    if status != expected:
        raise RuntimeError(f"{step}: {status} (attendu {expected}) {location}")
    return location, body


def journey(port, n, campaign):
    result = Journey()
    # Each member from its own loopback address (127.0.x.y), as 200 members would come from 200 places: the
    # site's limits per address (allauth: 30 logins a minute) apply to each, not to the benchmark as a whole.
    client = Client(port, f"127.0.{1 + n // 250}.{1 + n % 250}")
    try:
        client.request("GET", "/comptes/login/")
        timed(
            result,
            "login",
            lambda: client.request("POST", "/comptes/login/", {"login": EMAIL.format(n=n), "password": PASSWORD}),
            302,
            client,
        )
        timed(result, "notice", lambda: client.request("GET", f"/enquetes/{campaign}/repondre/"), 200, client)
        for number, page in enumerate(PAGES, start=1):
            path = f"/enquetes/{campaign}/repondre/partie-{number}/"
            timed(result, f"part-{number}", lambda path=path: client.request("GET", path), 200, client)
            timed(
                result, f"save-{number}", lambda path=path, page=page: client.request("POST", path, page), 302, client
            )
        review = f"/enquetes/{campaign}/repondre/relire/"
        timed(result, "review", lambda: client.request("GET", review), 200, client)
        timed(result, "send", lambda: client.request("POST", review, {}), 302, client)
    except Exception as error:  # noqa: BLE001 — counted and reported
        result.error = f"membre {n} : {error}"
    return result


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _spread(values) -> str:
    """ "8" or "8–14": the fewest and the most."""
    if not values:
        return ""
    return str(values[0]) if values[0] == values[-1] else f"{values[0]}–{values[-1]}"


def report(journeys, wall_seconds, counts, args, workers):
    lines = [
        f"# Enquêtes : {args.submissions} envois simultanés ({args.concurrency} à la fois, {workers} workers gunicorn)",
        "",
        f"Machine : {bench.cpu_count()} processeurs ; durée totale {wall_seconds:.1f} s ; "
        f"débit {args.submissions / wall_seconds:.1f} envois/s.",
        "",
        "Client : latence vue par le membre (attente dans la file de gunicorn comprise) ; serveur : temps passé "
        "dans Django (Server-Timing) ; requêtes SQL par page.",
        "",
        "| étape | n | médiane (ms) | p90 (ms) | p95 (ms) | p99 (ms) | max (ms) | serveur médiane (ms) "
        "| serveur p95 (ms) | requêtes SQL |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in (*STEPS, "parcours (hors connexion)"):
        if step.startswith("parcours"):
            values = [sum(v for k, v in j.times.items() if k != "login") for j in journeys if not j.error]
        else:
            values = [j.times[step] for j in journeys if step in j.times]
        if not values:
            continue
        if step.startswith("parcours"):
            server = [sum(v for k, v in j.server.items() if k != "login") for j in journeys if not j.error]
        else:
            server = [j.server[step] for j in journeys if step in j.server]
        queries = sorted({j.queries[step] for j in journeys if j.queries.get(step) is not None})
        lines.append(
            f"| {step} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 90):.0f} | "
            f"{percentile(values, 95):.0f} | {percentile(values, 99):.0f} | {max(values):.0f} | "
            f"{statistics.median(server) if server else float('nan'):.0f} | "
            f"{percentile(server, 95):.0f} | {_spread(queries)} |"
        )
    errors = [j.error for j in journeys if j.error]
    lines += [
        "",
        f"Erreurs : {len(errors)}.",
        f"Réponses enregistrées : {counts['responses']} (attendu {args.submissions}) ; participations « envoyée » "
        f"au brouillon vide : {counts['sent']} ; réponses portant un nom ou une heure : {counts['linked']}.",
    ]
    lines += [f"- {error}" for error in errors[:20]]
    return "\n".join(lines)


def main(argv):
    args = parse_args(argv)
    if args.seed:
        seed(args.seed)
        return 0
    bench.prepare_database(args.database_url, fresh=args.fresh)
    env = bench.app_environment(args.database_url)
    bench.step("migrate, createcachetable")
    bench.manage(env, "migrate", "--no-input", "-v", "0")
    bench.manage(env, "createcachetable")
    bench.step(f"seeding {args.submissions} members and an open campaign")
    seeded = subprocess.run(
        [sys.executable, __file__, "--seed", str(args.submissions)],
        cwd=bench.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if seeded.returncode != 0:
        print(seeded.stdout + seeded.stderr, file=sys.stderr)
        return 1
    campaign = json.loads(seeded.stdout.strip().splitlines()[-1])["campaign"]
    bench.RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    log_path = bench.RESULTS_DIR / f"surveys-gunicorn-{stamp}.log"
    workers = args.workers or 2 * bench.cpu_count() + 1
    port = bench.free_port()
    process = bench.start_gunicorn(env, port=port, workers=workers, log_path=log_path)
    try:
        bench.wait_until_healthy(process, port, log_path)
        bench.step(f"{args.submissions} members answering, {args.concurrency} at a time")
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            journeys = list(pool.map(lambda n: journey(port, n, campaign), range(args.submissions)))
        wall = time.perf_counter() - start
    finally:
        bench.stop_gunicorn(process)
    with psycopg.connect(bench.libpq_url(args.database_url)) as connection:
        counts = {
            "responses": connection.execute(
                "SELECT count(*) FROM surveys_response WHERE campaign_id = %s", [campaign]
            ).fetchone()[0],
            "sent": connection.execute(
                "SELECT count(*) FROM surveys_participation WHERE campaign_id = %s AND status = 'envoyee' "
                "AND draft = '{}'::jsonb",
                [campaign],
            ).fetchone()[0],
            "linked": connection.execute(
                "SELECT count(*) FROM surveys_response WHERE campaign_id = %s AND (respondent_id IS NOT NULL "
                "OR submitted_at IS NOT NULL OR updated_at IS NOT NULL)",
                [campaign],
            ).fetchone()[0],
        }
    text = report(journeys, wall, counts, args, workers)
    print(text)
    path = bench.RESULTS_DIR / f"surveys-{stamp}.md"
    path.write_text(text + "\n", encoding="utf-8")
    raw = bench.RESULTS_DIR / f"surveys-{stamp}.json"
    raw.write_text(
        json.dumps([{"times": j.times, "server": j.server, "queries": j.queries, "error": j.error} for j in journeys]),
        encoding="utf-8",
    )
    bench.step(f"written {bench.relative(path)} and {bench.relative(raw)}")
    failed = any(j.error for j in journeys) or counts["responses"] != args.submissions or counts["linked"]
    return 1 if failed or counts["sent"] != args.submissions else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
