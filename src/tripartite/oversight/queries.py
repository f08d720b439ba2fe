"""Read side of the Steering Committee's record: loads each page's data in a fixed number
of queries and shapes it into the schemas that the HTML pages, their JSON twins and the
API return.

Nothing here writes. Related rows come with ``select_related``/``prefetch_related`` so a
page never issues a query per row. A case's confidential notes are never read into a
shape: only the commitment to each note leaves the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.core.models import PublicRecord
from tripartite.core.policy import PolicyRow, PolicySet
from tripartite.forums.choices import MemberStatus
from tripartite.forums.models import Member, Person
from tripartite.forums.schemas import Ref
from tripartite.plans import queries as plan_queries
from tripartite.plans.models import ActionPlan

from . import compliance, rules
from . import schemas as s
from .choices import (
    CLOSED_CASE_STATES,
    CoChairRole,
    Constituency,
    ContraryTrigger,
    ReviewState,
    TaskStatus,
)
from .models import (
    CaseStep,
    CoChair,
    ComplianceReading,
    ConcernCase,
    ContraryFinding,
    EnvoyMission,
    OutreachTask,
    ProceduralReview,
    Resolution,
    ReviewStep,
    ScAgendaItem,
    ScMeeting,
    ScSeat,
    StatusChange,
    Subcommittee,
    SubcommitteeMembership,
)

HUB_SIZE = 20  # rows of each hub list
FEED_SIZE = 50
OPEN_REVIEW_STATES = (ReviewState.OPEN, ReviewState.SUPPORT_PLAN, ReviewState.ESCALATED)
LIVE = {"retracted_at__isnull": True}


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- links


@functools.cache
def _pattern(name: str, script_prefix: str) -> str | None:
    try:
        return reverse(name, kwargs={"key": plan_queries._KEY})
    except NoReverseMatch:
        return None


def url_of(record_type: str, key: str) -> str:
    """``<type>-detail`` reversed once per type and prefix, then filled in ("" if unknown)."""
    pattern = _pattern(f"{record_type}-detail", get_script_prefix())
    return pattern.replace(plan_queries._KEY, key) if pattern else ""


def standing_url(member_key: str) -> str:
    return reverse("member-standing", kwargs={"key": member_key})


def id_ref(public_id: str, label: str | None = None) -> Ref | None:
    """A reference from a public id alone (evidence, documents, policy rows)."""
    record_type, sep, key = str(public_id).partition("/")
    if not sep or not key:
        return None
    url = url_of(record_type, key)
    if not url:
        return None
    return Ref.model_construct(id=public_id, label=label or public_id, url=url)


def policy_ref(row: PolicyRow | None) -> Ref | None:
    if row is None:
        return None
    return Ref.model_construct(id=row.public_id, label=row.title, url=url_of("policy", row.key))


def _policy_ref_by_id(public_id: str, policies: PolicySet) -> Ref | None:
    if not public_id:
        return None
    key = public_id.partition("/")[2]
    row = next((r for r in policies.all_rows() if r.key == key), None)
    return policy_ref(row) if row is not None else id_ref(public_id)


def _years(start: dt.date, end: dt.date) -> str:
    return f"{start.year}\N{EN DASH}{end.year}"


def _label(record: PublicRecord) -> str:
    if isinstance(record, ScSeat):
        return _("%(holder)s, %(constituency)s seat %(years)s") % {
            "holder": record.holder_name,
            "constituency": str(Constituency(record.constituency).label).lower(),
            "years": _years(record.term_start, record.last_day),
        }
    if isinstance(record, CoChair):
        return _("%(holder)s: %(role)s %(years)s") % {
            "holder": record.seat.holder_name,
            "role": CoChairRole(record.role).label,
            "years": _years(record.starts_on, record.ends_on),
        }
    if isinstance(record, Subcommittee):
        return record.name
    if isinstance(record, ScMeeting):
        return f"{record.starts_on.isoformat()} — {record.title}"
    if isinstance(record, Resolution | ConcernCase | EnvoyMission):
        return record.title
    if isinstance(record, StatusChange):
        return _("%(member)s: %(from)s → %(to)s on %(on)s") % {
            "member": record.member.name,
            "from": rules.status_label(record.from_status),
            "to": rules.status_label(record.to_status),
            "on": record.on.isoformat(),
        }
    if isinstance(record, ContraryFinding):
        return _("%(member)s, %(plan)s: %(trigger)s") % {
            "member": record.member.name,
            "plan": record.plan.title,
            "trigger": ContraryTrigger(record.trigger).label,
        }
    if isinstance(record, ProceduralReview):
        return _("Procedural review of %(member)s, opened %(on)s") % {
            "member": record.member.name,
            "on": record.opened_on.isoformat(),
        }
    if isinstance(record, ComplianceReading):
        return _("Compliance reading of %(plan)s") % {"plan": record.plan.title}
    return plan_queries.link(record).label


def link(record: PublicRecord, label: str | None = None) -> Ref:
    """A reference to a record that is always there."""
    return Ref.model_construct(
        id=record.public_id,
        label=label if label is not None else _label(record),
        url=url_of(record.RECORD_TYPE, record.key),
    )


def ref(record: PublicRecord | None) -> Ref | None:
    return None if record is None else link(record)


def refs(records: Iterable[PublicRecord]) -> list[Ref]:
    return [link(record) for record in records]


def _identity(record: PublicRecord) -> dict[str, Any]:
    return {
        "id": record.public_id,
        "version": record.version,
        "url": url_of(record.RECORD_TYPE, record.key),
        "retracted": record.is_retracted,
    }


def _retraction(record: PublicRecord) -> dict[str, Any]:
    return {"retraction_reason": record.retraction_reason}


# ---------------------------------------------------------------- querysets (bounded queries)

SEAT_RELATED = ("member", "person", "organization")


def sc_seats() -> QuerySet[ScSeat]:
    return ScSeat.objects.select_related(*SEAT_RELATED).order_by(
        "-term_start", "constituency", "key"
    )


def co_chairs() -> QuerySet[CoChair]:
    return CoChair.objects.select_related("seat", "seat__member", "seat__person").order_by(
        "-starts_on", "seat__constituency", "role", "key"
    )


def subcommittees() -> QuerySet[Subcommittee]:
    return Subcommittee.objects.order_by("code", "key")


def sc_meetings() -> QuerySet[ScMeeting]:
    return ScMeeting.objects.order_by("-starts_on", "key")


def resolutions() -> QuerySet[Resolution]:
    return Resolution.objects.select_related("meeting", "member", "case").order_by(
        "-adopted_on", "key"
    )


def status_changes() -> QuerySet[StatusChange]:
    return StatusChange.objects.select_related(
        "member", "resolution", "letter", "review", "review__member", "case"
    ).order_by("-on", "key")


def cases() -> QuerySet[ConcernCase]:
    return ConcernCase.objects.select_related("member").order_by("-received_on", "key")


def missions() -> QuerySet[EnvoyMission]:
    return EnvoyMission.objects.select_related("member", "resolution", "case").order_by(
        "-starts_on", "key"
    )


def contrary_findings() -> QuerySet[ContraryFinding]:
    return ContraryFinding.objects.select_related(
        "member", "plan", "irm_report", "letter"
    ).order_by("-found_on", "key")


def reviews() -> QuerySet[ProceduralReview]:
    return ProceduralReview.objects.select_related("member").order_by("-opened_on", "key")


def compliance_readings() -> QuerySet[ComplianceReading]:
    return ComplianceReading.objects.select_related("member", "plan").order_by(
        "member__name", "plan__number"
    )


def filter_by_member(queryset: QuerySet[Any], member: str | None) -> QuerySet[Any]:
    """Rows about one member; a meeting is about the members its agenda names."""
    if not member:
        return queryset
    if queryset.model is ScMeeting:
        return queryset.filter(agenda_items__member__key=member).distinct()
    return queryset.filter(member__key=member)


# ---------------------------------------------------------------- shapes


def seat_out(seat: ScSeat) -> s.ScSeatOut:
    return s.ScSeatOut(
        **_identity(seat),
        constituency=seat.constituency,
        holder=seat.holder_name,
        member=ref(seat.member),
        person=ref(seat.person),
        organization=ref(seat.organization),
        region=seat.region,
        selection=seat.selection,
        term_number=seat.term_number,
        term_start=seat.term_start,
        term_end=seat.term_end,
        term_rule=id_ref(seat.term_rule) if seat.term_rule else None,
        ended_on=seat.ended_on,
        end_reason=seat.end_reason,
    )


def co_chair_out(chair: CoChair) -> s.CoChairOut:
    return s.CoChairOut(
        **_identity(chair),
        seat=link(chair.seat),
        holder=chair.seat.holder_name,
        constituency=chair.seat.constituency,
        role=chair.role,
        starts_on=chair.starts_on,
        ends_on=chair.ends_on,
    )


def subcommittee_out(sub: Subcommittee) -> s.SubcommitteeOut:
    return s.SubcommitteeOut(
        **_identity(sub),
        code=sub.code,
        name=sub.name,
        remit=sub.remit,
        established_on=sub.established_on,
        ended_on=sub.ended_on,
    )


def _membership_out(membership: SubcommitteeMembership) -> s.SubcommitteeMemberOut:
    return s.SubcommitteeMemberOut(
        seat=link(membership.seat),
        holder=membership.seat.holder_name,
        constituency=membership.seat.constituency,
        co_chair=membership.co_chair,
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


def minutes_state(meeting: ScMeeting, on: dt.date) -> str:
    """published | late | overdue | pending (see ``ScMeetingOut.minutes_state``)."""
    due, published = meeting.minutes_due_on, meeting.minutes_published_on
    if published is not None:
        return "late" if due is not None and published > due else "published"
    if due is not None and on > due:
        return "overdue"
    return "pending"


def meeting_out(meeting: ScMeeting, on: dt.date | None = None) -> s.ScMeetingOut:
    return s.ScMeetingOut(
        **_identity(meeting),
        title=meeting.title,
        body=meeting.body,
        level=meeting.level,
        starts_on=meeting.starts_on,
        ends_on=meeting.ends_on,
        place=meeting.place,
        mode=meeting.mode,
        minutes_due_on=meeting.minutes_due_on,
        minutes_published_on=meeting.minutes_published_on,
        minutes_state=minutes_state(meeting, on or today()),
    )


def resolution_out(resolution: Resolution) -> s.ResolutionOut:
    return s.ResolutionOut(
        **_identity(resolution),
        body=resolution.body,
        title=resolution.title,
        method=resolution.method,
        votes_for=resolution.votes_for,
        votes_against=resolution.votes_against,
        abstentions=resolution.abstentions,
        outcome=resolution.outcome,
        adopted_on=resolution.adopted_on,
        effective_on=resolution.effective_on,
        meeting=ref(resolution.meeting),
        member=ref(resolution.member),
        case=ref(resolution.case),
    )


def status_change_out(change: StatusChange) -> s.StatusChangeOut:
    return s.StatusChangeOut(
        **_identity(change),
        member=link(change.member),
        from_status=change.from_status,
        to_status=change.to_status,
        on=change.on,
        reason=change.reason,
        resolution=ref(change.resolution),
        letter=ref(change.letter),
        review=ref(change.review),
        case=ref(change.case),
    )


def case_out(case: ConcernCase) -> s.CaseOut:
    return s.CaseOut(
        **_identity(case),
        member=link(case.member),
        track=case.track,
        title=case.title,
        received_on=case.received_on,
        state=case.state,
        state_since=case.state_since,
        closed_on=case.closed_on,
        closed=case.state in CLOSED_CASE_STATES,
    )


def mission_out(mission: EnvoyMission) -> s.MissionOut:
    return s.MissionOut(
        **_identity(mission),
        member=link(mission.member),
        title=mission.title,
        resolution=ref(mission.resolution),
        case=ref(mission.case),
        starts_on=mission.starts_on,
        ends_on=mission.ends_on,
        place=mission.place,
        reported_on=mission.reported_on,
    )


def contrary_out(finding: ContraryFinding) -> s.ContraryOut:
    return s.ContraryOut(
        **_identity(finding),
        member=link(finding.member),
        plan=link(finding.plan),
        trigger=finding.trigger,
        source=finding.source,
        found_on=finding.found_on,
        irm_report=ref(finding.irm_report),
        letter=ref(finding.letter),
    )


def review_out(review: ProceduralReview) -> s.ReviewOut:
    return s.ReviewOut(
        **_identity(review),
        member=link(review.member),
        opened_on=review.opened_on,
        state=review.state,
        state_since=review.state_since,
        closed_on=review.closed_on,
        outcome=review.outcome,
    )


def reading_out(reading: ComplianceReading) -> s.ComplianceReadingOut:
    return s.ComplianceReadingOut(
        **_identity(reading),
        member=link(reading.member),
        plan=link(reading.plan),
        computed_on=reading.computed_on,
    )


def member_status_out(member: Member) -> s.MemberStatusOut:
    return s.MemberStatusOut(
        id=member.public_id,
        name=member.name,
        url=url_of(member.RECORD_TYPE, member.key),
        standing_url=standing_url(member.key),
        kind=member.kind,
        status=member.status,
        status_since=member.status_since,
    )


def finding_out(finding: dict[str, Any], policies: PolicySet) -> s.FindingOut:
    """A finding (``compliance.Finding.as_dict()`` or a stored one) with its links."""
    evidence = [id_ref(str(item)) for item in finding.get("evidence") or []]
    return s.FindingOut(
        rule=str(finding.get("rule", "")),
        status=str(finding.get("status", "")),
        explanation=str(finding.get("explanation", "")),
        evidence=[
            item if item is not None else Ref.model_construct(id=str(raw), label=str(raw), url="")
            for item, raw in zip(evidence, finding.get("evidence") or [], strict=True)
        ],
        missing=str(finding.get("missing", "")),
        policy=_policy_ref_by_id(str(finding.get("policy", "")), policies),
        era=str(finding.get("era", "")),
        verified=bool(finding.get("verified", True)),
    )


# ---------------------------------------------------------------- the committee


def seat_detail(key: str) -> s.ScSeatDetail:
    seat = get_object_or_404(sc_seats(), key=key)
    chairs = list(CoChair.objects.filter(seat=seat).order_by("starts_on", "key"))
    for chair in chairs:
        chair.seat = seat
    subs = list(
        Subcommittee.objects.filter(memberships__seat=seat).distinct().order_by("code", "key")
    )
    return s.ScSeatDetail(
        **seat_out(seat).model_dump(),
        **_retraction(seat),
        source_url=seat.source_url,
        co_chairs=[co_chair_out(chair) for chair in chairs],
        subcommittees=refs(subs),
    )


def co_chair_detail(key: str) -> s.CoChairDetail:
    chair = get_object_or_404(
        CoChair.objects.select_related("seat", "seat__member", "seat__person"), key=key
    )
    return s.CoChairDetail(
        **co_chair_out(chair).model_dump(),
        **_retraction(chair),
        source_url=chair.source_url,
        term_start=chair.seat.term_start,
        term_end=chair.seat.last_day,
    )


def _memberships() -> QuerySet[SubcommitteeMembership]:
    return SubcommitteeMembership.objects.select_related(
        "seat", "seat__member", "seat__person"
    ).order_by("starts_on", "seat__constituency", "seat__key")


def subcommittee_detail(key: str) -> s.SubcommitteeDetail:
    sub = get_object_or_404(Subcommittee, key=key)
    return s.SubcommitteeDetail(
        **subcommittee_out(sub).model_dump(),
        **_retraction(sub),
        source_url=sub.source_url,
        members=[_membership_out(m) for m in _memberships().filter(subcommittee=sub)],
    )


def _held_on(on: dt.date, prefix: str = "") -> Q:
    """Seats held on ``on`` (``prefix``: the path to the seat, e.g. ``"seat__"``)."""
    return Q(**{f"{prefix}term_start__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}term_end__gte": on})
        | Q(**{f"{prefix}ended_on__gte": on})
    )


def committee_on(on: dt.date | None = None, policies: PolicySet | None = None) -> s.CommitteeOut:
    """The seats, co-chairs and subcommittee members on ``on`` (default today)."""
    on = on or today()
    policies = policies or PolicySet.load()
    per = rules.seats_per_constituency(policies, on)
    held = list(sc_seats().filter(_held_on(on), **LIVE).order_by("constituency", "term_start"))
    sides = []
    for constituency in Constituency.values:
        seats = [seat for seat in held if seat.constituency == constituency]
        sides.append(
            s.CommitteeSide(
                constituency=constituency,
                seats=[seat_out(seat) for seat in seats],
                held=len(seats),
                vacancies=max(per - len(seats), 0) if per is not None else 0,
            )
        )
    chairs = list(
        co_chairs()
        .filter(starts_on__lte=on, ends_on__gte=on, **LIVE)
        .order_by("seat__constituency", "role", "key")
    )
    # Members are drawn from the committee: a membership counts while its seat is held.
    members_on = _memberships().filter(
        Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on)),
        _held_on(on, "seat__"),
    )
    subs = list(
        Subcommittee.objects.filter(**LIVE)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .prefetch_related(Prefetch("memberships", queryset=members_on, to_attr="members_on"))
        .order_by("code", "key")
    )
    on_date = []
    for sub in subs:
        members = [_membership_out(m) for m in sub.members_on]
        government = sum(m.constituency == Constituency.GOVERNMENT for m in members)
        civil = sum(m.constituency == Constituency.CIVIL_SOCIETY for m in members)
        on_date.append(
            s.SubcommitteeOnDate(
                subcommittee=link(sub),
                code=sub.code,
                name=sub.name,
                members=members,
                government=government,
                civil_society=civil,
                balanced=government == civil,
            )
        )
    return s.CommitteeOut(
        on=on,
        size_rule=policy_ref(policies.find("sc.size", on)),
        seats_per_constituency=per,
        sides=sides,
        parity=per is not None,
        held_balanced=sides[0].held == sides[1].held,
        co_chairs=[co_chair_out(chair) for chair in chairs],
        subcommittees=on_date,
    )


# ---------------------------------------------------------------- meetings and resolutions


def meeting_detail(key: str, *, on: dt.date | None = None) -> s.ScMeetingDetail:
    meeting = get_object_or_404(ScMeeting, key=key)
    agenda = list(
        ScAgendaItem.objects.filter(meeting=meeting)
        .select_related("member", "case")
        .order_by("position")
    )
    background = list(meeting.background_documents.order_by("published_on", "id"))
    own = list(resolutions().filter(meeting=meeting).order_by("adopted_on", "key"))
    policies = PolicySet.load()
    return s.ScMeetingDetail(
        **meeting_out(meeting, on).model_dump(),
        **_retraction(meeting),
        minutes_rule=_policy_ref_by_id(meeting.minutes_rule, policies),
        minutes_url=meeting.minutes_url,
        minutes_text=meeting.minutes_text,
        summary=meeting.summary,
        source_url=meeting.source_url,
        agenda=[
            s.ScAgendaItemOut(
                position=item.position,
                title=item.title,
                member=ref(item.member),
                case=ref(item.case),
            )
            for item in agenda
        ],
        background=[
            s.BackgroundDocumentOut(
                title=doc.title,
                url=doc.url,
                published_on=doc.published_on,
                in_advance=(
                    doc.published_on < meeting.starts_on if doc.published_on is not None else None
                ),
            )
            for doc in background
        ],
        resolutions=[resolution_out(r) for r in own],
    )


def resolution_detail(key: str) -> s.ResolutionDetail:
    resolution = get_object_or_404(resolutions(), key=key)
    own_missions = list(
        EnvoyMission.objects.filter(resolution=resolution).order_by("starts_on", "key")
    )
    changes = list(status_changes().filter(resolution=resolution).order_by("on", "key"))
    return s.ResolutionDetail(
        **resolution_out(resolution).model_dump(),
        **_retraction(resolution),
        text=resolution.text,
        source_url=resolution.source_url,
        missions=refs(own_missions),
        status_changes=[status_change_out(c) for c in changes],
    )


def status_change_detail(key: str) -> s.StatusChangeDetail:
    change = get_object_or_404(status_changes(), key=key)
    return s.StatusChangeDetail(**status_change_out(change).model_dump(), **_retraction(change))


# ---------------------------------------------------------------- cases and missions


def _step_out(step: CaseStep, policies: PolicySet) -> s.CaseStepOut:
    rule: Ref | None = None
    if step.deadline_rule:
        rule = _policy_ref_by_id(step.deadline_rule, policies)
    else:
        code = rules.CASE_DEADLINE_CODES.get(step.to_state)
        rule = policy_ref(policies.find(code, step.on)) if code else None
    document_ref = id_ref(step.document) if "/" in step.document else None
    return s.CaseStepOut(
        from_state=step.from_state,
        to_state=step.to_state,
        on=step.on,
        actor_body=step.actor_body,
        document=step.document,
        document_ref=document_ref,
        document_url=step.document_url,
        note=step.note,
        deadline=step.deadline,
        deadline_rule=rule,
        confidential_commitment=step.confidential_commitment or None,
    )


def _task_out(task: OutreachTask, on: dt.date) -> s.OutreachTaskOut:
    return s.OutreachTaskOut(
        number=task.number,
        title=task.title,
        owner=link(task.owner),
        due_on=task.due_on,
        status=task.status,
        done_on=task.done_on,
        outcome=task.outcome,
        overdue=task.status == TaskStatus.OPEN and on > task.due_on,
    )


# Only the public columns of a step: the confidential note and its salt stay in the database.
PUBLIC_STEP_FIELDS = (
    "id",
    "case_id",
    "from_state",
    "to_state",
    "on",
    "actor_body",
    "document",
    "document_url",
    "note",
    "deadline",
    "deadline_rule",
    "confidential_commitment",
)


def case_detail(key: str, *, on: dt.date | None = None) -> s.CaseDetail:
    on = on or today()
    case = get_object_or_404(cases().select_related("letter"), key=key)
    steps = list(CaseStep.objects.filter(case=case).only(*PUBLIC_STEP_FIELDS).order_by("on", "id"))
    filers = list(case.filers.select_related("organization").order_by("id"))
    tasks = list(case.tasks.select_related("owner").order_by("number"))
    policies = PolicySet.load()
    own_resolutions = list(resolutions().filter(case=case).order_by("adopted_on", "key"))
    own_missions = list(EnvoyMission.objects.filter(case=case).order_by("starts_on", "key"))
    changes = list(StatusChange.objects.filter(case=case).select_related("member").order_by("on"))
    return s.CaseDetail(
        **case_out(case).model_dump(),
        **_retraction(case),
        concerns=case.concerns,
        source_url=case.source_url,
        letter=ref(case.letter),
        letters=refs(case.letters.order_by("key")),
        statements=refs(case.statements.order_by("key")),
        filers=[
            s.CaseFilerOut(organization=link(f.organization), category=f.category) for f in filers
        ],
        steps=[_step_out(step, policies) for step in steps],
        tasks=[_task_out(task, on) for task in tasks],
        resolutions=[resolution_out(r) for r in own_resolutions],
        missions=refs(own_missions),
        status_changes=refs(changes),
    )


def mission_detail(key: str) -> s.MissionDetail:
    mission = get_object_or_404(
        missions().prefetch_related(
            Prefetch("envoys", queryset=Person.objects.order_by("name")),
            Prefetch("staff", queryset=Person.objects.order_by("name")),
        ),
        key=key,
    )
    return s.MissionDetail(
        **mission_out(mission).model_dump(),
        **_retraction(mission),
        mandate=mission.mandate,
        envoys=refs(mission.envoys.all()),
        staff=refs(mission.staff.all()),
        report=mission.report,
        report_url=mission.report_url,
        source_url=mission.source_url,
    )


# ---------------------------------------------------------------- procedural review


def contrary_detail(key: str) -> s.ContraryDetail:
    finding = get_object_or_404(contrary_findings(), key=key)
    own_reviews = list(finding.reviews.select_related("member").order_by("opened_on", "key"))
    return s.ContraryDetail(
        **contrary_out(finding).model_dump(),
        **_retraction(finding),
        explanation=finding.explanation,
        reviews=refs(own_reviews),
    )


def review_detail(key: str) -> s.ReviewDetail:
    review = get_object_or_404(reviews(), key=key)
    findings = list(
        contrary_findings().filter(reviews=review).order_by("found_on", "key").distinct()
    )
    steps = list(ReviewStep.objects.filter(review=review).order_by("on", "id"))
    changes = list(status_changes().filter(review=review).order_by("on", "key"))
    return s.ReviewDetail(
        **review_out(review).model_dump(),
        **_retraction(review),
        findings=[contrary_out(f) for f in findings],
        steps=[
            s.ReviewStepOut(
                from_state=step.from_state,
                to_state=step.to_state,
                on=step.on,
                actor_body=step.actor_body,
                document=step.document,
                note=step.note,
            )
            for step in steps
        ],
        status_changes=[status_change_out(c) for c in changes],
    )


def reading_detail(key: str) -> s.ComplianceReadingDetail:
    reading = get_object_or_404(compliance_readings(), key=key)
    policies = PolicySet.load()
    return s.ComplianceReadingDetail(
        **reading_out(reading).model_dump(),
        **_retraction(reading),
        findings=[finding_out(f, policies) for f in reading.findings or []],
    )


# ---------------------------------------------------------------- a member's standing


def standing(key: str, *, on: dt.date | None = None) -> s.StandingOut:
    """Where a member stands: its status history, the compliance engine's reading of each
    plan cycle, its contrary findings, reviews, cases, missions and resolutions."""
    on = on or today()
    member = get_object_or_404(Member, key=key)
    policies = PolicySet.load()
    findings = compliance.evaluate(member, today=on, policies=policies)
    member_plans = {
        plan.public_id: plan for plan in ActionPlan.objects.filter(member=member).order_by("number")
    }
    stored = {
        reading.plan_id: reading
        for reading in ComplianceReading.objects.filter(member=member, **LIVE).select_related(
            "plan"
        )
    }
    cycles: dict[str, list[s.FindingOut]] = {}
    for finding in findings:
        cycles.setdefault(finding.plan, []).append(finding_out(finding.as_dict(), policies))
    compliance_rows = []
    for plan_id, rows in cycles.items():
        plan = member_plans.get(plan_id)
        if plan is None:
            continue
        plan.member = member
        compliance_rows.append(
            s.CycleCompliance(
                plan=link(plan), findings=rows, stored_reading=ref(stored.get(plan.pk))
            )
        )
    changes = list(status_changes().filter(member=member).order_by("on", "key"))
    member_cases = [case_out(c) for c in cases().filter(member=member)]
    return s.StandingOut(
        member=member_status_out(member),
        today=on,
        status_changes=[status_change_out(c) for c in changes],
        compliance=compliance_rows,
        contrary_findings=[
            contrary_out(f) for f in contrary_findings().filter(member=member).order_by("found_on")
        ],
        reviews=[review_out(r) for r in reviews().filter(member=member)],
        open_cases=[c for c in member_cases if not c.closed],
        closed_cases=[c for c in member_cases if c.closed],
        missions=[mission_out(m) for m in missions().filter(member=member)],
        resolutions=[resolution_out(r) for r in resolutions().filter(member=member)],
    )


# ---------------------------------------------------------------- the hub


def hub(*, on: dt.date | None = None) -> s.HubOut:
    on = on or today()
    members = list(Member.objects.filter(**LIVE).order_by("name", "key"))
    counts = {status: 0 for status in MemberStatus.values}
    for member in members:
        counts[member.status] = counts.get(member.status, 0) + 1
    open_cases = (
        cases().filter(**LIVE).exclude(state__in=CLOSED_CASE_STATES).order_by("-state_since")
    )
    open_reviews = reviews().filter(state__in=OPEN_REVIEW_STATES, **LIVE)
    watch = (
        sc_meetings()
        .filter(minutes_published_on__isnull=True, **LIVE)
        .order_by("minutes_due_on", "starts_on", "key")
    )
    return s.HubOut(
        today=on,
        members=[member_status_out(m) for m in members],
        status_counts=[s.StatusCount(status=k, count=v) for k, v in counts.items()],
        open_cases=[case_out(c) for c in open_cases[:HUB_SIZE]],
        open_reviews=[review_out(r) for r in open_reviews[:HUB_SIZE]],
        minutes_watch=[meeting_out(m, on) for m in watch[:HUB_SIZE]],
        latest_resolutions=[resolution_out(r) for r in resolutions().filter(**LIVE)[:HUB_SIZE]],
    )
