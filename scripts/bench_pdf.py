"""Measure the PDF exports on the demo data: uncached and cached fiche, référentiel, peak memory.

    DATABASE_URL=sqlite:////tmp/bench-pdf.sqlite3 .venv/bin/python scripts/bench_pdf.py [--runs 5]

The database must hold the demo data (`manage.py migrate && manage.py createcachetable &&
manage.py seed_demo`). Stored PDFs go to a temporary DJANGO_MEDIA_ROOT, removed at the end. Each figure is
the median of --runs downloads through Django's test client (no network, no gunicorn); peak memory
is measured with tracemalloc (Python allocations) and ru_maxrss (the whole process, Pango included).
"""

import argparse
import io
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    media = tempfile.mkdtemp(prefix="bench-pdf-")
    os.environ["DJANGO_MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codev_network.settings.development")
    os.environ.setdefault("DJANGO_DEBUG", "false")

    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.test.utils import setup_test_environment
    from pypdf import PdfReader

    from core import pdf as renderer
    from fiches.models import Fiche, FicheVersion

    setup_test_environment()
    fiche = Fiche.objects.get(slug="fiche-commune")
    version = FicheVersion.objects.of(fiche).order_by("published_at").first()
    fiche_url = f"/fiches/fiche-commune/versions/{version.label}/pdf/"
    referentiel_url = "/referentiel/v1.0/pdf/"
    client = Client(HTTP_HOST="127.0.0.1")

    def clear_store():
        if default_storage.exists("pdf-cache"):
            for directory in default_storage.listdir("pdf-cache")[0]:
                for name in default_storage.listdir(f"pdf-cache/{directory}")[1]:
                    default_storage.delete(f"pdf-cache/{directory}/{name}")

    def timed(url, *, cold):
        durations, cpu, response = [], [], None
        for _ in range(args.runs):
            if cold:
                clear_store()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            durations.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(durations), statistics.median(cpu), response.content

    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    client.get(fiche_url)  # first render of the process: imports, Pango, fonts (reported apart)
    very_first = time.perf_counter() - started
    clear_store()
    started = time.perf_counter()
    client.get(referentiel_url)
    first = time.perf_counter() - started
    fiche_cold, fiche_cold_cpu, fiche_pdf = timed(fiche_url, cold=True)
    fiche_warm, _cpu, _pdf = timed(fiche_url, cold=False)
    ref_cold, ref_cold_cpu, ref_pdf = timed(referentiel_url, cold=True)
    ref_warm, _cpu, _pdf = timed(referentiel_url, cold=False)

    clear_store()
    tracemalloc.start()
    client.get(fiche_url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clear_store()

    print(f"runs per figure: {args.runs} (median)")
    print(f"first render of a fresh process (fiche: imports, Pango, fonts): {very_first * 1000:.0f} ms")
    print(f"second render of a fresh process (référentiel, fonts already loaded): {first * 1000:.0f} ms")
    print(f"fiche {version.label}: {len(PdfReader(io.BytesIO(fiche_pdf)).pages)} pages")
    print(
        f"  uncached download: {fiche_cold * 1000:.0f} ms (CPU {fiche_cold_cpu * 1000:.0f} ms)"
        f"   cached download: {fiche_warm * 1000:.1f} ms"
    )
    print(f"référentiel v1.0: {len(PdfReader(io.BytesIO(ref_pdf)).pages)} pages")
    print(
        f"  uncached download: {ref_cold * 1000:.0f} ms (CPU {ref_cold_cpu * 1000:.0f} ms)"
        f"   cached download: {ref_warm * 1000:.1f} ms"
    )
    print(f"peak Python memory of one fiche render (tracemalloc): {peak / 1e6:.1f} MB")
    print(f"process peak RSS: {baseline_rss:.0f} MB after Django set-up, {maxrss:.0f} MB after all renders")
    print(f"design digest: {renderer._design_digest()}")
    shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
