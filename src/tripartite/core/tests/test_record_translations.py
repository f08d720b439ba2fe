"""Translations of records (issue 8): added by editors per language, shown as translations
in the reader's language, versioned and logged, never replacing the original."""

from __future__ import annotations

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.core.errors import InvalidInput
from tripartite.core.history import versions_of
from tripartite.core.models import ContentTranslation
from tripartite.core.translation_services import translate_record
from tripartite.forums import services as fs
from tripartite.forums.models import Letter
from tripartite.forums.tests import factories as ff
from tripartite.forums.tests.editing import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter() -> Letter:
    forum = ff.forum()
    ff.seat(forum, ff.organization("cso", "civil_society"))
    return ff.letter(forum=forum, subject="We leave the forum")


@pytest.fixture
def editor(client: Client) -> Client:
    client.force_login(user("editor", staff=True))
    return client


def test_an_editor_translates_a_record_through_the_form(editor: Client, letter: Letter) -> None:
    url = f"/translate/{letter.public_id}/"
    assert editor.get(url).status_code == 200
    response = editor.post(
        url, {"language": "es", "subject": "Dejamos el foro", "body": "", "note": "Por el STT"}
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    made = ContentTranslation.objects.get(record=letter.public_id, language="es")
    assert made.fields == {"subject": "Dejamos el foro"} and made.source_version == letter.version
    assert [v.op for v in versions_of("translation", made.key)] == ["create"]


def test_the_reader_in_that_language_sees_it_marked_as_a_translation(
    client: Client, letter: Letter
) -> None:
    translate_record(
        system_actor(), record=letter, language="es", fields={"subject": "Dejamos el foro"}
    )
    page = client.get(letter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'class="translation" lang="es"' in page and "Dejamos el foro" in page
    assert "We leave the forum" in page  # the original stays, and counts
    english = client.get(letter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="translation"' not in english and 'hreflang="es"' in english


def test_a_revision_is_a_new_version_and_an_outdated_one_says_so(
    client: Client, letter: Letter
) -> None:
    made = translate_record(
        system_actor(), record=letter, language="fr", fields={"subject": "Nous quittons"}
    )
    fs.update_record(system_actor(), letter, changes={"subject": "We leave the forum today"})
    page = client.get(made.get_absolute_url()).content.decode()
    assert "The original has changed since this translation was made." in page
    translate_record(
        system_actor(),
        record=letter,
        language="fr",
        fields={"subject": "Nous quittons le forum aujourd'hui"},
    )
    made.refresh_from_db()
    assert made.version == 2 and made.source_version == letter.version


def test_the_original_language_is_not_a_translation(letter: Letter) -> None:
    with pytest.raises(InvalidInput, match="original language"):
        translate_record(system_actor(), record=letter, language="en", fields={"subject": "x"})


def test_only_prose_fields_are_translated(letter: Letter) -> None:
    with pytest.raises(InvalidInput, match="not translated"):
        translate_record(system_actor(), record=letter, language="es", fields={"reference": "OTRA"})


def test_an_account_without_a_role_cannot_translate(client: Client, letter: Letter) -> None:
    client.force_login(user("reader", staff=False))
    response = client.post(f"/translate/{letter.public_id}/", {"language": "es", "subject": "x"})
    assert response.status_code == 403
    assert not ContentTranslation.objects.exists()
