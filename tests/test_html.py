"""The helpers that read a response as a person would (tests/html.py)."""

import pytest
from django.http import HttpResponse, StreamingHttpResponse

from tests.html import (
    assert_in_main,
    assert_not_in_main,
    content_text,
    main_text,
    page_text,
    select,
    select_one,
    text_of,
)

PAGE = """<!doctype html>
<html lang="fr"><head><title>Titre</title><style>p { color: red }</style></head>
<body>
  <nav><a href="/">Accueil</a></nav>
  <main id="contenu">
    <h1>L&#x27;équipe   CNCD</h1><p>Première<br>ligne</p><p>Un <strong>mot</strong> fort.</p>
    <script>const secret = "dans un script";</script>
    <template><p>Modèle inerte</p></template>
    <div hidden>Caché</div>
    <!-- un commentaire -->
    <input name="email" value="camille@example.org"><input type="hidden" name="jeton" value="abc">
    <textarea name="body">Texte saisi</textarea>
  </main>
  <footer>Pied de page</footer>
</body></html>"""


def test_the_text_is_what_a_person_reads():
    response = HttpResponse(PAGE)
    assert main_text(response) == (
        "L'équipe CNCD Première ligne Un mot fort. camille@example.org Texte saisi"
    )  # entities decoded, blocks apart, inline runs together, the values of fields shown
    assert page_text(response) == f"Accueil {main_text(response)} Pied de page"


def test_scripts_templates_hidden_elements_comments_and_hidden_fields_are_not_text():
    text = page_text(HttpResponse(PAGE))
    for unseen in ("dans un script", "Modèle inerte", "Caché", "commentaire", "abc", "color"):
        assert unseen not in text


def test_the_whole_content_still_shows_what_the_text_hides():
    content = content_text(HttpResponse(PAGE))
    assert 'const secret = "dans un script"' in content and "L'équipe" in content


def test_selectors_find_elements_and_their_attributes():
    response = HttpResponse(PAGE)
    assert select_one(response, 'main#contenu input[name="email"]').get("value") == "camille@example.org"
    assert [text_of(p) for p in select(response, "main > p")] == ["Première ligne", "Un mot fort."]
    with pytest.raises(AssertionError, match="2 éléments"):
        select_one(response, "main input")


def test_a_fragment_and_a_streamed_response_are_read_too():
    fragment = HttpResponse('<section id="apercu"><ins>ajouté</ins></section>')
    assert page_text(fragment) == "ajouté" and select(fragment, "section#apercu ins")
    streamed = StreamingHttpResponse(iter([b"<main><p>En ", b"morceaux</p></main>"]))
    assert main_text(streamed) == "En morceaux"
    assert content_text(streamed) == "<main><p>En morceaux</p></main>"  # read twice: the content was kept


def test_main_assertions_name_what_is_missing():
    response = HttpResponse(PAGE)
    assert_in_main(response, "équipe CNCD", "mot fort")
    with pytest.raises(AssertionError, match="Pied de page"):
        assert_in_main(response, "Pied de page")
    assert_not_in_main(response, "Accueil")
    with pytest.raises(AssertionError, match="fort"):
        assert_not_in_main(response, "fort")
