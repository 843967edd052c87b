"""Take full-page screenshots of URLs with Debian's Chromium: python scripts/screenshot.py URL OUT.png [URL OUT.png ...]

Set CODEV_SCREENSHOT_LOGIN=email:password to log in first (through the site's login form); staff accounts
then answer the second-factor step with CODEV_SCREENSHOT_TOTP_CODE (default: the demo code of run.sh).
"""

import os
import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(argv):
    pairs = list(zip(argv[::2], argv[1::2], strict=True))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        login = os.environ.get("CODEV_SCREENSHOT_LOGIN")
        if login:
            email, password = login.split(":", 1)
            base = pairs[0][0].split("/", 3)
            page.goto(f"{base[0]}//{base[2]}/comptes/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", password)
            page.click("form.account-form button[type=submit]")
            page.wait_for_url(lambda url: "/comptes/login/" not in url)
            if "/2fa/authenticate/" in page.url:
                page.fill("input[name=code]", os.environ.get("CODEV_SCREENSHOT_TOTP_CODE", "123456"))
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
        for url, out in pairs:
            page.goto(url)
            page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
