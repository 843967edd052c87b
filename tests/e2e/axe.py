"""axe-core checks for browser tests, limited to the WCAG 2.0 and 2.1 A/AA rules the platform commits to."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


class AccessibilityError(AssertionError):
    """axe-core found WCAG A/AA violations on a page."""


def axe_violations(page, *, skip_rules=()) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (axe's own dictionaries)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if skip_rules:
        options["rules"] = {rule: {"enabled": False} for rule in skip_rules}
    # Axe.run injects axe-core through page.evaluate (the DevTools protocol), which the page's CSP
    # does not apply to: no script tag is added and no CSP bypass is needed.
    return _axe.run(page, options=options).response["violations"]


def format_violations(violations: list[dict], *, url: str = "") -> str:
    lines = [f"{len(violations)} violation(s) WCAG A/AA détectée(s) par axe-core sur {url or 'la page'} :"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    · {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page, *, skip_rules=()) -> None:
    """Fail with a readable list when axe-core finds WCAG 2.0/2.1 A or AA violations on the page.

    `skip_rules` is for a violation we cannot fix (third-party markup); each use says why.
    """
    violations = axe_violations(page, skip_rules=skip_rules)
    if violations:
        raise AccessibilityError(format_violations(violations, url=page.url))
