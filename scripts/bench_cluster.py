"""Two-server rehearsal: two gunicorn behind HAProxy, one of them killed in the middle of a load test with writes.

    .venv/bin/python scripts/bench_cluster.py [--users 20] [--duration 75] [--kill-at 0.4] [--workers 2]
    make bench-cluster BENCH_ARGS="--users 20 --duration 90"

Starts, all on 127.0.0.1 and each in its own session: HAProxy (Debian package `haproxy`, installed when
missing) in front of two gunicorn instances of codev_network.wsgi (round robin, health check on /sante/),
Redis for the cache and the sessions (REDIS_URL, a dedicated database number, flushed first), moto's S3
server for the files (S3_BUCKET, S3_ENDPOINT_URL…), one task worker (`manage.py db_worker`) and a fresh
PostgreSQL database `codev_cluster` (migrate, createcachetable, seed_demo, then N members with draft toolbox
resources). Then locust (scripts/cluster_locustfile.py, from .venv-bench/ as scripts/bench.py makes it) runs
through HAProxy: each member logs in with its own account, reads pages, comments on a suggestion of the fiche
(each comment emails a watching member, through the task queue), uploads small PDFs to its resources (S3; each
upload queues a preview task) and downloads them again. At `--kill-at` of the duration, one gunicorn (master
and workers) gets SIGKILL. Afterwards the script checks: no failed write, every acknowledged write in the
database exactly once, no lost session, no lost file (every acknowledged upload downloadable with the same
bytes), no duplicated task (one task per upload and per notification email, run once). The results go to
bench-results/cluster-<timestamp>.md and are printed; exit status 1 when a check fails. Everything it started
is stopped at exit, Ctrl-C included. See docs/performance.md and docs/deployment.md.
"""

import argparse
import contextlib
import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/codev_cluster"
# A Redis database of its own: flushed at start, never shared with the tests (15) or a developer (0).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
BUCKET = "codev-cluster"
EMAIL = "cluster-{n:02d}@cluster.codev-reseau.fr"
PASSWORD = "cluster-banc-2026"  # noqa: S105 - benchmark accounts in the benchmark database only
# The demo member who watches the suggestion and asked for an email at each notification: every comment of
# the run queues exactly one email to them (fiches.notifications), a task whose count the checks compare.
WATCHER = bench.ACCOUNTS[bench.MEMBER][0]
RESOURCES_PER_MEMBER = 4  # a resource holds 10 files at most (toolbox.files): the locustfile rotates
PREVIEW_TASK = "toolbox.tasks.file_preview_render"
EMAIL_TASK = "core.mail.email_send"
TASK_TABLE = "django_tasks_database_dbtaskresult"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="simulated members, each with its account (20)")
    parser.add_argument("--duration", type=int, default=75, help="seconds of load (default 75)")
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction of the duration when app1 dies (0.4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default 2)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help=f"default {DEFAULT_DATABASE_URL}")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help=f"default {DEFAULT_REDIS_URL} (flushed)")
    parser.add_argument("--seed", help=argparse.SUPPRESS)  # internal: run inside Django
    args = parser.parse_args(argv)
    if args.seed is None:
        if not 1 <= args.users <= 25:
            # allauth allows 30 logins a minute from one address: all of them come from 127.0.0.1 here.
            parser.error("--users must be between 1 and 25")
        if args.duration < 20 or not 0.1 <= args.kill_at <= 0.9 or args.workers < 1:
            parser.error("--duration at least 20 s, --kill-at between 0.1 and 0.9, --workers at least 1")
    return args


# --- Seeding (run in a Django process: this script with --seed JSON) -----------------------------------------


def seed(options):
    """N approved members, each with draft resources; the demo member watches a suggestion, emailed at once."""
    import django

    sys.path.insert(0, str(bench.BASE_DIR))
    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from fiches.enums import EmailMode
    from fiches.models import Suggestion
    from fiches.notifications import email_mode_set
    from fiches.services import follow_set
    from members.enums import AccountStatus
    from members.models import Council, Profile, User
    from toolbox import services
    from toolbox.enums import Audience, ResourceKind

    count = options["users"]
    with transaction.atomic():
        password = make_password(PASSWORD)
        council = Council.objects.filter(departments__isnull=False).order_by("pk").first()
        users = User.objects.bulk_create(
            User(email=EMAIL.format(n=n), password=password, status=AccountStatus.APPROVED, first_name="Grappe")
            for n in range(count)
        )
        for n, user in enumerate(users):
            user.last_name = str(n)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        Profile.objects.bulk_create(
            Profile(user=user, display_name=f"Grappe {n}", council=council, category="ABC"[n % 3])
            for n, user in enumerate(users)
        )
        data = {
            "title": "",
            "summary": "Une ressource de la répétition à deux serveurs.",
            "description": "Des fichiers déposés pendant `make bench-cluster`.",
            "audience": Audience.MEMBERS,
            "purpose": "Éprouver le stockage partagé.",
            "group_min": 2,
            "group_max": 20,
            "duration_minutes": 30,
            "materials": "Aucun.",
            "steps": "1. Déposer\n2. Relire",
        }
        accounts = []
        for n, user in enumerate(users):
            resources = [
                services.resource_create(
                    user=user, kind=ResourceKind.METHOD, data={**data, "title": f"Grappe {n}, ressource {r}"}
                ).pk
                for r in range(RESOURCES_PER_MEMBER)
            ]
            accounts.append({"email": user.email, "password": PASSWORD, "resources": resources})
        suggestion = (
            Suggestion.objects.filter(status="open", section__fiche__slug="fiche-commune").order_by("pk").first()
        )
        if suggestion is None:
            sys.exit("seed_demo made no open suggestion on fiche-commune")
        watcher = User.objects.get(email=WATCHER)
        email_mode_set(user=watcher, email_mode=EmailMode.IMMEDIATE)
        follow_set(user=watcher, target=suggestion, following=True)
    print(json.dumps({"accounts": accounts, "suggestion": suggestion.pk, "watcher": watcher.pk}))


# --- Processes ------------------------------------------------------------------------------------------------


class Processes:
    """Everything started, each in its own session (Ctrl-C reaches this script only); stopped at exit."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.started = []  # (name, Popen)

    def start(self, name, command, *, env=None, log_name=None):
        log_path = self.log_dir / (log_name or f"{name}.log")
        with log_path.open("w") as log:
            process = subprocess.Popen(
                command,
                cwd=bench.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((name, process))
        return process

    def kill(self, process):
        """SIGKILL the process and every process of its session (gunicorn's master and its workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self):
        for name, process in reversed(self.started):
            if process.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"    {name} did not stop within 10 s: killed", flush=True)
                self.kill(process)
        self.started.clear()


def wait_for(description, predicate, *, timeout=30, interval=0.2, process=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"{description}: the process exited with status {process.returncode}; see {log}")
        with contextlib.suppress(Exception):
            if predicate():
                return
        time.sleep(interval)
    sys.exit(f"{description}: not ready within {timeout} s" + (f"; see {log}" if log else ""))


def http_status(port, path, headers=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def ensure_haproxy():
    if shutil.which("haproxy"):
        return shutil.which("haproxy")
    bench.step("installing the Debian package haproxy")
    as_root = [] if os.geteuid() == 0 else ["sudo"]
    commands = [[*as_root, "apt-get", "update", "-qq"], [*as_root, "apt-get", "install", "-y", "-qq", "haproxy"]]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in commands:
        if subprocess.run(command, env=env).returncode != 0:
            sys.exit("haproxy is missing and could not be installed: sudo apt-get install haproxy")
    path = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(path).exists():
        sys.exit("haproxy is missing: sudo apt-get install haproxy")
    return path


def ensure_redis(processes, redis_url):
    """Redis at redis_url (started on loopback when nothing answers there), its database flushed."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.ConnectionError:
        server = shutil.which("redis-server")
        if server is None:
            sys.exit(f"no Redis at {redis_url} and no redis-server: sudo apt-get install redis-server")
        port = client.connection_pool.connection_kwargs.get("port", 6379)
        bench.step(f"starting redis-server on 127.0.0.1:{port}")
        process = processes.start(
            "redis",
            [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        )
        wait_for("redis", client.ping, process=process)
    client.flushdb()
    return client


HAPROXY_CONFIG = """\
# Written by scripts/bench_cluster.py for one run (docs/deployment.md explains each line).
global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 75s
    timeout server 65s
    timeout http-request 10s
    option httplog
    log stdout format raw local0
    # A refused connection (dead server) is retried on the other server: the request never left HAProxy.
    retries 3
    option redispatch 1
    # GET and HEAD are also retried when the server died while answering them; never a POST, which the dead
    # server may have committed already (retrying it could write twice).
    retry-on conn-failure empty-response response-timeout

frontend www
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    http-request disable-l7-retry if !METH_GET
    option httpchk
    http-check send meth GET uri /sante/ ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A dead server refuses the check's connection at once: two refusals a second apart take it out. A slow
    # answer (a busy machine) gets 5 s before it counts as a failure.
    timeout check 5s
    default-server check inter 1s fall 2 rise 2
    server app1 127.0.0.1:{app1}
    server app2 127.0.0.1:{app2}

listen stats
    bind 127.0.0.1:{stats}
    stats enable
    stats uri /stats
"""


def haproxy_stats(stats_port):
    """HAProxy's counters per server (CSV of the stats page)."""
    _status, body = http_status(stats_port, "/stats;csv")
    text = body.decode().lstrip("# ")
    return {(row["pxname"], row["svname"]): row for row in csv.DictReader(io.StringIO(text))}


# One request of HAProxy's log (option httplog): server, status, retries ("+" when redispatched), method.
HAPROXY_LINE = re.compile(
    r'\] www app/(\S+) -?\d+/-?\d+/-?\d+/-?\d+/(-?\d+) (-?\d+) .* \d+/\d+/\d+/\d+/(\+?)(\d+) \d+/\d+ "(\w+) (\S+)'
)


def haproxy_retries(log_path, end):
    """What HAProxy retried on the other server, per method and status, and what it answered 5xx, from its log."""
    retried, errors, durations = {}, {}, []
    # Up to `end` bytes: the requests of the load, not those of the checks afterwards.
    for line in log_path.read_bytes()[:end].decode(errors="replace").splitlines():
        found = HAPROXY_LINE.search(line)
        if found is None:
            continue
        _server, total_ms, status, _plus, retries, method, path = found.groups()
        if not path.startswith("/comptes/"):  # logins: Argon2 by design, all at the start
            durations.append(int(total_ms))
        if int(retries):
            retried[(method, status)] = retried.get((method, status), 0) + 1
        if status.startswith("5"):
            errors[(method, status)] = errors.get((method, status), 0) + 1

    def describe(counts):
        return ", ".join(f"{n} {method} → {status}" for (method, status), n in sorted(counts.items())) or "none"

    return describe(retried), describe(errors), bench.p95(durations), len(durations)


# --- Checks ------------------------------------------------------------------------------------------------------


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def get(port, path, cookies):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie_header(cookies)})
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        connection.close()


def wait_for_queue(database_url, since, timeout=180):
    """Wait until the worker has run every task queued since `since`; return how many are still waiting."""
    deadline = time.monotonic() + timeout
    query = f"SELECT count(*) FROM {TASK_TABLE} WHERE enqueued_at >= %s AND status IN ('READY', 'RUNNING')"  # noqa: S608
    while True:
        with psycopg.connect(bench.libpq_url(database_url)) as connection:
            waiting = connection.execute(query, [since]).fetchone()[0]
        if waiting == 0 or time.monotonic() > deadline:
            return waiting
        time.sleep(1)


def run_checks(database_url, port, journal, kill_time, run_end, since, waiting, curator_cookies):
    """Compare what the clients were told with the database, the files and the task queue."""
    checks = []  # (name, ok, detail)
    writes = journal["writes"]
    acknowledged = [w for w in writes if w["acknowledged"]]
    # Writes locust cut short when the run ended (the client went away): neither acknowledged nor failed.
    interrupted = [w for w in writes if w.get("interrupted") or (not w["acknowledged"] and w["end"] >= run_end)]
    failed = [w for w in writes if not w["acknowledged"] and not w.get("interrupted")]
    # A write the dead server was processing (sent before the kill, answered after it): HAProxy does not retry it.
    in_flight = [w for w in failed if w["start"] <= kill_time <= w["end"] + 0.5]
    other_failures = [w for w in failed if w not in in_flight]

    with psycopg.connect(bench.libpq_url(database_url)) as connection:
        comment_counts = dict(
            connection.execute(
                "SELECT body, count(*) FROM fiches_comment WHERE body LIKE 'cluster-%%' GROUP BY body"
            ).fetchall()
        )
        file_rows = connection.execute(
            "SELECT name, id, preview FROM toolbox_resourcefile WHERE name LIKE 'cluster-%%'"
        ).fetchall()
        tasks = connection.execute(
            f"SELECT task_path, args_kwargs, status, worker_ids FROM {TASK_TABLE} WHERE enqueued_at >= %s",  # noqa: S608
            [since],
        ).fetchall()
        comment_ids = dict(
            connection.execute("SELECT body, id FROM fiches_comment WHERE body LIKE 'cluster-%%'").fetchall()
        )

    file_counts = {}
    for name, _pk, _preview in file_rows:
        file_counts[name.removesuffix(".pdf")] = file_counts.get(name.removesuffix(".pdf"), 0) + 1

    def stored(write):
        counts = comment_counts if write["kind"] == "comment" else file_counts
        return counts.get(write["token"], 0)

    missing = [w for w in acknowledged if stored(w) == 0]
    duplicated = [w for w in writes if stored(w) > 1]
    committed_unacknowledged = [w for w in failed if stored(w) == 1]
    checks.append(
        (
            "no failed write",
            not other_failures and not missing,
            f"{len(writes)} writes ({sum(w['kind'] == 'comment' for w in writes)} comments, "
            f"{sum(w['kind'] == 'upload' for w in writes)} uploads): {len(acknowledged)} acknowledged, all in the "
            f"database: {'yes' if not missing else f'no, {len(missing)} missing'}; "
            f"{len(in_flight)} in flight on the killed server at the kill got an error or no answer "
            f"({len(committed_unacknowledged)} of them committed all the same), "
            f"{len(other_failures)} failed otherwise; {len(interrupted)} cut short by the end of the run "
            f"({sum(stored(w) == 1 for w in interrupted)} of them committed)"
            + "".join(f"\n  - {w['kind']} {w['token']}: {w['status']} {w['error']}" for w in other_failures[:10]),
        )
    )
    checks.append(
        (
            "no duplicated write",
            not duplicated,
            f"every comment and file of the run stored at most once ({len(duplicated)} stored twice or more)",
        )
    )

    # Sessions: no redirect to the login page during the run, and every session still valid afterwards.
    lost_during = journal["sessions_lost"]
    lost_after = []
    for email, cookies in journal["cookies"].items():
        status, location, _body = get(port, "/boite-a-outils/mes-ressources/", cookies)
        if status != 200:
            lost_after.append(f"{email}: {status} {location}")
    if curator_cookies:
        status, location, _body = get(port, "/chiffres/reseau/", curator_cookies)
        if status != 200:
            lost_after.append(f"curator (logged in before the load, second factor): {status} {location}")
    after_kill = {email: sum(t > kill_time for t in times) for email, times in journal["authenticated"].items()}
    never_after = [email for email in journal["cookies"] if not after_kill.get(email)]
    checks.append(
        (
            "no lost session",
            not lost_during and not lost_after and not never_after and len(journal["cookies"]) == journal["users"],
            f"{len(journal['cookies'])} of {journal['users']} members logged in; "
            f"{sum(after_kill.values())} authenticated requests after the kill, every member among them: "
            f"{'yes' if not never_after else 'no'}; {len(lost_during)} sent to the login page during the run, "
            f"{len(lost_after)} sessions refused afterwards (members, and the curator's session opened with "
            f"its second factor before the load)"
            + "".join(f"\n  - {line}" for line in (lost_during + lost_after)[:10]),
        )
    )

    # Files: every acknowledged upload downloadable through the app (from S3) with its bytes.
    files = [w for w in acknowledged if w["kind"] == "upload"]
    bad_files = []
    for write in files:
        if not write.get("file_id"):
            bad_files.append(f"{write['token']}: acknowledged but not listed on its resource")
            continue
        status, _location, body = get(
            port, f"/boite-a-outils/fichiers/{write['file_id']}/", journal["cookies"][write["user"]]
        )
        if status != 200 or hashlib.sha256(body).hexdigest() != write["sha256"]:
            bad_files.append(f"{write['token']}: {status}, {len(body)} bytes")
    checks.append(
        (
            "no lost file",
            not bad_files and not journal["download_mismatches"],
            f"{len(files)} acknowledged uploads downloaded again after the run, bytes identical: "
            f"{len(files) - len(bad_files)}; {journal['downloads']} downloads during the run, "
            f"{len(journal['download_mismatches'])} wrong"
            + "".join(f"\n  - {line}" for line in (bad_files + journal["download_mismatches"])[:10]),
        )
    )

    # Tasks: one preview task per stored file, one email per stored comment, each run once by one worker.
    previews, emails, failed_tasks = {}, {}, []
    for task_path, args_kwargs, status, worker_ids in tasks:
        if status != "SUCCESSFUL" or len(worker_ids or []) != 1:
            failed_tasks.append(f"{task_path} {status} workers={worker_ids}")
        if task_path == PREVIEW_TASK:
            file_id = (args_kwargs.get("args") or [None])[0] or args_kwargs.get("kwargs", {}).get("file_id")
            previews[file_id] = previews.get(file_id, 0) + 1
        elif task_path == EMAIL_TASK:
            message = args_kwargs["kwargs"]["message"]
            if message["to"] == [WATCHER]:
                for pk in re.findall(r"#commentaire-(\d+)", message["body"]):
                    emails[int(pk)] = emails.get(int(pk), 0) + 1
    preview_problems = [name for name, pk, _p in file_rows if previews.get(pk) != 1]
    no_preview = [name for name, _pk, preview in file_rows if not preview]
    email_problems = [body for body, pk in comment_ids.items() if emails.get(pk) != 1]
    checks.append(
        (
            "no duplicated task",
            not preview_problems and not email_problems and not failed_tasks and waiting == 0,
            f"{len(tasks)} tasks queued during the run, {waiting} still waiting after the wait; "
            f"{len(file_rows)} files with exactly one preview task: {len(file_rows) - len(preview_problems)} "
            f"(previews stored: {len(file_rows) - len(no_preview)}); {len(comment_ids)} comments with exactly one "
            f"notification email to the watching member: {len(comment_ids) - len(email_problems)}; "
            f"{len(failed_tasks)} tasks not successful or run by more than one worker"
            + "".join(f"\n  - {line}" for line in (failed_tasks + preview_problems + email_problems)[:10]),
        )
    )
    return checks, {
        "writes": len(writes),
        "acknowledged": len(acknowledged),
        "in_flight_failed": len(in_flight),
        "committed_unacknowledged": len(committed_unacknowledged),
        "other_failures": len(other_failures),
    }


# --- Main ---------------------------------------------------------------------------------------------------


def main(argv):
    args = parse_args(argv)
    if args.seed is not None:
        seed(json.loads(args.seed))
        return 0

    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    load_before = round(os.getloadavg()[0], 2)
    bench.RESULTS_DIR.mkdir(exist_ok=True)
    log_dir = bench.RESULTS_DIR / f"cluster-{stamp}"
    log_dir.mkdir()
    haproxy = ensure_haproxy()
    locust_python = bench.bench_venv_python()
    processes = Processes(log_dir)

    def terminate(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C stops everything even when a shell started this script with SIGINT ignored (a background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run(args, processes, haproxy, locust_python, log_dir, stamp, started, load_before)
    finally:
        bench.step("stopping everything")
        processes.stop_all()


def run(args, processes, haproxy, locust_python, log_dir, stamp, started, load_before):
    ports = {name: bench.free_port() for name in ("s3", "app1", "app2", "www", "stats")}

    bench.step(f"Redis {args.redis_url} (flushed)")
    ensure_redis(processes, args.redis_url)

    bench.step(f"moto S3 server on 127.0.0.1:{ports['s3']}, bucket {BUCKET}")
    if importlib.util.find_spec("flask") is None:
        sys.exit(
            "moto's server needs moto[server] (requirements-dev.txt): .venv/bin/pip install -r requirements-dev.txt"
        )
    moto = processes.start(
        "moto", [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(ports["s3"])]
    )
    wait_for("moto_server", lambda: http_status(ports["s3"], "/")[0] == 200, process=moto, log=log_dir / "moto.log")
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{ports['s3']}",
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster",  # noqa: S106 - moto accepts any key
    )
    s3.create_bucket(Bucket=BUCKET)

    env = bench.app_environment(args.database_url)
    env.update(
        CODEV_BENCHMARK="false",
        REDIS_URL=args.redis_url,
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=f"http://127.0.0.1:{ports['s3']}",
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="cluster",
        S3_SECRET_ACCESS_KEY="cluster",  # noqa: S106 - moto accepts any key
        CODEV_TASKS_BACKEND="database",
    )
    postgres_version = bench.prepare_database(args.database_url, fresh=True)
    bench.step("migrate, createcachetable, seed_demo (files in S3)")
    bench.manage(env, "migrate", "--no-input", "-v", "0")
    bench.manage(env, "createcachetable")
    bench.manage(env, "seed_demo")
    bench.step(f"{args.users} members with {RESOURCES_PER_MEMBER} draft resources each; the watching member")
    seeded = subprocess.run(
        [sys.executable, __file__, "--seed", json.dumps({"users": args.users})],
        cwd=bench.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if seeded.returncode != 0:
        print(seeded.stdout + seeded.stderr, file=sys.stderr)
        sys.exit("seeding the cluster members failed")
    seed_data = json.loads(seeded.stdout.strip().splitlines()[-1])

    apps = {}
    for name in ("app1", "app2"):
        apps[name] = bench.start_gunicorn(env, port=ports[name], workers=args.workers, log_path=log_dir / f"{name}.log")
        processes.started.append((name, apps[name]))
    for name in ("app1", "app2"):
        bench.wait_until_healthy(apps[name], ports[name], log_dir / f"{name}.log", timeout=60)
    bench.step("task worker (manage.py db_worker)")
    processes.start("worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"], env=env)
    config = log_dir / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=ports["www"], **{k: ports[k] for k in ("app1", "app2", "stats")}))
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"haproxy refused {config}: {check.stdout}{check.stderr}")
    bench.step(f"HAProxy on 127.0.0.1:{ports['www']} → app1 :{ports['app1']}, app2 :{ports['app2']} (round robin)")
    proxy = processes.start("haproxy", [haproxy, "-db", "-f", str(config)])

    def both_up():
        stats = haproxy_stats(ports["stats"])
        return all(stats[("app", name)]["status"] == "UP" for name in ("app1", "app2"))

    wait_for("HAProxy health checks", both_up, process=proxy, log=log_dir / "haproxy.log")

    # The curator logs in through the balancer (password, then the second factor): the steps land on both
    # servers, and the session must survive the kill like the members'.
    bench.step("logging the curator in through HAProxy (second factor)")
    curator_cookies = bench.log_in(ports["www"], bench.CURATOR)

    journal_path = log_dir / "journal.json"
    prefix = log_dir / "locust"
    locust_env = {
        **os.environ,
        "CODEV_CLUSTER_ACCOUNTS": json.dumps(seed_data["accounts"]),
        "CODEV_CLUSTER_SUGGESTION": str(seed_data["suggestion"]),
        "CODEV_CLUSTER_JOURNAL": str(journal_path),
        "CODEV_CLUSTER_RUN": stamp,
    }
    command = [
        str(locust_python), "-m", "locust", "-f", str(bench.BASE_DIR / "scripts" / "cluster_locustfile.py"),
        "--headless", "--host", f"http://127.0.0.1:{ports['www']}", "--users", str(args.users),
        "--spawn-rate", str(max(1, args.users // 4)), "--run-time", f"{args.duration}s", "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    with psycopg.connect(bench.libpq_url(args.database_url)) as connection:
        since = connection.execute("SELECT now()").fetchone()[0]
    load_average = round(os.getloadavg()[0], 2)
    bench.step(
        f"load: {args.users} members through HAProxy for {args.duration} s; app1 killed at "
        f"{args.kill_at:.0%} ({args.kill_at * args.duration:.0f} s)"
    )
    locust = processes.start("locust", command, env=locust_env)
    load_start = time.time()
    time.sleep(args.kill_at * args.duration)
    # The harsher case: kill app1 while it is answering (HAProxy's current sessions), within 5 s at most.
    busy_deadline = time.monotonic() + 5
    while True:
        stats_before = haproxy_stats(ports["stats"])
        busy = int(stats_before[("app", "app1")]["scur"] or 0)
        if busy or time.monotonic() > busy_deadline:
            break
        time.sleep(0.02)
    kill_time = time.time()
    processes.kill(apps["app1"])
    bench.step(
        f"SIGKILL app1 (gunicorn master {apps['app1'].pid} and its workers) at {kill_time - load_start:.1f} s, "
        f"while it answered {busy} request(s)"
    )
    detected = None
    while time.time() - kill_time < 30:
        with contextlib.suppress(Exception):
            if haproxy_stats(ports["stats"])[("app", "app1")]["status"].startswith("DOWN"):
                detected = time.time() - kill_time
                break
        time.sleep(0.1)
    bench.step(f"HAProxy marked app1 DOWN after {detected:.1f} s" if detected else "HAProxy never marked app1 DOWN")
    try:
        locust.wait(timeout=args.duration + 120)
    except subprocess.TimeoutExpired:
        sys.exit("locust did not finish")
    stats_after = haproxy_stats(ports["stats"])
    log_end = (log_dir / "haproxy.log").stat().st_size

    bench.step("waiting for the worker to run every queued task")
    waiting = wait_for_queue(args.database_url, since)
    if not journal_path.exists():
        sys.exit(f"locust wrote no journal; see {bench.relative(log_dir / 'locust.log')}")
    journal = json.loads(journal_path.read_text())
    bench.step("checks: writes in the database, sessions, files in S3, tasks")
    checks, write_figures = run_checks(
        args.database_url, ports["www"], journal, kill_time, load_start + args.duration, since, waiting, curator_cookies
    )

    rows, aggregated = read_locust_csv(prefix)
    report = write_report(
        args, stamp, started, load_before, load_average, postgres_version, rows, aggregated, checks, write_figures,
        kill_time - load_start, busy, detected, stats_before, stats_after, log_dir, log_end,
    )  # fmt: skip
    print()
    print(report)
    print()
    path = bench.RESULTS_DIR / f"cluster-{stamp}.md"
    path.write_text(report + "\n")
    print(f"Results written to {bench.relative(path)} (logs in {bench.relative(log_dir)}/)")
    failed = [name for name, ok, _detail in checks if not ok]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def read_locust_csv(prefix):
    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        sys.exit(f"locust wrote no statistics; see {bench.relative(stats_path.parent / 'locust.log')}")
    return bench.read_locust_stats(stats_path, with_method=True)


def write_report(
    args, stamp, started, load_before, load_average, postgres_version, rows, aggregated, checks, write_figures,
    kill_offset, busy, detected, stats_before, stats_after, log_dir, log_end,
):  # fmt: skip
    def server(stats, name, column):
        return int(stats.get(("app", name), {}).get(column) or 0)

    served = {name: server(stats_after, name, "stot") for name in ("app1", "app2")}
    retried = server(stats_after, "BACKEND", "wretr")
    redispatched = server(stats_after, "BACKEND", "wredis")
    errors_5xx = int(stats_after.get(("www", "FRONTEND"), {}).get("hrsp_5xx") or 0)
    retried_log, errors_log, p95_pages, pages_count = haproxy_retries(log_dir / "haproxy.log", log_end)
    lines = [
        f"Two-server rehearsal of {started:%Y-%m-%d %H:%M} UTC ({stamp}): {bench.cpu_count()} CPUs, "
        f"PostgreSQL {postgres_version}, load average {load_before} at start, {load_average} before the load. "
        f"HAProxy → 2 gunicorn × {args.workers} sync workers, Redis (cache and sessions, cached_db), moto S3, "
        f"1 db_worker. {args.users} members (each logs in with its own account), think time 1–3 s, "
        f"{args.duration} s; app1 killed (SIGKILL, master and workers) at {kill_offset:.1f} s, while it answered "
        f"{busy} request(s).",
        "",
        f"Through the balancer: {aggregated['requests']} requests, {aggregated['failures']} failures, "
        f"median {aggregated['median_ms']:.0f} ms, p95 {aggregated['p95_ms']:.0f} ms, max "
        f"{aggregated['max_ms']:.0f} ms, {aggregated['req_per_s']:.1f} req/s. Without the logins (Argon2, all "
        f"in the first seconds), HAProxy's log gives p95 {p95_pages or 0:.0f} ms over {pages_count} requests.",
        "",
        (
            f"The kill: HAProxy marked app1 DOWN after {detected:.1f} s (health check every second, 2 failures); "
            if detected
            else "The kill: HAProxy never marked app1 DOWN; "
        )
        + f"app1 answered {server(stats_before, 'app1', 'stot')} requests before it, app2 {served['app2']} in all; "
        f"HAProxy retried {retried} connections and redispatched {redispatched} requests to app2; it answered "
        f"{errors_5xx} responses 5xx to clients. Requests HAProxy sent again to app2 (its log; a POST only after a "
        "connection failure, before app1 received it): "
        f"{retried_log}; answered 5xx: {errors_log}. Writes: {write_figures['writes']}, acknowledged "
        f"{write_figures['acknowledged']}, failed because in flight on app1 at the kill "
        f"{write_figures['in_flight_failed']} (committed anyway: {write_figures['committed_unacknowledged']}), "
        f"failed otherwise {write_figures['other_failures']}.",
        "",
        "| check | result | detail |",
        "| --- | --- | --- |",
    ]
    for name, ok, detail in checks:
        first, *rest = detail.split("\n")
        result = "pass" if ok else "**FAIL**"
        if ok and name == "no failed write" and write_figures["in_flight_failed"]:
            result = f"pass ({write_figures['in_flight_failed']} in flight on the killed server failed)"
        lines.append(f"| {name} | {result} | {first} |")
        lines.extend(f"|  |  | {line.strip()} |" for line in rest)
    lines += ["", bench.load_table(rows, aggregated)]
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("interrupted")
