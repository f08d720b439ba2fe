"""Staff editing pages: server-rendered forms that work without JavaScript.

Each page shows its form on GET and, on POST, calls one function of
``forums.services`` (which checks the permission, validates and versions the record
in one transaction). A ``ServiceError`` re-renders the form with the error's status
(409, 422, …), its message in an alert summary and its field errors on the fields;
success redirects (303) to the record's page with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tripartite.accounts.mfa import needs_mfa
from tripartite.accounts.permissions import OWN_SEAT
from tripartite.accounts.proposals import needs_joint_approval, propose
from tripartite.accounts.roles import has_any_role, is_system
from tripartite.core.errors import Conflict, InvalidInput, ServiceError
from tripartite.core.models import PublicRecord

from . import edit_forms as f
from . import queries, services
from .models import (
    Decision,
    Forum,
    Letter,
    Meeting,
    Member,
    Minutes,
    Organization,
    Person,
    Seat,
    Statement,
    WithdrawalGroup,
)

View = Callable[..., HttpResponse]

# The record types that have "publish a new version" and "retract" pages.
EDITABLE_MODELS: dict[str, type[PublicRecord]] = {
    model.RECORD_TYPE: model
    for model in (
        Member,
        Forum,
        Seat,
        Meeting,
        Minutes,
        Decision,
        Letter,
        Statement,
        Organization,
        Person,
    )
}


class SeeOther(HttpResponseRedirect):
    """After a successful POST: the browser follows with a GET (no re-post on reload)."""

    status_code = 303


def staff_only(view: View) -> View:
    """Anonymous users go to the login page; staff without an authenticator app go to
    set one up (MFA is required before any editing role acts); signed-in users without
    the editing permission get a 403 page. The services check the permission again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_mfa(request.user):
            return SeeOther(reverse("mfa_activate_totp"))
        if not has_any_role(request.user):
            return render(request, "forums/edit/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "POST"])(wrapper)


# ---------------------------------------------------------------- the one form-handling loop


@dataclass
class EditPage:
    """What an editing page shows around its form."""

    title: str
    back: PublicRecord | tuple[str, str]  # the record, or (URL, label) of the page to go back to
    submit: str
    intro: str = ""
    template: str = "forums/edit/form.html"
    notice: str = ""  # shown instead of the form when the action no longer applies
    context: dict[str, Any] = field(default_factory=dict)


Outcome = tuple[str, str]  # (URL to go to, success message)


def handle(
    request: HttpRequest, page: EditPage, form: forms.Form, perform: Callable[[], Outcome]
) -> HttpResponse:
    """GET: show the form. POST: validate, call the service through ``perform``, redirect."""
    status, error_message, unplaced = 200, "", []
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            try:
                url, message = perform()
            except ServiceError as error:
                status, error_message = error.status, error.message
                unplaced = f.attach_service_error(form, error)
            else:
                messages.success(request, message)
                return SeeOther(url)
    back_url, back_label = (
        page.back
        if isinstance(page.back, tuple)
        else (page.back.get_absolute_url(), label_of(page.back))
    )
    return render(
        request,
        page.template,
        {
            "page_title": page.title,
            "intro": page.intro,
            "notice": page.notice,
            "form": form,
            "submit_label": page.submit,
            "back_url": back_url,
            "back_label": back_label,
            "error_message": error_message,
            "error_items": error_items(form) + [("", message) for message in unplaced],
            **page.context,
        },
        status=status,
    )


def error_items(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, text) for each error, for the summary at the top of the page."""
    summary_label = getattr(form, "summary_label", None)
    items = [("", str(error)) for error in form.non_field_errors()]
    for bound in form:
        name = summary_label(bound.name) if summary_label else str(bound.label)
        items += [(anchor_of(bound), f.labelled(name, error)) for error in bound.errors]
    return items


def anchor_of(bound: forms.BoundField) -> str:
    """Where the summary links for a field: its input, or the first box of a checkbox list
    (whose group has no single input to point at)."""
    if bound.id_for_label:
        return bound.id_for_label
    subwidgets = bound.subwidgets
    return subwidgets[0].id_for_label if subwidgets else ""


def label_of(record: PublicRecord) -> str:
    if isinstance(record, Minutes):
        return _("Minutes of %(meeting)s") % {"meeting": label_of(record.meeting)}
    if isinstance(record, Seat):
        return _("%(organization)s in %(forum)s") % {
            "organization": record.organization.display_name,
            "forum": record.forum.name,
        }
    ref = queries.ref(record)
    return ref.label if ref is not None else record.public_id


def posted(request: HttpRequest) -> Any:
    """The submitted data on POST; None on GET, so the form is unbound."""
    return request.POST if request.method == "POST" else None


def forum_seats(forum: Forum) -> list[Seat]:
    """The forum's seats that are not retracted, by sector."""
    return list(
        Seat.objects.filter(forum=forum, retracted_at__isnull=True)
        .select_related("organization")
        .order_by("sector", "start_on", "key")
    )


def held_on(seat: Seat, day: dt.date) -> bool:
    """Whether ``seat`` was held on ``day`` as the sign-off service counts it: a seat
    that ended that very day still counts (it sat in that day's meeting)."""
    return seat.start_on <= day and (seat.end_on is None or seat.end_on >= day)


# ---------------------------------------------------------------- home page: new records


def _home() -> tuple[str, str]:
    return reverse("home"), _("Home")


def _from_query(request: HttpRequest, model: type[PublicRecord], name: str) -> Any:
    """The live record named by ``?<name>=<key>`` (pre-fills a form), or None."""
    key = request.GET.get(name, "")
    if not key:
        return None
    return model._default_manager.filter(key=key, retracted_at__isnull=True).first()


def _added(record: PublicRecord, name: str) -> Outcome:
    return record.get_absolute_url(), _("%(name)s is on the record.") % {"name": name}


@staff_only
def create_member(request: HttpRequest) -> HttpResponse:
    form = f.MemberForm(posted(request))

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or f.unique_key(Member, *form.key_parts())
        member = services.create_member(request.user, key=key, **data)
        return _added(member, member.name)

    page = EditPage(
        title=_("Add a member"),
        back=_home(),
        submit=_("Add the member"),
        intro=_("A country or a local government taking part in OGP."),
    )
    return handle(request, page, form, perform)


@staff_only
def create_organization(request: HttpRequest) -> HttpResponse:
    member = _from_query(request, Member, "member")
    form = f.OrganizationForm(posted(request), initial={"member": member})

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        owner = data["member"]
        key = data.pop("key") or f.unique_key(
            Organization, owner.key if owner else "", data["short_name"] or data["name"]
        )
        organization = services.create_organization(request.user, key=key, **data)
        return _added(organization, organization.name)

    page = EditPage(
        title=_("Add an organisation"),
        back=member or _home(),
        submit=_("Add the organisation"),
        intro=_(
            "A government agency, a civil-society organisation, an oversight "
            "body, …: whoever can hold a seat or sign a letter."
        ),
    )
    return handle(request, page, form, perform)


@staff_only
def create_person(request: HttpRequest) -> HttpResponse:
    form = f.PersonForm(posted(request))

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or f.unique_key(Person, data["name"])
        person = services.create_person(request.user, key=key, **data)
        return _added(person, person.name)

    page = EditPage(
        title=_("Add a person"),
        back=_home(),
        submit=_("Add the person"),
        intro=_(
            "Someone acting in a public role, for example a seat's "
            "representative. Only their public role is recorded."
        ),
    )
    return handle(request, page, form, perform)


@staff_only
def publish_statement(request: HttpRequest) -> HttpResponse:
    forum = _from_query(request, Forum, "forum")
    member = forum.member if forum is not None else _from_query(request, Member, "member")
    language = forum.language if forum is not None else "en"
    form = f.StatementForm(
        posted(request),
        initial={
            "member": member,
            "forum": forum,
            "language": language,
            "issued_on": timezone.localdate(),
        },
    )

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        concerned = data["member"]
        key = data.pop("key") or f.unique_key(
            Statement, concerned.key if concerned else "", data["issued_on"], data["title"]
        )
        statement = services.publish_statement(request.user, key=key, **data)
        return statement.get_absolute_url(), _("The statement “%(title)s” is published.") % {
            "title": statement.title
        }

    page = EditPage(
        title=_("Publish a statement"),
        back=forum or member or _home(),
        submit=_("Publish the statement"),
        intro=_(
            "A public statement by one or more organisations, or by a body "
            "named as the statement names it."
        ),
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- member page


def _retracted_target(record: PublicRecord) -> str:
    if not record.is_retracted:
        return ""
    return _("%(id)s has been retracted: nothing new can be added to it.") % {
        "id": record.public_id
    }


@staff_only
def create_forum(request: HttpRequest, key: str) -> HttpResponse:
    member = get_object_or_404(Member, key=key)
    notice = _retracted_target(member)
    form = f.ForumForm(posted(request), member=member)

    def perform() -> Outcome:
        if notice:
            raise Conflict(notice)
        data = dict(form.cleaned_data)
        key = data.pop("key") or f.unique_key(Forum, member.key, data["name"])
        forum = services.create_forum(request.user, key=key, member=member, **data)
        return forum.get_absolute_url(), _("The forum “%(name)s” is on the record.") % {
            "name": forum.name
        }

    page = EditPage(
        title=_("Create a forum of %(member)s") % {"member": member.name},
        back=member,
        submit=_("Create the forum"),
        notice=notice,
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- forum page


@staff_only
def add_seat(request: HttpRequest, key: str) -> HttpResponse:
    forum = get_object_or_404(Forum, key=key)
    form = f.SeatForm(posted(request))

    def perform() -> Outcome:
        data = form.cleaned_data
        organization = data["organization"]
        seat = services.add_seat(
            request.user,
            key=data["key"] or f.unique_key(Seat, forum.key, organization.key),
            forum=forum,
            organization=organization,
            start_on=data["start_on"],
            sector=data["sector"] or None,
            role=data["role"],
            representative=data["representative"],
        )
        return seat.get_absolute_url(), _("%(organization)s now holds a seat in %(forum)s.") % {
            "organization": organization.display_name,
            "forum": forum.name,
        }

    page = EditPage(
        title=_("Add a seat to %(forum)s") % {"forum": forum.name},
        back=forum,
        submit=_("Add the seat"),
    )
    return handle(request, page, form, perform)


@staff_only
def schedule_meeting(request: HttpRequest, key: str) -> HttpResponse:
    forum = get_object_or_404(Forum, key=key)
    form = f.MeetingForm(posted(request))

    def perform() -> Outcome:
        data = form.cleaned_data
        meeting = services.schedule_meeting(
            request.user,
            key=data["key"] or f.unique_key(Meeting, forum.key, data["date"]),
            forum=forum,
            title=data["title"],
            date=data["date"],
            agenda=data["agenda"],
            mode=data["mode"],
            place=data["place"],
            status=data["status"],
        )
        return meeting.get_absolute_url(), _("The meeting “%(title)s” is on the record.") % {
            "title": meeting.title
        }

    page = EditPage(
        title=_("Schedule a meeting of %(forum)s") % {"forum": forum.name},
        back=forum,
        submit=_("Schedule the meeting"),
    )
    return handle(request, page, form, perform)


def _decision_day(request: HttpRequest, forum: Forum) -> dt.date:
    """Whose positions the form asks for: the seats held on ``?on=`` (default today, or
    the day a dissolved forum was dissolved)."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        day = timezone.localdate()
        return min(day, forum.dissolved_on) if forum.dissolved_on else day


@staff_only
def record_decision(request: HttpRequest, key: str) -> HttpResponse:
    forum = get_object_or_404(Forum, key=key)
    day = _decision_day(request, forum)
    seats = [seat for seat in forum_seats(forum) if queries.current_on(seat, day)]
    form = f.DecisionForm(posted(request), forum=forum, seats=seats, initial={"decided_on": day})

    def perform() -> Outcome:
        data = form.cleaned_data
        decision = services.record_decision(
            request.user,
            key=data["key"] or f.unique_key(Decision, forum.key, data["decided_on"], data["title"]),
            forum=forum,
            title=data["title"],
            motion_text=data["motion_text"],
            decided_on=data["decided_on"],
            positions=form.positions(),
            meeting=data["meeting"],
            source_url=data["source_url"],
        )
        return decision.get_absolute_url(), _("The decision “%(title)s” is on the record.") % {
            "title": decision.title
        }

    page = EditPage(
        title=_("Record a decision of %(forum)s") % {"forum": forum.name},
        back=forum,
        submit=_("Record the decision"),
        template="forums/edit/decision.html",
        context={"day": day},
    )
    return handle(request, page, form, perform)


@staff_only
def record_withdrawal(request: HttpRequest, key: str) -> HttpResponse:
    forum = get_object_or_404(Forum.objects.select_related("member"), key=key)
    seats = [seat for seat in forum_seats(forum) if seat.end_on is None]
    form = f.WithdrawalForm(posted(request), forum=forum, seats=seats)
    notice = _retracted_target(forum) or (
        "" if seats else _("No seat of this forum is current: there is no seat to withdraw.")
    )

    def perform() -> Outcome:
        if forum.is_retracted:
            raise Conflict(notice)
        data = form.cleaned_data
        leaving = list(data["seats"])
        try:
            group = services.record_collective_withdrawal(
                request.user,
                key=data["key"]
                or f.unique_key(WithdrawalGroup, forum.key, "withdrawal", data["withdrawn_on"]),
                forum=forum,
                seats=leaving,
                withdrawn_on=data["withdrawn_on"],
                title=data["title"],
                summary=data["summary"],
                letter=data["letter"],
            )
        except ServiceError as error:
            # A seat's end date is this form's date of the withdrawal.
            if "end_on" in error.field_errors:
                error.field_errors["withdrawn_on"] = error.field_errors.pop("end_on")
            raise
        return group.get_absolute_url(), ngettext(
            "The withdrawal “%(title)s” is on the record: %(count)s seat ended.",
            "The withdrawal “%(title)s” is on the record: %(count)s seats ended.",
            len(leaving),
        ) % {"title": group.title, "count": len(leaving)}

    page = EditPage(
        title=_("Record a collective withdrawal from %(forum)s") % {"forum": forum.name},
        back=forum,
        submit=_("Record the withdrawal"),
        notice=notice,
        template="forums/edit/withdrawal.html",
        intro=_(
            "Several seats that leave the forum together, on one date and with one public "
            "letter. Each seat ends as withdrawn."
        ),
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- seat page


@staff_only
def end_seat(request: HttpRequest, key: str) -> HttpResponse:
    seat = get_object_or_404(Seat.objects.select_related("forum", "organization"), key=key)
    form = f.EndSeatForm(posted(request), seat=seat)

    def perform() -> Outcome:
        data = form.cleaned_data
        if not OWN_SEAT.allows(request.user, {"seat": seat}):
            # Only a seat's own representative ends it at once; anyone else proposes.
            return propose(
                request.user,
                operation="end_seat",
                record=seat,
                end_on=data["end_on"],
                end_reason=data["end_reason"],
                letter=data["letter"],
            )
        services.end_seat(
            request.user,
            seat,
            end_on=data["end_on"],
            end_reason=data["end_reason"],
            letter=data["letter"],
        )
        return seat.get_absolute_url(), _("The seat of %(organization)s ended on %(date)s.") % {
            "organization": seat.organization.display_name,
            "date": seat.end_on,
        }

    notice = ""
    if seat.end_on is not None:
        notice = _("This seat already ended on %(date)s.") % {"date": seat.end_on}
    page = EditPage(
        title=_("End the seat of %(organization)s")
        % {"organization": seat.organization.display_name},
        back=seat,
        submit=_("End the seat"),
        notice=notice,
        intro=_("A seat that is withdrawn is recorded with the public letter that says why."),
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- meeting page


def _meeting(key: str) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), key=key)


@staff_only
def record_attendance(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    seats = [seat for seat in forum_seats(meeting.forum) if held_on(seat, meeting.date)]
    current = {row.seat_id: row.status for row in meeting.attendance.all()}
    form = f.AttendanceForm(posted(request), seats=seats, current=current)

    def perform() -> Outcome:
        services.record_attendance(request.user, meeting, attendance=form.attendance())
        return meeting.get_absolute_url(), _("The attendance is recorded.")

    page = EditPage(
        title=_("Record attendance at %(meeting)s") % {"meeting": meeting.title},
        back=meeting,
        submit=_("Record the attendance"),
        template="forums/edit/attendance.html",
        notice="" if seats else _("No seat of the forum was held on the date of the meeting."),
        context={"meeting": meeting},
    )
    return handle(request, page, form, perform)


@staff_only
def set_agenda(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    current = [(item.title, item.description) for item in meeting.agenda_items.all()]
    form = f.AgendaForm(
        posted(request), initial={"agenda": "\n".join(title for title, _description in current)}
    )

    def perform() -> Outcome:
        descriptions = dict(current)
        agenda = [(title, descriptions.get(title, "")) for title in form.cleaned_data["agenda"]]
        if agenda == current:
            raise InvalidInput(_("Nothing changed: the agenda is the same as before."))
        services.set_agenda(
            request.user,
            meeting,
            agenda=[{"title": title, "description": description} for title, description in agenda],
        )
        return meeting.get_absolute_url() + "#agenda-heading", _("The agenda is saved.")

    page = EditPage(
        title=(
            _("Change the agenda of %(meeting)s") if current else _("Set the agenda of %(meeting)s")
        )
        % {"meeting": meeting.title},
        back=meeting,
        submit=_("Save the agenda"),
        notice=retracted_notice(meeting),
        intro=_(
            "The agenda is part of the meeting's record: saving it publishes a new "
            "version of the meeting."
        ),
    )
    return handle(request, page, form, perform)


@staff_only
def publish_minutes(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    form = f.MinutesForm(
        posted(request),
        initial={"language": meeting.forum.language, "published_on": timezone.localdate()},
    )

    def perform() -> Outcome:
        data = form.cleaned_data
        minutes = services.publish_minutes(
            request.user,
            meeting,
            text=data["text"],
            published_on=data["published_on"],
            language=data["language"],
        )
        return minutes.get_absolute_url(), _("The minutes are published.")

    existing = Minutes.objects.filter(meeting=meeting).exists()
    page = EditPage(
        title=_("Publish the minutes of %(meeting)s") % {"meeting": meeting.title},
        back=meeting,
        submit=_("Publish the minutes"),
        notice=_(
            "The minutes of this meeting are already published; publish a new version "
            "of them instead."
        )
        if existing
        else "",
        intro=_(
            "Once published, each sector signs the minutes off; a dissent is signed "
            "with a statement."
        ),
    )
    return handle(request, page, form, perform)


@staff_only
def sign_off_minutes(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    no_minutes = _("No minutes are published for this meeting yet: publish them first.")
    seats = [seat for seat in forum_seats(meeting.forum) if held_on(seat, meeting.date)]
    form = f.SignOffForm(posted(request), seats=seats, initial={"signed_on": timezone.localdate()})

    def perform() -> Outcome:
        if minutes is None:
            raise Conflict(no_minutes)
        data = form.cleaned_data
        signoff = services.sign_off_minutes(
            request.user,
            minutes,
            seat=data["seat"],
            position=data["position"],
            signed_on=data["signed_on"],
            statement=data["statement"],
        )
        return signoff.get_absolute_url(), _("The %(sector)s sector signed off the minutes.") % {
            "sector": signoff.get_sector_display()
        }

    page = EditPage(
        title=_("Sign off the minutes of %(meeting)s") % {"meeting": meeting.title},
        back=meeting,
        submit=_("Sign off"),
        notice=no_minutes if minutes is None else "",
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- letters register


@staff_only
def register_letter(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    answered = Letter.objects.filter(key=request.GET.get("response_to", "")).first()
    if answered is not None:
        initial = {
            "response_to": answered,
            "letter_type": "response",
            "member": answered.member_id,
            "forum": answered.forum_id,
        }
    form = f.LetterForm(posted(request), initial=initial)

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or f.unique_key(Letter, data["reference"])
        letter = services.register_letter(request.user, key=key, **data)
        return letter.get_absolute_url(), _("Letter %(reference)s is registered.") % {
            "reference": letter.reference
        }

    page = EditPage(
        title=_("Register a letter"),
        submit=_("Register the letter"),
        back=(reverse("letters"), _("Letters register")),
    )
    return handle(request, page, form, perform)


# ---------------------------------------------------------------- any record


def record_of(models: Mapping[str, type[PublicRecord]], record_type: str, key: str) -> PublicRecord:
    """The record ``<type>/<key>`` among an app's editable ``models``, or 404."""
    model = models.get(record_type)
    if model is None:
        raise Http404("no such record type")
    return get_object_or_404(model, key=key)


def retracted_notice(record: PublicRecord) -> str:
    if not record.is_retracted:
        return ""
    return _("%(id)s has been retracted and can no longer change.") % {"id": record.public_id}


@staff_only
def new_version(request: HttpRequest, record_type: str, key: str) -> HttpResponse:
    record = record_of(EDITABLE_MODELS, record_type, key)
    form_class = f.new_version_form_class(type(record))
    form = form_class(posted(request), initial=f.new_version_initial(record))

    def perform() -> Outcome:
        changes = f.changes_from(form, record)
        if needs_joint_approval(record):
            return propose(
                request.user,
                operation="update",
                record=record,
                changes=changes,
                reason=form.cleaned_data["reason"],
            )
        version = services.update_record(
            request.user, record, changes=changes, reason=form.cleaned_data["reason"]
        )
        return record.get_absolute_url(), _("Version %(version)s of %(id)s is published.") % {
            "version": version.version,
            "id": record.public_id,
        }

    page = EditPage(
        title=_("Publish a new version of %(record)s") % {"record": label_of(record)},
        back=record,
        submit=_("Publish the new version"),
        notice=retracted_notice(record),
        intro=_(
            "The current version stays public in the record's history, next to the new "
            "one and the reason you give."
        ),
    )
    return handle(request, page, form, perform)


def retract_view(
    models: Mapping[str, type[PublicRecord]],
    retract_service: Callable[..., Any],
    url_of: Callable[[PublicRecord], str] = lambda record: record.get_absolute_url(),
    page_of: Callable[..., EditPage] | None = None,
) -> View:
    """The retraction page of an app's records: a required reason, then ``retract_service``.
    ``page_of(title, record, submit, notice=…, intro=…)`` lets an app build its own page."""

    @staff_only
    def retract(request: HttpRequest, record_type: str, key: str) -> HttpResponse:
        record = record_of(models, record_type, key)
        form = f.ReasonForm(posted(request))

        def perform() -> Outcome:
            if not is_system(request.user):
                # A retraction needs the joint approval of the record's sectors.
                return propose(
                    request.user,
                    operation="retract",
                    record=record,
                    reason=form.cleaned_data["reason"],
                )
            retract_service(request.user, record, reason=form.cleaned_data["reason"])
            return url_of(record), _("%(id)s is retracted.") % {"id": record.public_id}

        title = _("Retract %(record)s") % {"record": label_of(record)}
        submit = _("Retract the record")
        notice = retracted_notice(record)
        intro = _(
            "Nothing is deleted: the record stays public, marked as retracted, "
            "with the reason you give."
        )
        page = (
            page_of(title, record, submit, notice=notice, intro=intro)
            if page_of
            else EditPage(title=title, back=record, submit=submit, notice=notice, intro=intro)
        )
        return handle(request, page, form, perform)

    return retract


retract = retract_view(EDITABLE_MODELS, services.retract)
