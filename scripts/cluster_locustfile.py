"""Load test of the two-server rehearsal (scripts/bench_cluster.py): members who write while a server dies.

Run by `scripts/bench_cluster.py`, which starts HAProxy, two gunicorn, Redis, moto's S3 and the task worker,
seeds the members and passes, through the environment:
- CODEV_CLUSTER_ACCOUNTS: [{email, password, resources: [draft toolbox resource ids]}], one per simulated user;
- CODEV_CLUSTER_SUGGESTION: the suggestion of the fiche they comment on;
- CODEV_CLUSTER_JOURNAL: where to write, at the end, what each client sent and was told (bench_cluster.py
  compares it with the database, S3 and the task queue);
- CODEV_CLUSTER_RUN: a tag that makes every comment and file of the run unique.

Each member logs in with its own account (its own session), then reads pages, comments on the suggestion,
uploads small PDFs to its resources and downloads them again. A write is "acknowledged" when the app answered
the redirect that follows a success. Only 127.0.0.1 may be targeted.
"""

import hashlib
import itertools
import json
import os
import random
import re
import time
import zlib
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(os.environ.get("CODEV_CLUSTER_ACCOUNTS", "[]"))
SUGGESTION = os.environ.get("CODEV_CLUSTER_SUGGESTION", "")
JOURNAL = os.environ.get("CODEV_CLUSTER_JOURNAL", "")
RUN = os.environ.get("CODEV_CLUSTER_RUN", "run")
FILES_PER_RESOURCE = 9  # a resource holds 10 files at most (toolbox.files)
LOGIN = "/comptes/login/"
PAGES = [
    ("fiche", "/fiches/fiche-commune/"),
    ("suggestion", f"/fiches/propositions/{SUGGESTION}/"),
    ("my-resources", "/boite-a-outils/mes-ressources/"),
    ("toolbox", "/boite-a-outils/"),
    ("meetings", "/rencontres/"),
]

_next_account = itertools.count()
_journal = {
    "users": 0,
    "writes": [],
    "sessions_lost": [],
    "cookies": {},
    "authenticated": {},
    "downloads": 0,
    "download_mismatches": [],
}


@events.test_start.add_listener
def _local_only(environment, **_kwargs):
    host = urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1 (got {environment.host!r})")
    if not ACCOUNTS or not JOURNAL:
        raise SystemExit("CODEV_CLUSTER_ACCOUNTS is empty: run it through scripts/bench_cluster.py")


@events.quitting.add_listener
def _write_journal(**_kwargs):
    with open(JOURNAL, "w") as handle:
        json.dump(_journal, handle)


def small_pdf(text):
    """A one-page PDF (a few hundred bytes) showing `text`: valid enough for pdfium to draw its preview."""
    stream = zlib.compress(f"BT /F1 18 Tf 40 780 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


class ClusterMember(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        index = next(_next_account)
        if index >= len(ACCOUNTS):
            raise SystemExit("more simulated users than accounts")
        account = ACCOUNTS[index]
        self.email = account["email"]
        self.resources = account["resources"]
        self.uploads = 0
        self.files = []  # (file id, sha256) acknowledged
        self.serial = itertools.count(1)
        self.logged_in = False
        _journal["users"] += 1
        self.client.get(LOGIN, name="login page")
        with self.client.post(
            LOGIN,
            data={"login": self.email, "password": account["password"], "csrfmiddlewaretoken": self._csrf()},
            headers={"Referer": self.host + LOGIN},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location.startswith(LOGIN) or "sessionid" not in self.client.cookies:
                response.failure(f"login refused: {response.status_code} {location}")
                return
        self.logged_in = True
        _journal["authenticated"][self.email] = []

    def on_stop(self):
        if self.logged_in:
            _journal["cookies"][self.email] = dict(self.client.cookies.items())

    def _csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def _token(self, kind):
        return f"cluster-{RUN}-{kind}-{self.email.split('@')[0]}-{next(self.serial)}"

    def _seen(self, response, name):
        """Count an authenticated answer; a redirect to the login page means the session was lost."""
        location = response.headers.get("Location", "")
        if response.status_code in (301, 302) and urlsplit(location).path.startswith(LOGIN):
            _journal["sessions_lost"].append(f"{self.email}: {name} sent to {location} at {time.time():.1f}")
            response.failure(f"{name}: session lost (sent to the login page)")
            return False
        if response.status_code < 500:
            _journal["authenticated"][self.email].append(time.time())
        return True

    @task(4)
    def browse(self):
        if not self.logged_in:
            return
        name, path = random.choice(PAGES)
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if self._seen(response, name) and response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")

    def _write(self, kind, path, name, *, data, files=None):
        """POST a write; return (acknowledged, response location)."""
        record = {"kind": kind, "user": self.email, "token": data.pop("_token"), "start": time.time()}
        record.update(status=0, error="", acknowledged=False)
        try:
            with self.client.post(
                path,
                data={**data, "csrfmiddlewaretoken": self._csrf()},
                files=files,
                headers={"Referer": self.host + path},
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                record["status"] = response.status_code
                location = response.headers.get("Location", "")
                ok = self._seen(response, name) and response.status_code == 302
                if not ok:
                    record["error"] = (response.text or "")[:120] if response.status_code else repr(response.error)
                    response.failure(f"{name} answered {response.status_code}")
                record["acknowledged"] = ok
                return record, location
        except BaseException as error:
            # Locust stopping the user at the end of the run (GreenletExit) while the request was under way.
            record["interrupted"] = True
            record["error"] = repr(error)
            raise
        finally:
            record["end"] = time.time()
            _journal["writes"].append(record)

    @task(3)
    def comment(self):
        if not self.logged_in:
            return
        token = self._token("commentaire")
        record, location = self._write(
            "comment",
            f"/fiches/propositions/{SUGGESTION}/commenter/",
            "comment",
            data={"body": token, "parent": "", "_token": token},
        )
        if record["acknowledged"] and "#commentaire-" not in location:
            record["acknowledged"] = False
            record["error"] = f"refused by the app: {location}"

    @task(2)
    def upload(self):
        if not self.logged_in:
            return
        resource = self.resources[min(self.uploads // FILES_PER_RESOURCE, len(self.resources) - 1)]
        self.uploads += 1
        token = self._token("fichier")
        content = small_pdf(token)
        record, _location = self._write(
            "upload",
            f"/boite-a-outils/{resource}/fichiers/",
            "upload PDF",
            data={"_token": token},
            files={"file": (f"{token}.pdf", content, "application/pdf")},
        )
        record["sha256"] = hashlib.sha256(content).hexdigest()
        if not record["acknowledged"]:
            return
        # The redirect is the same on success and refusal: the resource's page lists the file when it was added.
        with self.client.get(
            f"/boite-a-outils/{resource}/", name="resource page", allow_redirects=False, catch_response=True
        ) as response:
            if not self._seen(response, "resource page") or response.status_code != 200:
                response.failure(f"resource page answered {response.status_code}")
                return
            found = re.search(rf'href="/boite-a-outils/fichiers/(\d+)/"[^>]*>{re.escape(token)}\.pdf<', response.text)
        if found is None:
            record["acknowledged"] = False
            record["error"] = "refused by the app: not listed on the resource"
            return
        record["file_id"] = int(found.group(1))
        self.files.append((record["file_id"], record["sha256"]))

    @task(2)
    def download(self):
        if not self.logged_in or not self.files:
            return
        file_id, sha256 = random.choice(self.files)
        with self.client.get(
            f"/boite-a-outils/fichiers/{file_id}/", name="download", allow_redirects=False, catch_response=True
        ) as response:
            if not self._seen(response, "download"):
                return
            _journal["downloads"] += 1
            if response.status_code != 200 or hashlib.sha256(response.content).hexdigest() != sha256:
                _journal["download_mismatches"].append(f"{self.email}: file {file_id} answered {response.status_code}")
                response.failure(f"download of file {file_id}: {response.status_code} or other bytes")
