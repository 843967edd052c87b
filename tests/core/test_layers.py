"""The floors hold at run time too: no lower app reaches an upper one by a way imports do not show.

import-linter (pyproject.toml, run by .ci/run) checks `import` statements. These tests check the other
ways an app can depend on another: `apps.get_model("label", …)`, a dotted path in a string
(`import_string`, a task or a setting), a lazy model reference (`"label.Model"`), the name of a
reverse relation declared by an upper app's model, and `{% url 'namespace:…' %}` in the templates
an app owns (templates/<app>/).
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _floor_rank() -> dict[str, int]:
    """Each app's floor in the import-linter contract, from the ground floor up (codev_network, the roof,
    excluded); apps side by side on one floor ("training | surveys") share it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [contract["layers"] for contract in contracts if "core" in contract.get("layers", [])]
    floors = [layer for layer in reversed(layers) if layer != "codev_network"]
    return {app.strip(): rank for rank, floor in enumerate(floors) for app in floor.split("|")}


RANK = _floor_rank()
FLOORS = sorted(RANK, key=lambda app: (RANK[app], app))


def _above(app: str) -> set[str]:
    """The apps `app` must not reach: the floors above it, and the apps beside it on its own floor."""
    return {other for other in FLOORS if other != app and RANK[other] >= RANK[app]}


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _strings(path: Path):
    """Every string literal of a module, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_the_floors_are_the_installed_apps():
    project_apps = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert project_apps == set(FLOORS), "each project app has one floor in pyproject.toml's import-linter layers"


@pytest.mark.parametrize("app", FLOORS)
def test_no_string_points_to_an_upper_app(app):
    """apps.get_model("fiches", …), "fiches.Section", "dashboard.report.build"… in a lower app."""
    upper = _above(app)
    if not upper:
        return
    pattern = re.compile(rf"^({'|'.join(sorted(upper))})(\.[A-Za-z_][\w]*)+$")
    found = []
    for path in _python_files(app):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"get_model\(\s*[\"'](\w+)[\"']", source):
            if match[1] in upper:
                found.append(f"{path.relative_to(ROOT)}: get_model({match[1]!r})")
        for line, text in _strings(path):
            if pattern.match(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert not found, f"{app} reaches a floor above it:\n" + "\n".join(found)


def _reverse_names_from_upper_models(app: str) -> set[str]:
    """Names by which `app`'s models reach the models of upper apps (reverse relations they declare)."""
    names = set()
    for model in apps.get_app_config(app).get_models():
        for relation in model._meta.related_objects:
            if relation.related_model._meta.app_label in _above(app) and not relation.hidden:
                names.add(relation.get_accessor_name())
                names.add(relation.field.related_query_name())
    return {name for name in names if name}


@pytest.mark.parametrize("app", FLOORS)
def test_no_reverse_relation_of_an_upper_app_is_used(app):
    """`user.mission_declarations`, `filter(self_assessments__level=…)`: names owned by an upper app."""
    names = _reverse_names_from_upper_models(app)
    if not names:
        return
    pattern = re.compile(rf"(\.({'|'.join(sorted(names))})\b|\b({'|'.join(sorted(names))})__)")
    found = []
    for path in _python_files(app):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.lstrip().startswith("#") and pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    templates = ROOT / "templates" / app
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(rf"\.({'|'.join(sorted(names))})\b", line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, f"{app} uses relations declared by a floor above it:\n" + "\n".join(found)


def _url_namespaces() -> dict[str, str]:
    """URL namespace → app that owns it (from each app's urls.py `app_name`)."""
    owners = {}
    for app in FLOORS:
        urls = ROOT / app / "urls.py"
        if urls.exists():
            match = re.search(r"^app_name = [\"'](\w+)[\"']", urls.read_text(encoding="utf-8"), flags=re.M)
            if match:
                owners[match[1]] = app
    return owners


@pytest.mark.parametrize("app", FLOORS)
def test_templates_link_only_to_their_floor_or_below(app):
    owners = _url_namespaces()
    templates = ROOT / "templates" / app
    if not templates.is_dir():
        return
    found = []
    for path in sorted(templates.rglob("*")):
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for namespace in re.findall(r"\{%\s*url\s+[\"'](\w+):", line):
                owner = owners.get(namespace)
                if owner in _above(app):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {namespace}:")
    assert not found, f"templates of {app} link to a floor above it:\n" + "\n".join(found)


def test_the_checks_see_an_upward_edge(tmp_path, monkeypatch):
    """The string check is not blind: a lower module naming an upper one is reported."""
    fake = tmp_path / "members"
    fake.mkdir()
    (fake / "leak.py").write_text(
        'from django.apps import apps\nVersion = apps.get_model("fiches", "Fiche")\nBUILDER = "dashboard.report.x"\n'
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError, match=r"get_model\('fiches'\)[\s\S]*dashboard\.report\.x"):
        test_no_string_points_to_an_upper_app("members")
