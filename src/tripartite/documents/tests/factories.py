"""The documents tests' world, built through the services: a member with a Spanish-speaking
forum, a meeting, an action plan, a letter and a statement, and a PDF of minutes whose
text was extracted; the search index is then built from all of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tripartite.core.actors import system_actor
from tripartite.documents import search, services, tasks
from tripartite.documents.models import Document
from tripartite.forums import services as forum_services
from tripartite.forums.models import Forum, Letter, Meeting, Member, Statement
from tripartite.forums.tests import factories as forum_factories
from tripartite.plans.models import ActionPlan
from tripartite.plans.tests import factories as plan_factories

from . import files

D = dt.date


@dataclass
class DocsWorld:
    member: Member
    forum: Forum
    meeting: Meeting
    plan: ActionPlan
    letter: Letter
    statement: Statement
    minutes: Document
    plan_document: Document


def upload(
    attached_to: str,
    key: str,
    *,
    data: bytes | None = None,
    filename: str = "acta.pdf",
    extract: bool = True,
    **fields: Any,
) -> Document:
    """A document filed through the service, its text extracted as the worker would."""
    fields.setdefault("title", key.replace("-", " ").capitalize())
    fields.setdefault("doc_type", "minutes")
    document = services.upload_document(
        system_actor(),
        key=key,
        attached_to=attached_to,
        filename=filename,
        data=files.pdf() if data is None else data,
        **fields,
    )
    if extract:
        for version in document.versions.all():
            tasks.extract_version.call(version.pk)
    return document


def docs_world() -> DocsWorld:
    actor = system_actor()
    mx = forum_factories.member("mx", "Mexico")
    forum = forum_factories.forum(
        mx, key="mx-stt", name="Secretariado Técnico Tripartito", language="es"
    )
    meeting = forum_factories.meeting(
        forum,
        key="mx-stt-2016-04-15",
        day=D(2016, 4, 15),
        title="Sesión plenaria del Secretariado",
        summary="Revisión de los compromisos del tercer plan.",
    )
    plan = plan_factories.plan(mx, key="mx-3", language="es", title="Tercer Plan de Acción")
    letter = forum_factories.letter(
        "mx-2017-0012",
        member=mx,
        forum=forum,
        subject="La sociedad civil abandona el Secretariado",
        body="Las organizaciones denuncian la vigilancia de sus integrantes.",
    )
    statement = forum_services.publish_statement(
        actor,
        key="cochairs-2017-06",
        title="Co-chairs' statement on Mexico",
        issued_on=D(2017, 6, 2),
        issuer_label="OGP co-chairs",
        member=mx,
        text="The co-chairs take note of the withdrawal and the <script>alert(1)</script> claim.",
    )
    minutes = upload(
        meeting.public_id,
        "mx-stt-2016-04-15-acta",
        title="Acta de la sesión del 15 de abril",
        language="es",
        published_on=D(2016, 4, 20),
    )
    plan_document = upload(
        plan.public_id,
        "mx-3-self-assessment",
        title="Informe de autoevaluación",
        doc_type="self_assessment",
        data=files.docx(),
        filename="informe.docx",
        language="es",
        published_on=D(2018, 9, 1),
    )
    search.reindex()
    return DocsWorld(
        member=mx,
        forum=forum,
        meeting=meeting,
        plan=plan,
        letter=letter,
        statement=statement,
        minutes=minutes,
        plan_document=plan_document,
    )
