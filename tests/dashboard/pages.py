"""The dashboard as a reader sees it once every section is open: the page, then each section it loads on demand."""

import re
from html import unescape

from django.urls import reverse

NETWORK_URL = reverse("dashboard:network")
# The addresses the page loads its sections from (htmx), one per section it lists.
SECTION_URL = re.compile(r'hx-get="(/chiffres/reseau/[a-z]+/[^"]*)"')


def section_urls(html: str) -> list[str]:
    return [unescape(url) for url in SECTION_URL.findall(html)]


def full_page(client, query=None):
    """The response of the dashboard with every section loaded in place, as htmx does (status 200 checked)."""
    response = client.get(NETWORK_URL, query or {})
    assert response.status_code == 200
    html = response.content.decode()
    for url in section_urls(html):
        part = client.get(url, headers={"HX-Request": "true"})
        assert part.status_code == 200, url
        html = html.replace("</main>", part.content.decode() + "</main>", 1)
    response.content = html.encode()
    return response
