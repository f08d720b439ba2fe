"""The home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tripartite.forums import queries
from tripartite.forums.models import Forum, Letter, Member, Statement


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "members": Member.objects.all()[:100],
            "member_count": Member.objects.count(),
            "forums": queries.forums().order_by("-established_on")[:10],
            "forum_count": Forum.objects.count(),
            "letters": Letter.objects.all()[:8],
            "statements": Statement.objects.order_by("-issued_on")[:5],
        },
    )
