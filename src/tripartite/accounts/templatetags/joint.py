"""``{% pending_changes forum_key as n %}``: how many changes await a forum's approval."""

from __future__ import annotations

from django import template

from tripartite.accounts.models import ChangeState, JointChange

register = template.Library()


@register.simple_tag
def pending_changes(forum_key: str) -> int:
    return JointChange.objects.filter(forum__key=forum_key, state=ChangeState.PENDING).count()
