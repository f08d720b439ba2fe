"""Staff editing pages of the Steering Committee's record: server-rendered forms that
work without JavaScript.

Each page shows its form on GET and, on POST, calls one function of ``oversight.services``,
``oversight.case_services`` or ``oversight.review_services`` (which check the permission,
apply the rules and version the record in one transaction). The loop is the forums'
(``forums.edit_views.handle``): a ``ServiceError`` re-renders the form with the error's
status, its message in the alert summary and its field errors on the fields; success
redirects (303) to the record's page with a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tripartite.core.errors import Conflict, InvalidInput, ServiceError
from tripartite.core.models import PublicRecord
from tripartite.forums.edit_forms import unique_key
from tripartite.forums.edit_views import (
    EditPage,
    Outcome,
    handle,
    posted,
    retract_view,
    retracted_notice,
    staff_only,
)
from tripartite.forums.models import Member
from tripartite.plans.edit_views import new_version_view
from tripartite.plans.models import ActionPlan

from . import case_services, review_services, services
from . import edit_forms as f
from .choices import Body, CaseState, ReviewState, TaskStatus
from .models import (
    CoChair,
    ConcernCase,
    ContraryFinding,
    EnvoyMission,
    OutreachTask,
    ProceduralReview,
    Resolution,
    ScMeeting,
    ScSeat,
    StatusChange,
    Subcommittee,
)
from .rules import CLOSED

FORM_TEMPLATE = "plans/edit/form.html"

# The record types with a "publish a new version" page: those with editable fields.
EDITABLE_MODELS: dict[str, type[PublicRecord]] = {
    model.RECORD_TYPE: model for model in services.EDITABLE_FIELDS
}
# The record types with a "retract" page: every record staff write (the compliance
# engine's stored readings are its own).
RETRACTABLE_MODELS: dict[str, type[PublicRecord]] = {
    model.RECORD_TYPE: model
    for model in (
        ScSeat,
        CoChair,
        Subcommittee,
        ScMeeting,
        Resolution,
        StatusChange,
        ConcernCase,
        EnvoyMission,
        ContraryFinding,
        ProceduralReview,
    )
}


# ---------------------------------------------------------------- shared pieces


def url_of(record: PublicRecord) -> str:
    """The record's page, or its history page while its type has no page of its own."""
    try:
        return record.get_absolute_url()
    except NoReverseMatch:
        return record.get_history_url()


def label_of(record: PublicRecord) -> str:
    """How the pages name an oversight record (titles, the way back)."""
    if isinstance(record, ScSeat):
        return f.seat_label(record)
    if isinstance(record, CoChair):
        return _("%(holder)s, %(role)s from %(start)s") % {
            "holder": record.seat.holder_name,
            "role": record.get_role_display(),
            "start": record.starts_on.isoformat(),
        }
    if isinstance(record, StatusChange):
        return _("%(member)s: %(from)s to %(to)s on %(on)s") % {
            "member": record.member.name,
            "from": record.get_from_status_display(),
            "to": record.get_to_status_display(),
            "on": record.on.isoformat(),
        }
    if isinstance(record, ContraryFinding):
        return _("%(member)s: %(trigger)s (%(plan)s)") % {
            "member": record.member.name,
            "trigger": record.get_trigger_display(),
            "plan": record.plan.title,
        }
    if isinstance(record, ProceduralReview):
        return _("Procedural review of %(member)s, opened %(on)s") % {
            "member": record.member.name,
            "on": record.opened_on.isoformat(),
        }
    if isinstance(record, Member | Subcommittee):
        return str(record.name)
    return str(getattr(record, "title", record.public_id))


def page(title: str, back: PublicRecord | tuple[str, str], submit: str, **options: Any) -> EditPage:
    options.setdefault("template", FORM_TEMPLATE)
    way_back = back if isinstance(back, tuple) else (url_of(back), label_of(back))
    return EditPage(title=title, back=way_back, submit=submit, **options)


def _home() -> tuple[str, str]:
    return reverse("home"), _("Home")


def _list(name: str, label: str) -> tuple[str, str]:
    """A list page of the public pages, or the home page while it does not exist."""
    try:
        return reverse(name), label
    except NoReverseMatch:
        return _home()


def _refuse_when(notice: str) -> None:
    """A POST to a page that shows a notice instead of its form is refused (409)."""
    if notice:
        raise Conflict(notice)


def _closed_notice(*records: PublicRecord | None) -> str:
    for record in records:
        if record is not None and record.is_retracted:
            return _("%(id)s has been retracted: nothing new can be added to it.") % {
                "id": record.public_id
            }
    return ""


def _from_query(request: HttpRequest, model: type[Model], name: str) -> Any:
    """The live record named by ``?<name>=<key>`` (pre-fills a form), or None."""
    key = request.GET.get(name, "")
    if not key:
        return None
    return model._default_manager.filter(key=key, retracted_at__isnull=True).first()


@contextmanager
def fields_renamed(**names: str) -> Iterator[None]:
    """Put a service's error about ``old`` on the form's field ``new`` (``old=new``)."""
    try:
        yield
    except ServiceError as error:
        for old, new in names.items():
            if old in error.field_errors:
                error.field_errors.setdefault(new, []).extend(error.field_errors.pop(old))
        raise


def _today() -> Any:
    return timezone.localdate()


# ---------------------------------------------------------------- concern cases


@staff_only
def file_case(request: HttpRequest) -> HttpResponse:
    member = _from_query(request, Member, "member")
    form = f.CaseForm(posted(request), initial={"member": member, "received_on": _today()})

    def perform() -> Outcome:
        data = form.cleaned_data
        concerned = data["member"]
        key = data["key"] or unique_key(ConcernCase, concerned.key, data["received_on"].year)
        try:
            case = case_services.file_case(
                request.user,
                key=key,
                member=concerned,
                title=data["title"],
                concerns=data["concerns"],
                received_on=data["received_on"],
                filers=form.filers(),
                letter=data["letter"],
                track=data["track"],
                source_url=data["source_url"],
            )
        except InvalidInput as error:
            # The service names the refused filer; its error goes on that filer's field.
            for message in error.field_errors.pop("filers", []):
                error.field_errors.setdefault(form.filer_field_for(message), []).append(message)
            raise
        return url_of(case), _("The case “%(title)s” is open.") % {"title": case.title}

    return handle(
        request,
        page(
            _("File a concern case"),
            member or _list("cases", _("Concern cases")),
            _("File the case"),
            template="oversight/edit/case.html",
            intro=_(
                "A Response Policy case opens from a letter of concern addressed to the "
                "Steering Committee. It is filed by eligible organisations, never by an "
                "individual acting on his or her own behalf."
            ),
        ),
        form,
        perform,
    )


def _case(key: str) -> ConcernCase:
    return get_object_or_404(ConcernCase.objects.select_related("member"), key=key)


@staff_only
def advance_case(request: HttpRequest, key: str) -> HttpResponse:
    case = _case(key)
    state = CaseState(case.state).label
    notice = retracted_notice(case) or (
        ""
        if f.case_targets(case.state)
        else _("The case is closed (%(state)s): nothing more can happen in it.") % {"state": state}
    )
    form = f.AdvanceCaseForm(posted(request), case=case, initial={"on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        case_services.advance_case(
            request.user,
            case,
            to=data["to"],
            on=data["on"],
            by=data["by"],
            document=data["document"],
            document_url=data["document_url"],
            note=data["note"],
            resolution=data["resolution"],
            confidential_note=data["confidential_note"],
        )
        return url_of(case), _("The case is now %(state)s.") % {
            "state": CaseState(case.state).label
        }

    return handle(
        request,
        page(
            _("Record a step of %(case)s") % {"case": case.title},
            case,
            _("Record the step"),
            notice=notice,
            intro=_(
                "The case is %(state)s since %(since)s. Each step is kept in the case's "
                "record with the body that took it; a step the rules forbid is refused with "
                "the rule's reason."
            )
            % {"state": state, "since": date_format(case.state_since)},
        ),
        form,
        perform,
    )


def _closed_case_notice(case: ConcernCase) -> str:
    return _closed_notice(case) or (
        _("The case is closed; no new task can be added.") if case.state in CLOSED else ""
    )


@staff_only
def add_task(request: HttpRequest, key: str) -> HttpResponse:
    case = _case(key)
    notice = _closed_case_notice(case)
    form = f.TaskForm(posted(request))

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        task = case_services.add_outreach_task(
            request.user, case, title=data["title"], owner=data["owner"], due_on=data["due_on"]
        )
        return url_of(case), _("Task %(number)s of the case is on the record.") % {
            "number": task.number
        }

    return handle(
        request,
        page(
            _("Add a task to %(case)s") % {"case": case.title},
            case,
            _("Add the task"),
            notice=notice,
            intro=_("A task of the case, with the person who owns it and when it is due."),
        ),
        form,
        perform,
    )


@staff_only
def close_task(request: HttpRequest, key: str, number: int) -> HttpResponse:
    case = _case(key)
    task = get_object_or_404(OutreachTask.objects.select_related("owner"), case=case, number=number)
    notice = _closed_notice(case) or (
        _("This task is already %(status)s.") % {"status": task.get_status_display().lower()}
        if task.status != TaskStatus.OPEN
        else ""
    )
    form = f.CloseTaskForm(posted(request), initial={"on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        case_services.complete_outreach_task(
            request.user, task, on=data["on"], outcome=data["outcome"], status=data["status"]
        )
        return url_of(case), _("Task %(number)s is %(status)s.") % {
            "number": task.number,
            "status": task.get_status_display().lower(),
        }

    return handle(
        request,
        page(
            _("Close task %(number)s: %(title)s") % {"number": task.number, "title": task.title},
            case,
            _("Close the task"),
            notice=notice,
            intro=_("Owned by %(owner)s, due on %(due)s.")
            % {"owner": task.owner.name, "due": date_format(task.due_on)},
        ),
        form,
        perform,
    )


@staff_only
def attach_to_case(request: HttpRequest, key: str) -> HttpResponse:
    case = _case(key)
    notice = _closed_notice(case)
    form = f.AttachForm(posted(request), case=case)

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        case_services.attach_to_case(
            request.user, case, letters=data["letters"], statements=data["statements"]
        )
        return url_of(case), _("The documents are linked to the case.")

    return handle(
        request,
        page(
            _("Link letters and statements to %(case)s") % {"case": case.title},
            case,
            _("Link them"),
            notice=notice,
            intro=_(
                "Responses, findings and statements of the case besides the letter of concern."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- resolutions


@staff_only
def record_resolution(request: HttpRequest) -> HttpResponse:
    meeting = _from_query(request, ScMeeting, "meeting")
    case = _from_query(request, ConcernCase, "case")
    member = case.member if case is not None else _from_query(request, Member, "member")
    initial: dict[str, Any] = {"meeting": meeting, "case": case, "member": member}
    initial["adopted_on"] = meeting.ends_on if meeting is not None else _today()
    if meeting is not None:
        initial["body"] = meeting.body
    form = f.ResolutionForm(posted(request), initial=initial)

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        concerned = data["member"] or (data["case"].member if data["case"] else None)
        key = data["key"] or unique_key(
            Resolution, concerned.key if concerned else data["body"], data["adopted_on"]
        )
        with fields_renamed(votes="votes_for", abstain="abstentions"):
            resolution = services.record_resolution(
                request.user,
                key=key,
                title=data["title"],
                text=data["text"],
                adopted_on=data["adopted_on"],
                method=data["method"],
                body=data["body"],
                votes=form.votes(),  # type: ignore[arg-type]
                meeting=data["meeting"],
                member=data["member"],
                case=data["case"],
                outcome=data["outcome"],
                effective_on=data["effective_on"],
                source_url=data["source_url"],
            )
        return url_of(resolution), _("The resolution “%(title)s” is on the record.") % {
            "title": resolution.title
        }

    return handle(
        request,
        page(
            _("Record a resolution"),
            meeting or case or member or _list("resolutions", _("Resolutions")),
            _("Record the resolution"),
            intro=_(
                "A decision of the Steering Committee or one of its subcommittees, by "
                "consensus or by a recorded vote no larger than the body that cast it."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- member status


@staff_only
def change_status(request: HttpRequest, key: str) -> HttpResponse:
    member = get_object_or_404(Member, key=key)
    current = member.get_status_display()
    notice = _closed_notice(member) or (
        ""
        if f.status_targets(member.status)
        else _("%(member)s is %(status)s: its status can no longer change.")
        % {"member": member.name, "status": current.lower()}
    )
    form = f.StatusChangeForm(posted(request), member=member, initial={"on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        change = services.change_member_status(
            request.user,
            member,
            to=data["to"],
            on=data["on"],
            reason=data["reason"],
            resolution=data["resolution"],
            letter=data["letter"],
            review=data["review"],
            case=data["case"],
        )
        return url_of(change), _("%(member)s is now %(status)s.") % {
            "member": member.name,
            "status": change.get_to_status_display().lower(),
        }

    rule = _(
        "A change the rules forbid, or one without the decision it needs, is refused with "
        "the rule's reason."
    )
    situation = (
        _("%(member)s is %(status)s since %(since)s.")
        % {
            "member": member.name,
            "status": current.lower(),
            "since": date_format(member.status_since),
        }
        if member.status_since
        else _("%(member)s is %(status)s.") % {"member": member.name, "status": current.lower()}
    )
    return handle(
        request,
        page(
            _("Change the status of %(member)s") % {"member": member.name},
            member,
            _("Change the status"),
            notice=notice,
            intro=f"{situation} {rule}",
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- SC meetings


@staff_only
def schedule_meeting(request: HttpRequest) -> HttpResponse:
    form = f.ScMeetingForm(posted(request))

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or unique_key(ScMeeting, data["body"], data["starts_on"])
        meeting = services.schedule_sc_meeting(request.user, key=key, **data)
        return url_of(meeting), _("The meeting “%(title)s” is on the record.") % {
            "title": meeting.title
        }

    return handle(
        request,
        page(
            _("Schedule a Steering Committee meeting"),
            _list("scmeetings", _("Steering Committee meetings")),
            _("Schedule the meeting"),
            intro=_(
                "The date its minutes are due comes from the rule in force on the meeting's "
                "last day."
            ),
        ),
        form,
        perform,
    )


def _meeting(key: str) -> ScMeeting:
    return get_object_or_404(ScMeeting, key=key)


@staff_only
def set_agenda(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    items = list(meeting.agenda_items.all())
    form = f.ScAgendaForm(
        posted(request), initial={"agenda": "\n".join(item.title for item in items)}
    )

    def perform() -> Outcome:
        links = {item.title: item for item in items}
        agenda = []
        for title in form.cleaned_data["agenda"]:
            kept = links.get(title)
            agenda.append(
                {
                    "title": title,
                    "member": kept.member if kept else None,
                    "case": kept.case if kept else None,
                }
            )
        if [item["title"] for item in agenda] == [item.title for item in items]:
            raise InvalidInput(_("Nothing changed: the agenda is the same as before."))
        services.set_sc_agenda(request.user, meeting, agenda=agenda)
        return url_of(meeting), _("The agenda is saved.")

    return handle(
        request,
        page(
            _("Set the agenda of %(meeting)s") % {"meeting": meeting.title},
            meeting,
            _("Save the agenda"),
            notice=retracted_notice(meeting),
            intro=_(
                "The agenda is part of the meeting's record: saving it publishes a new version "
                "of the meeting. An item kept with the same title keeps the member and case it "
                "concerns."
            ),
        ),
        form,
        perform,
    )


@staff_only
def publish_minutes(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    notice = retracted_notice(meeting) or (
        _(
            "The minutes of this meeting were published on %(date)s; publish a new version "
            "of the meeting to change them."
        )
        % {"date": date_format(meeting.minutes_published_on)}
        if meeting.minutes_published_on
        else ""
    )
    form = f.ScMinutesForm(posted(request), initial={"published_on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        services.publish_sc_minutes(
            request.user,
            meeting,
            published_on=data["published_on"],
            url=data["url"],
            text=data["text"],
        )
        return url_of(meeting), _("The minutes are published.")

    due = (
        _("They are due by %(date)s; minutes published later stay marked as late.")
        % {"date": date_format(meeting.minutes_due_on)}
        if meeting.minutes_due_on
        else ""
    )
    return handle(
        request,
        page(
            _("Publish the minutes of %(meeting)s") % {"meeting": meeting.title},
            meeting,
            _("Publish the minutes"),
            notice=notice,
            intro=due,
        ),
        form,
        perform,
    )


@staff_only
def add_background_document(request: HttpRequest, key: str) -> HttpResponse:
    meeting = _meeting(key)
    notice = retracted_notice(meeting)
    form = f.BackgroundDocumentForm(posted(request), initial={"published_on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        services.add_background_document(
            request.user,
            meeting,
            title=data["title"],
            url=data["url"],
            published_on=data["published_on"],
        )
        return url_of(meeting), _("The document “%(title)s” is on the record.") % {
            "title": data["title"]
        }

    return handle(
        request,
        page(
            _("Add a background document to %(meeting)s") % {"meeting": meeting.title},
            meeting,
            _("Add the document"),
            notice=notice,
            intro=_("Background documents are published in advance of the meeting."),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- seats and co-chairs


@staff_only
def add_seat(request: HttpRequest) -> HttpResponse:
    form = f.ScSeatForm(posted(request))

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        holder = data["member"] if data["constituency"] == "government" else data["person"]
        key = data.pop("key") or unique_key(
            ScSeat, holder.key if holder else data["constituency"], data["term_start"].year
        )
        seat = services.add_sc_seat(request.user, key=key, **data)
        return url_of(seat), _("%(holder)s holds a seat from %(start)s to %(end)s.") % {
            "holder": seat.holder_name,
            "start": date_format(seat.term_start),
            "end": date_format(seat.term_end),
        }

    return handle(
        request,
        page(
            _("Record a Steering Committee seat"),
            _list("steering-committee", _("Steering Committee")),
            _("Record the seat"),
            intro=_(
                "One holder's term: it runs for the years the rule in force sets, at most the "
                "number of consecutive terms it allows, while seats are free."
            ),
        ),
        form,
        perform,
    )


@staff_only
def end_seat(request: HttpRequest, key: str) -> HttpResponse:
    seat = get_object_or_404(ScSeat.objects.select_related("member", "person"), key=key)
    notice = retracted_notice(seat) or (
        _("This seat was already left on %(date)s.") % {"date": date_format(seat.ended_on)}
        if seat.ended_on
        else ""
    )
    form = f.EndScSeatForm(posted(request))

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        services.end_sc_seat(request.user, seat, on=data["on"], reason=data["reason"])
        return url_of(seat), _("%(holder)s left the seat on %(date)s.") % {
            "holder": seat.holder_name,
            "date": date_format(data["on"]),
        }

    return handle(
        request,
        page(
            _("Record that %(holder)s left the seat early") % {"holder": seat.holder_name},
            seat,
            _("Record it"),
            notice=notice,
            intro=_("The seat stands vacant until the next holder takes it."),
        ),
        form,
        perform,
    )


def _holder_key(seat: ScSeat) -> str:
    holder = seat.member if seat.constituency == "government" else seat.person
    return holder.key if holder is not None else seat.key


@staff_only
def create_subcommittee(request: HttpRequest) -> HttpResponse:
    form = f.SubcommitteeForm(posted(request))

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or unique_key(Subcommittee, data["code"])
        subcommittee = services.create_subcommittee(request.user, key=key, **data)
        return url_of(subcommittee), _("The subcommittee %(name)s is on the record.") % {
            "name": subcommittee.name
        }

    return handle(
        request,
        page(
            _("Record a subcommittee"),
            _list("steering-committee", _("Steering Committee")),
            _("Record the subcommittee"),
        ),
        form,
        perform,
    )


@staff_only
def set_subcommittee_members(request: HttpRequest, key: str) -> HttpResponse:
    subcommittee = get_object_or_404(Subcommittee, key=key)
    notice = retracted_notice(subcommittee)
    form = f.SubcommitteeMembersForm(posted(request))

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        services.set_subcommittee_members(
            request.user,
            subcommittee,
            on=data["on"],
            seats=list(data["seats"]),
            co_chairs=list(data["co_chairs"]),
        )
        return url_of(subcommittee), _("The members of %(name)s from %(date)s are recorded.") % {
            "name": subcommittee.name,
            "date": date_format(data["on"]),
        }

    return handle(
        request,
        page(
            _("Set the members of %(name)s") % {"name": subcommittee.name},
            subcommittee,
            _("Record the members"),
            notice=notice,
            intro=_(
                "Each subcommittee has an equal number of government and civil-society "
                "members drawn from the Steering Committee."
            ),
        ),
        form,
        perform,
    )


@staff_only
def appoint_co_chair(request: HttpRequest) -> HttpResponse:
    seat = _from_query(request, ScSeat, "seat")
    form = f.CoChairForm(posted(request), initial={"seat": seat})

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or unique_key(
            CoChair, _holder_key(data["seat"]), data["role"], data["starts_on"].year
        )
        co_chair = services.appoint_co_chair(request.user, key=key, **data)
        return url_of(co_chair), _("%(holder)s is %(role)s from %(start)s.") % {
            "holder": co_chair.seat.holder_name,
            "role": co_chair.get_role_display().lower(),
            "start": date_format(co_chair.starts_on),
        }

    return handle(
        request,
        page(
            _("Appoint a co-chair"),
            seat or _list("steering-committee", _("Steering Committee")),
            _("Appoint the co-chair"),
            intro=_(
                "One lead and one incoming co-chair of each constituency at any time, each for "
                "a year from 1 October."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- envoy missions


@staff_only
def record_mission(request: HttpRequest) -> HttpResponse:
    resolution = _from_query(request, Resolution, "resolution")
    case = _from_query(request, ConcernCase, "case")
    member = (
        (case.member if case is not None else None)
        or (resolution.member if resolution is not None else None)
        or _from_query(request, Member, "member")
    )
    form = f.MissionForm(
        posted(request), initial={"member": member, "resolution": resolution, "case": case}
    )

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        when = data["starts_on"].strftime("%Y-%m") if data["starts_on"] else "mission"
        key = data.pop("key") or unique_key(EnvoyMission, data["member"].key, when)
        mission = services.record_mission(
            request.user,
            key=key,
            member=data.pop("member"),
            title=data.pop("title"),
            mandate=data.pop("mandate"),
            envoys=list(data.pop("envoys")),
            staff=list(data.pop("staff")),
            **data,
        )
        return url_of(mission), _("The mission “%(title)s” is on the record.") % {
            "title": mission.title
        }

    return handle(
        request,
        page(
            _("Record an envoy mission"),
            resolution or case or member or _list("oversight", _("Oversight")),
            _("Record the mission"),
            intro=_("Envoys sent to a member, with the mandate the resolution gave them."),
        ),
        form,
        perform,
    )


@staff_only
def report_mission(request: HttpRequest, key: str) -> HttpResponse:
    mission = get_object_or_404(EnvoyMission, key=key)
    notice = retracted_notice(mission) or (
        _(
            "The envoys reported on %(date)s; publish a new version of the mission to change "
            "the report."
        )
        % {"date": date_format(mission.reported_on)}
        if mission.reported_on
        else ""
    )
    form = f.MissionReportForm(posted(request), initial={"reported_on": _today()})

    def perform() -> Outcome:
        _refuse_when(notice)
        services.report_mission(request.user, mission, **form.cleaned_data)
        return url_of(mission), _("The envoys' report is on the record.")

    return handle(
        request,
        page(
            _("Record the report of %(mission)s") % {"mission": mission.title},
            mission,
            _("Record the report"),
            notice=notice,
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- procedural review


@staff_only
def record_contrary_finding(request: HttpRequest) -> HttpResponse:
    plan = _from_query(request, ActionPlan, "plan")
    form = f.ContraryFindingForm(posted(request), initial={"plan": plan, "found_on": _today()})

    def perform() -> Outcome:
        data = dict(form.cleaned_data)
        key = data.pop("key") or unique_key(ContraryFinding, data["plan"].key, data["trigger"])
        finding = review_services.record_contrary_finding(request.user, key=key, **data)
        message = _("The finding is on the record.")
        review = finding.reviews.filter(opened_on=finding.found_on).first()
        if review is not None:
            message += " " + _(
                "With it, %(member)s acted contrary to process in consecutive cycles: a "
                "procedural review is open and the member is under review."
            ) % {"member": finding.member.name}
        return url_of(finding), message

    return handle(
        request,
        page(
            _("Record a contrary-to-process finding"),
            plan or _list("oversight", _("Oversight")),
            _("Record the finding"),
            intro=_(
                "A member acted contrary to process in one action-plan cycle. The second "
                "consecutive cycle so found opens a procedural review."
            ),
        ),
        form,
        perform,
    )


@staff_only
def advance_review(request: HttpRequest, key: str) -> HttpResponse:
    review = get_object_or_404(ProceduralReview.objects.select_related("member"), key=key)
    state = ReviewState(review.state).label
    notice = retracted_notice(review) or (
        ""
        if f.review_targets(review.state)
        else _("The review is closed: nothing more can happen in it.")
    )
    form = f.AdvanceReviewForm(
        posted(request),
        review=review,
        initial={"on": _today(), "by": Body.CRITERIA_STANDARDS},
    )

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        review_services.advance_review(
            request.user,
            review,
            to=data["to"],
            on=data["on"],
            by=data["by"],
            document=data["document"],
            note=data["note"],
            resolution=data["resolution"],
        )
        return url_of(review), _("The review is now %(state)s.") % {
            "state": ReviewState(review.state).label.lower()
        }

    return handle(
        request,
        page(
            _("Record a step of the procedural review of %(member)s")
            % {"member": review.member.name},
            review,
            _("Record the step"),
            notice=notice,
            intro=_(
                "The review is %(state)s since %(since)s. Rectified returns the member to "
                "active; only a Steering Committee resolution makes it inactive."
            )
            % {"state": state.lower(), "since": date_format(review.state_since)},
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- any oversight record


new_version = new_version_view(
    EDITABLE_MODELS,
    services.update_record,
    f.new_version_form_class,
    page_of=page,
    url_of=url_of,
    name_of=label_of,
)


retract = retract_view(RETRACTABLE_MODELS, services.retract, url_of=url_of, page_of=page)
