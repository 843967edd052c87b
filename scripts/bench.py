"""Benchmark the key pages under gunicorn and PostgreSQL, side by side with a static floor page.

    .venv/bin/python scripts/bench.py [--requests 200] [--concurrency 1] [--pages home,health] [--fresh]

Prepares a dedicated PostgreSQL database (migrate, createcachetable, seed_demo, seed_scale when it
exists), starts gunicorn on 127.0.0.1 with CODEV_BENCHMARK=true, logs the demo accounts in, then
requests every page and the floor `/bench/plancher/` in round-robin order and prints, per page,
client and server latency, SQL queries per request and the ratio to the floor. The table and the
raw numbers go to bench-results/. Exit status 1 when any response is an error (4xx/5xx).
See docs/performance.md.
"""

import argparse
import contextlib
import json
import os
import platform
import queue
import signal
import socket
import statistics
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

# The pages measured: (name, path, role). Later issues add their pages here; a name may appear
# with several roles, and `--pages name` selects every entry of that name.
PAGES = [
    ("home", "/", ANONYMOUS),
    ("home", "/", MEMBER),
    ("signup", "/comptes/signup/", ANONYMOUS),
    ("legal-notice", "/mentions-legales/", ANONYMOUS),
    ("privacy", "/confidentialite/", ANONYMOUS),
    ("accessibility", "/accessibilite/", ANONYMOUS),
    ("health", "/sante/", ANONYMOUS),
]
# Static HTML of a typical page's size (codev_network.views.benchmark_floor): always measured.
FLOOR = ("floor", "/bench/plancher/", ANONYMOUS)


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
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.warmup < 0 or args.workers < 1:
        parser.error("--requests, --concurrency and --workers must be at least 1, --warmup at least 0")
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
    """The environment of every Django process: base settings with DEBUG off and instrumentation on."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="codev_network.settings.base",
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


def start_gunicorn(env, *, port, workers, log_path):
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
        "sync",
        # The default control socket lives in ~/.gunicorn and would clash with another gunicorn.
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    step(f"starting gunicorn on 127.0.0.1:{port} with {workers} workers (log: {relative(log_path)})")
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


def log_in(port, role):
    """Log a demo account in through allauth's form and return its cookies."""
    email, password = ACCOUNTS[role]
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/comptes/login/")
    response = connection.getresponse()
    response.read()
    cookies = cookies_from(response)
    if response.status != 200 or "csrftoken" not in cookies:
        sys.exit(f"GET /comptes/login/ gave {response.status} without a csrftoken cookie")
    body = urlencode({"login": email, "password": password, "csrfmiddlewaretoken": cookies["csrftoken"]})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie_header(cookies),
        "Referer": f"http://127.0.0.1:{port}/comptes/login/",
    }
    connection.request("POST", "/comptes/login/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    cookies |= cookies_from(response)
    if response.status != 302 or "sessionid" not in cookies:
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


def main(argv):
    args = parse_args(argv)
    started = datetime.now(UTC)
    load_before = round(os.getloadavg()[0], 2)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    log_path = RESULTS_DIR / f"gunicorn-{stamp}.log"

    postgres_version = prepare_database(args.database_url, fresh=args.fresh)
    env = app_environment(args.database_url)
    prepare_application(env)

    port = free_port()
    process = start_gunicorn(env, port=port, workers=args.workers, log_path=log_path)
    try:
        wait_until_healthy(process, port, log_path)
        step(f"logging in as {', '.join(ACCOUNTS)}")
        sessions = {ANONYMOUS: {}} | {role: log_in(port, role) for role in ACCOUNTS}

        pages = args.selected
        step(f"warm-up: {args.warmup} requests per page")
        run_requests(port, pages * args.warmup, sessions, args.concurrency, None)
        total = args.requests * len(pages)
        step(f"measuring: {args.requests} requests × {len(pages)} pages, round-robin, concurrency {args.concurrency}")
        results = {page: Samples() for page in pages}
        measure_start = time.perf_counter()
        # Round-robin: each page, then the next, so that every page and the floor share the same conditions.
        run_requests(port, pages * args.requests, sessions, args.concurrency, results)
        elapsed = time.perf_counter() - measure_start
    finally:
        stop_gunicorn(process)
        if log_path.exists() and log_path.stat().st_size == 0:
            log_path.unlink()

    floor_median = statistics.median(results[FLOOR].client_ms)
    rows = [summarise(page, results[page], floor_median) for page in pages]
    missing_headers = [row["page"] for row in rows if row["server_median_ms"] is None]
    if missing_headers:
        sys.exit(f"no Server-Timing header on {', '.join(missing_headers)}: is CODEV_BENCHMARK honoured?")

    machine = machine_info(postgres_version, load_before)
    header = (
        f"Benchmark of {started:%Y-%m-%d %H:%M} UTC: {machine['cpus']} CPUs, {machine['memory_gb']} GB, "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, gunicorn {machine['gunicorn']} "
        f"({args.workers} sync workers), load average {load_before} before the run; "
        f"{args.requests} requests per page after {args.warmup} of warm-up, "
        f"concurrency {args.concurrency}; {total} requests in {elapsed:.1f} s ({total / elapsed:.0f} req/s)."
    )
    table = markdown_table(rows)
    print()
    print(header)
    print()
    print(table)
    print()

    markdown_path = RESULTS_DIR / f"bench-{stamp}.md"
    markdown_path.write_text(f"{header}\n\n{table}\n")
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
                },
                "elapsed_s": elapsed,
                "rows": rows,
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

    failures = [row for row in rows if any(status >= 400 for status in row["statuses"])]
    if failures:
        for row in failures:
            print(f"FAILED: {row['page']} ({row['role']}) answered {row['statuses']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("interrupted")
