"""Batch services of the forum record: many meetings of one forum, many letters of one
member, in one call (the generator and importers use them).

Each checks its permission on the forum or member (the decorator), proves that every item
belongs there, validates every item as the one-record service does, and writes with
multi-row INSERTs through ``core.recording.save_records``: every record is versioned and
logged like one written alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from tripartite.accounts.permissions import FORUM_BUSINESS, LETTERS
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.recording import require_live, save_records
from tripartite.core.services import service

from .choices import LetterType
from .models import Forum, Letter, Meeting, Member


@service(FORUM_BUSINESS)
def schedule_meetings(
    actor: Any, *, forum: Forum, items: Sequence[Mapping[str, Any]]
) -> list[Meeting]:
    """Meetings of ``forum`` (``schedule_meeting`` for a batch, without agendas)."""
    require_live(forum)
    meetings = [Meeting(forum=forum, **item) for item in items]
    save_records(meetings, actor=actor)
    return meetings


def _check_letter(letter: Letter, member: Member, forum: Forum | None) -> None:
    if letter.member_id != member.pk or (forum is not None and letter.forum_id != forum.pk):
        raise InvalidInput(
            _("%(id)s is not a letter of %(member)s.")
            % {"id": letter.public_id, "member": member.name}
        )
    if letter.letter_type == LetterType.RESPONSE and letter.response_to_id is None:
        raise InvalidInput(
            _("A response names the letter it answers."),
            {"response_to": [_("This field is required.")]},
        )
    if letter.sent_on is None and letter.received_on is None:
        raise InvalidInput(
            _("A letter needs a date sent or received."),
            {"sent_on": [_("Give the date sent or the date received.")]},
        )


@service(LETTERS)
def register_letters(
    actor: Any,
    *,
    member: Member,
    forum: Forum | None = None,
    items: Sequence[Mapping[str, Any]],
) -> list[Letter]:
    """Letters of ``member`` (and of its ``forum`` when given): ``register_letter`` for a
    batch, without signatories or links (added one by one afterwards)."""
    require_live(member, forum)
    letters = [Letter(**{"member": member, "forum": forum, **item}) for item in items]
    references = [letter.reference for letter in letters]
    taken = set(Letter.objects.filter(reference__in=references).values_list("reference", flat=True))
    if taken or len(set(references)) != len(references):
        reference = sorted(taken)[0] if taken else "?"
        raise Conflict(
            _("A letter with reference %(ref)s is already registered.") % {"ref": reference},
            {"reference": [_("This reference is already taken.")]},
        )
    for letter in letters:
        _check_letter(letter, member, forum)
        require_live(letter.response_to)
    save_records(letters, actor=actor)
    return letters
