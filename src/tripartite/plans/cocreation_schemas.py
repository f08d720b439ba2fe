"""Typed shapes of co-creation: public input, reasoned responses and the register.

They carry only what the public record holds: never the contact e-mail or the account,
the submitter's name only with their consent, and no words of a withheld input. The
HTML pages, their JSON twins and the API all serve these same objects.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from tripartite.forums.schemas import Ref


class ResponseBrief(Schema):
    """A reasoned response as it appears beside each input it answers."""

    id: str
    version: int
    url: str
    decision: str = Field(description="accepted, partially, merged or rejected")
    rationale: str
    published_on: dt.date
    language: str
    retracted: bool


class InputOut(Schema):
    """A published or withheld input. A withheld one keeps only that it was received and
    withheld, when and why: its title, text, submitter and organisation are empty."""

    id: str
    version: int
    url: str
    plan: Ref
    received_at: dt.datetime
    received_on: dt.date
    channel: str
    language: str
    moderation: str = Field(description="published or withheld")
    moderation_reason: str
    moderated_at: dt.datetime | None
    title: str
    text: str
    submitter: str = Field(description="The submitter's name, only when they consented")
    organization: str
    responses: list[ResponseBrief]
    commitments: list[Ref] = Field(description="Commitments this input led to")
    answered: bool = Field(description="At least one response (not retracted) answers it")
    waiting_days: int | None = Field(
        description="For a published input without a response: days since it was received"
    )
    retracted: bool


class ResponseOut(Schema):
    """A reasoned response, the inputs it answers and the commitments they led to."""

    id: str
    version: int
    url: str
    plan: Ref
    decision: str = Field(description="accepted, partially, merged or rejected")
    rationale: str
    published_on: dt.date
    language: str
    inputs: list[Ref]
    commitments: list[Ref]
    retracted: bool


class CoCreationWindow(Schema):
    """When the plan takes public input, and whether it does on ``today``."""

    state: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    today: dt.date
    open: bool


class RegisterSummary(Schema):
    """Counts over the plan's whole register (not only the page shown)."""

    published: int
    withheld: int
    answered: int
    unanswered: int
    oldest_unanswered_days: int | None
    oldest_unanswered: Ref | None


class CoCreationPage(Schema):
    """The co-creation page of a plan: its window, the register's summary and one page of
    the register of published and withheld inputs."""

    plan: Ref
    member: Ref
    window: CoCreationWindow
    summary: RegisterSummary
    show: str = Field(description="all, answered or unanswered")
    count: int
    page: int
    pages: int
    items: list[InputOut]


class InputIn(Schema):
    """Input submitted to a plan in co-creation. The e-mail is used only to send the
    response and is never published; the name is published only if ``publish_name``."""

    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)
    language: str = Field("en", max_length=10, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    submitter_name: str = Field("", max_length=200)
    submitter_organization: str = Field("", max_length=300)
    publish_name: bool = False
    contact_email: str = Field("", max_length=254)


class InputReceipt(Schema):
    """What the submitter gets back: the reference of the input, waiting for moderation."""

    id: str
    key: str
    status: str = Field(description="Always pending: input is public only after moderation")
    message: str
