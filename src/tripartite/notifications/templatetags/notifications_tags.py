"""``{% follow_button record.id %}``: the Follow form on every record page.

Visitors without an account get a link to sign in and follow; a signed-in user gets a
POST form (frequency + Follow), or, when they already follow the record, how often and an
Unfollow button. One query for a signed-in user, none for a visitor.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from tripartite.notifications.models import Follow, Frequency

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context: template.Context, public_id: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    data: dict[str, Any] = {
        "public_id": public_id,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "frequencies": Frequency.choices,
        "signed_in": bool(user is not None and user.is_authenticated),
        "current": None,
        "here": request.get_full_path() if request is not None else "",
    }
    if data["signed_in"]:
        data["current"] = Follow.objects.filter(user=user, record=public_id).first()
    else:
        follow_page = f"{reverse('notifications-follow')}?{urlencode({'record': public_id})}"
        data["sign_in_url"] = (
            f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': follow_page})}"
        )
    return data
