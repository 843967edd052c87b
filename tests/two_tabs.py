"""Replaying a lost update through the HTTP layer: the same form opened twice, then saved twice."""

from datetime import date

from tests.html import content_text


def form_data(form) -> dict:
    """What the browser sends back for `form` untouched: its current values, hidden tokens included."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data


def open_form(client, url, *, form_key="form", **params) -> dict:
    """GET the edit page (a browser tab) and return what its form would send."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return form_data(response.context[form_key])


def save_twice(first_client, second_client, url, first_changes: dict, second_changes: dict, **params):
    """Two tabs open `url`; the first saves `first_changes`, then the second `second_changes`."""
    first_tab = open_form(first_client, url, **params)
    second_tab = open_form(second_client, url, **params)
    first = first_client.post(url, first_tab | first_changes)
    assert first.status_code == 302, content_text(first)[-3000:]
    second = second_client.post(url, second_tab | second_changes)
    return second
