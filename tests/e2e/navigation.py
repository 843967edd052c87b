"""Moving around the site's header in a browser, as a visitor would."""


def open_menu(page, label: str):
    """Open a header menu ("Mon espace", "Équipe CNCD") and return the banner to click in."""
    banner = page.get_by_role("banner")
    banner.locator("summary", has_text=label).click()
    return banner
