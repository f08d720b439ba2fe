"""The writes of the notifications app: a signed-in user's own follows.

Follows are private: these services write no record version and nothing to the
transparency log. Each one touches only ``Follow.objects.filter(user=actor)``. The
one-click unsubscribe link acts as the user its signed token names (``views.unsubscribe``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tripartite.core.errors import InvalidInput, NotFound
from tripartite.core.services import service

from .models import Follow, Frequency
from .permissions import OWN_FOLLOWS
from .records import is_followable


def _frequency(value: str) -> str:
    if value not in Frequency.values:
        raise InvalidInput(
            _("Choose how often to be told: at each change or in a daily digest."),
            {"frequency": [_("Select a valid choice.")]},
        )
    return value


def _language(value: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    base = (value or "").split("-", 1)[0].lower()
    return base if base in codes else str(settings.LANGUAGE_CODE)


@service(OWN_FOLLOWS)
def follow(
    actor: Any, *, record: str, frequency: str = Frequency.IMMEDIATE, language: str = ""
) -> Follow:
    """Follow a published record by public id (again: change how often, keep one follow)."""
    record = (record or "").strip().strip("/")
    frequency = _frequency(frequency)
    if not is_followable(record):
        raise NotFound(
            _("There is no public record %(id)s to follow.") % {"id": record or "—"},
            {"record": [_("Unknown record.")]},
        )
    follow_, created = Follow.objects.get_or_create(
        user=actor,
        record=record,
        defaults={"frequency": frequency, "language": _language(language)},
    )
    if not created:
        follow_.frequency = frequency
        follow_.language = _language(language) if language else follow_.language
        follow_.save(update_fields=["frequency", "language"])
    return follow_


@service(OWN_FOLLOWS)
def set_frequency(actor: Any, *, record: str, frequency: str) -> Follow:
    """Switch one of the actor's follows between immediate e-mail and the daily digest."""
    frequency = _frequency(frequency)
    follow_ = Follow.objects.filter(user=actor, record=record).first()
    if follow_ is None:
        raise NotFound(_("You do not follow %(id)s.") % {"id": record})
    follow_.frequency = frequency
    follow_.save(update_fields=["frequency"])
    return follow_


@service(OWN_FOLLOWS)
def unfollow(actor: Any, *, record: str | None = None, follow_id: int | None = None) -> int:
    """Stop following a record (by public id or follow id); its waiting digest items go too.
    Returns how many follows ended (0 when there was nothing to end)."""
    follows = Follow.objects.filter(user=actor)
    if follow_id is not None:
        follows = follows.filter(pk=follow_id)
    elif record is not None:
        follows = follows.filter(record=record)
    else:
        raise InvalidInput(_("Say which record to stop following."))
    deleted, _by_model = follows.delete()
    return int(_by_model.get(Follow._meta.label, 0)) if deleted else 0


@service(OWN_FOLLOWS)
def stop_digests(actor: Any) -> int:
    """Stop every daily-digest follow of the actor (the digest's one-click unsubscribe)."""
    _deleted, by_model = Follow.objects.filter(user=actor, frequency=Frequency.DAILY).delete()
    return int(by_model.get(Follow._meta.label, 0))
