"""Read side of action plans: loads each page's data in a fixed number of queries and
shapes it into the schemas that the HTML pages, their JSON twins and the API return.

A plan dashboard reads its commitments, milestones, progress reports and assessments in
one query each, whatever their number, and works out the rest in memory. Each party's
progress is kept apart: the latest report of each party stands beside the others', and a
difference is flagged by ``rules.disagreement``, never averaged away.

The dashboard's per-commitment shapes are built with ``model_construct``: they come from
rows just read and typed by the models, and validating thousands of nested shapes (and
again when the plan's shape nests them) would cost more than the queries. The tests check
that the dashboard's JSON validates against ``PlanDetail``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tripartite.core.models import PolicyRule, PublicRecord
from tripartite.core.policy import SEED, PolicyRow, PolicySet
from tripartite.forums import queries as forum_queries
from tripartite.forums.models import Forum, Member, Organization
from tripartite.forums.schemas import Ref

from . import rules
from . import schemas as s
from .choices import (
    HIGH_COMPLETION,
    Completion,
    Methodology,
    Moderation,
    OgpValue,
    Party,
    PlanState,
)
from .models import (
    ActionPlan,
    Assessment,
    Commitment,
    Input,
    IrmReport,
    Milestone,
    PlanTransition,
    ProgressReport,
)

PARTIES: tuple[str, ...] = tuple(Party.values)
# Completion levels in the order the charts stack them; "" is "unknown".
LEVELS: tuple[str, ...] = (
    Completion.COMPLETE,
    Completion.SUBSTANTIAL,
    Completion.LIMITED,
    Completion.NOT_STARTED,
    Completion.NO_EVIDENCE,
    "",
)
WHOLE_COMMITMENT = "commitment"
FEED_SIZE = 50


# ---------------------------------------------------------------- links

_KEY = "key-placeholder-0"


@functools.cache
def _url_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, kwargs={"key": _KEY})


def url_of(record_type: str, key: str) -> str:
    """``<type>-detail`` reversed once per type and prefix, then filled in: a plan of 500
    commitments links thousands of records, and ``reverse`` per link is slow."""
    return _url_pattern(f"{record_type}-detail", get_script_prefix()).replace(_KEY, key)


def _label(record: PublicRecord) -> str:
    if isinstance(record, ActionPlan):
        return record.title
    if isinstance(record, Commitment):
        return f"{record.key}: {record.short_title or record.title}"
    if isinstance(record, Milestone):
        return _("Milestone %(number)s: %(deliverable)s") % {
            "number": record.number,
            "deliverable": Truncator(record.deliverable).chars(90),
        }
    if isinstance(record, ProgressReport):
        return _report_label(record.reported_on, record.party)
    if isinstance(record, IrmReport):
        return record.title
    if isinstance(record, Assessment):
        return f"{record.report.title} — {record.commitment.key}"
    if isinstance(record, Input):
        return record.title
    if isinstance(record, Member | Organization | Forum):
        return record.name  # as the forum record labels them
    return forum_queries.link(record).label


def _report_label(reported_on: dt.date, party: str) -> str:
    return f"{reported_on.isoformat()} — {Party(party).label}"


def link(record: PublicRecord, label: str | None = None) -> Ref:
    """A reference to a record that is always there."""
    return Ref.model_construct(
        id=record.public_id,
        label=label if label is not None else _label(record),
        url=url_of(record.RECORD_TYPE, record.key),
    )


def ref(record: PublicRecord | None) -> Ref | None:
    """A reference to a record that may be missing."""
    return None if record is None else link(record)


def refs(records: Iterable[PublicRecord]) -> list[Ref]:
    return [link(record) for record in records]


def _identity(record: PublicRecord) -> dict[str, Any]:
    """The fields every record's shape starts with."""
    return {
        "id": record.public_id,
        "version": record.version,
        "url": url_of(record.RECORD_TYPE, record.key),
        "retracted": record.is_retracted,
    }


def _evidence(items: Any) -> list[s.Evidence]:
    return [
        s.Evidence(label=str(item.get("label") or item.get("url")), url=str(item["url"]))
        for item in items or []
        if isinstance(item, dict) and item.get("url")
    ]


def input_link(item: Input) -> Ref:
    """A published co-creation input. Its page belongs to co-creation: a plain path."""
    label = item.title
    if item.is_retracted:
        label = _("%(title)s (retracted)") % {"title": label}
    return Ref(id=item.public_id, label=label, url=f"/input/{item.key}/")


def _public_inputs(queryset: QuerySet[Input]) -> QuerySet[Input]:
    """Only input a moderator published: pending input is private, withheld input keeps
    its words off every page."""
    return queryset.filter(moderation=Moderation.PUBLISHED, version__gt=0)


# ---------------------------------------------------------------- shapes


def plan_out(plan: ActionPlan, commitment_count: int | None = None) -> s.PlanOut:
    count = (
        commitment_count if commitment_count is not None else getattr(plan, "commitment_count", 0)
    )
    return s.PlanOut(
        **_identity(plan),
        member=link(plan.member),
        forum=ref(plan.forum),
        number=plan.number,
        title=plan.title,
        original_title=plan.original_title,
        language=plan.language,
        length_years=plan.length,
        start_on=plan.start_on,
        end_on=plan.end_on,
        state=plan.state,
        state_since=plan.state_since,
        due_on=plan.due_on,
        delivered_on=plan.delivered_on,
        commitment_count=count,
    )


def commitment_out(commitment: Commitment) -> s.CommitmentOut:
    return s.CommitmentOut(
        **_identity(commitment),
        plan=link(commitment.plan),
        number=commitment.number,
        title=commitment.title,
        short_title=commitment.short_title,
        lead_institution=ref(commitment.lead_institution),
        themes=list(commitment.themes),
        ogp_values=list(commitment.ogp_values),
        start_on=commitment.start_on,
        end_on=commitment.end_on,
    )


def milestone_out(milestone: Milestone) -> s.MilestoneOut:
    return s.MilestoneOut(
        **_identity(milestone),
        commitment=link(milestone.commitment),
        number=milestone.number,
        deliverable=milestone.deliverable,
        responsible=ref(milestone.responsible),
        start_on=milestone.start_on,
        end_on=milestone.end_on,
        status=milestone.status,
        evidence=_evidence(milestone.evidence),
    )


def progress_out(report: ProgressReport) -> s.ProgressOut:
    return s.ProgressOut(
        **_identity(report),
        commitment=link(report.commitment),
        milestone=ref(report.milestone),
        party=report.party,
        author=ref(report.author),
        reported_on=report.reported_on,
        completion=report.completion,
        text=report.text,
        language=report.language,
        evidence=_evidence(report.evidence),
    )


def irm_report_out(report: IrmReport) -> s.IrmReportOut:
    return s.IrmReportOut(
        **_identity(report),
        plan=link(report.plan),
        report_type=report.report_type,
        methodology=report.methodology,
        title=report.title,
        researcher=report.researcher,
        state=report.state,
        published_on=report.published_on,
    )


def _policy_ref(row: PolicyRow | None) -> Ref | None:
    if row is None:
        return None
    return Ref(id=row.public_id, label=row.title, url=_policy_url(row.key))


def _policy_url(key: str) -> str:
    return reverse("policy-detail", kwargs={"key": key})


def assessment_out(assessment: Assessment, policies: PolicySet) -> s.AssessmentOut:
    """The assessment as published, with what the star rule in force on the report's
    publication derives from its coding (reports before 2020 only)."""
    report = assessment.report
    derived: bool | None = None
    rule: PolicyRow | None = None
    if report.methodology == Methodology.PRE_2020:
        day = report.published_on or timezone.localdate()
        rule = policies.find("irm.starred", day)
        derived = rules.derive_starred(
            policies,
            day,
            specificity=assessment.specificity,
            relevance=assessment.relevance or [],
            potential_impact=assessment.potential_impact,
            completion=assessment.completion,
        )
    return s.AssessmentOut(
        **_identity(assessment),
        report=link(report),
        commitment=link(assessment.commitment),
        methodology=report.methodology,
        published_on=report.published_on,
        completion=assessment.completion,
        specificity=assessment.specificity,
        relevance=sorted(assessment.relevance or []),
        potential_impact=assessment.potential_impact,
        on_time=assessment.on_time,
        did_it_open_government=assessment.did_it_open_government,
        starred=assessment.starred,
        verifiable=assessment.verifiable,
        open_gov_lens=assessment.open_gov_lens,
        potential_for_results=assessment.potential_for_results,
        promising=assessment.promising,
        early_results=assessment.early_results,
        note=assessment.note,
        derived_starred=derived,
        star_rule=_policy_ref(rule) if derived is not None else None,
        verdict_differs=(
            derived is not None and assessment.starred is not None and derived != assessment.starred
        ),
    )


# ---------------------------------------------------------------- querysets (bounded queries)


def plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.select_related("member", "forum").annotate(
        commitment_count=Count("commitments", filter=Q(commitments__retracted_at__isnull=True))
    )


def filter_plans(
    queryset: QuerySet[ActionPlan], *, member: str | None = None, state: str | None = None
) -> QuerySet[ActionPlan]:
    if member:
        queryset = queryset.filter(member__key=member)
    if state:
        queryset = queryset.filter(state=state)
    return queryset


def member_plans(member_key: str) -> list[s.PlanOut]:
    """Every plan of a member, newest first (for the member page)."""
    rows = plans().filter(member__key=member_key).order_by("-number")
    return [plan_out(plan) for plan in rows]


def commitments() -> QuerySet[Commitment]:
    return Commitment.objects.select_related("plan", "lead_institution").order_by(
        "plan__key", "number"
    )


def filter_commitments(
    queryset: QuerySet[Commitment], *, plan: str | None = None, theme: str | None = None
) -> QuerySet[Commitment]:
    if plan:
        queryset = queryset.filter(plan__key=plan)
    if theme:
        if connection.features.supports_json_field_contains:
            queryset = queryset.filter(themes__contains=[theme])
        else:  # SQLite: match the theme in Python, then filter by the matching rows
            matching = [
                pk for pk, themes in queryset.values_list("pk", "themes") if theme in themes
            ]
            queryset = queryset.filter(pk__in=matching)
    return queryset


def milestones() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("commitment", "responsible").order_by(
        "commitment__key", "number"
    )


def progress_reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related("commitment", "milestone", "author").order_by(
        "reported_on", "id"
    )


def irm_reports() -> QuerySet[IrmReport]:
    return IrmReport.objects.select_related("plan").order_by("plan__key", "published_on", "id")


def assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("report", "commitment").order_by(
        "report__key", "commitment__key"
    )


# ---------------------------------------------------------------- progress: the parties' views


def completion_from_milestones(statuses: list[str]) -> str:
    """An indication of a commitment's completion from its milestones' statuses, read the
    way the IRM reads them: complete when every milestone is complete; substantial when at
    least half are substantially complete or complete; limited when some work started;
    not started otherwise. "No evidence" milestones are left out; "" without milestones."""
    if not statuses:
        return ""
    known = [status for status in statuses if status != Completion.NO_EVIDENCE]
    if not known:
        return Completion.NO_EVIDENCE
    if all(status == Completion.COMPLETE for status in known):
        return Completion.COMPLETE
    if all(status == Completion.NOT_STARTED for status in known):
        return Completion.NOT_STARTED
    done = sum(status in HIGH_COMPLETION for status in known)
    return Completion.SUBSTANTIAL if 2 * done >= len(known) else Completion.LIMITED


class _Report:
    """The few fields of a progress report the dashboard needs (read with ``values``)."""

    __slots__ = ("commitment_id", "completion", "key", "milestone", "milestone_id", "on", "party")

    def __init__(self, row: Mapping[str, Any]):
        self.key: str = row["key"]
        self.commitment_id: int = row["commitment_id"]
        self.milestone_id: int | None = row["milestone_id"]
        self.milestone: int | None = row["milestone__number"]
        self.party: str = row["party"]
        self.on: dt.date = row["reported_on"]
        self.completion: str = row["completion"]


def _party_view(party: str, report: _Report | None) -> s.PartyView:
    if report is None:
        return s.PartyView.model_construct(
            party=party, report=None, completion="", reported_on=None, milestone=None
        )
    return s.PartyView.model_construct(
        party=party,
        report=Ref.model_construct(
            id=f"{ProgressReport.RECORD_TYPE}/{report.key}",
            label=_report_label(report.on, report.party),
            url=url_of(ProgressReport.RECORD_TYPE, report.key),
        ),
        completion=report.completion,
        reported_on=report.on,
        milestone=report.milestone,
    )


def _latest(reports: Iterable[_Report]) -> dict[tuple[Any, ...], _Report]:
    """The latest report per (commitment, milestone, party) and per (commitment, party).

    ``reports`` come oldest first, so a later one replaces an earlier one."""
    latest: dict[tuple[Any, ...], _Report] = {}
    for report in reports:
        latest[(report.commitment_id, report.milestone_id, report.party)] = report
        latest[(report.commitment_id, report.party)] = report
    return latest


def _work_view(
    latest: dict[tuple[Any, ...], _Report],
    commitment_id: int,
    milestone_id: int | None,
    milestone: Ref | None,
) -> s.WorkView:
    parties = [
        _party_view(party, latest.get((commitment_id, milestone_id, party))) for party in PARTIES
    ]
    return s.WorkView(
        milestone=milestone,
        parties=parties,
        disagreement=rules.disagreement({v.party: v.completion for v in parties}),
    )


def _disagreements(
    latest: dict[tuple[Any, ...], _Report], commitment_id: int, milestone_numbers: dict[int, int]
) -> list[str]:
    """What the parties disagree on in a commitment: milestone numbers or the whole."""
    units: list[tuple[int | None, str]] = [(None, WHOLE_COMMITMENT)]
    units += [
        (pk, str(number)) for pk, number in sorted(milestone_numbers.items(), key=lambda i: i[1])
    ]
    found = []
    for milestone_id, name in units:
        levels = {
            party: report.completion
            for party in PARTIES
            if (report := latest.get((commitment_id, milestone_id, party))) is not None
        }
        if rules.disagreement(levels):
            found.append(name)
    return found


def _report_rows(queryset: QuerySet[ProgressReport]) -> list[_Report]:
    return [
        _Report(row)
        for row in queryset.filter(retracted_at__isnull=True)
        .order_by("reported_on", "id")
        .values(
            "key",
            "commitment_id",
            "milestone_id",
            "milestone__number",
            "party",
            "reported_on",
            "completion",
        )
    ]


# ---------------------------------------------------------------- the plan dashboard


def _policy_row_by_key(policies: PolicySet, public_id: str) -> PolicyRow | None:
    key = public_id.split("/", 1)[-1]
    for row in [*policies.all_rows(), *SEED]:
        if row.key == key:
            return row
    return None


def plan_detail(key: str, *, today: dt.date | None = None) -> s.PlanDetail:
    today = today or timezone.localdate()
    plan = get_object_or_404(
        ActionPlan.objects.select_related("member", "forum", "previous"), key=key
    )
    next_plans = list(ActionPlan.objects.filter(previous=plan).order_by("number"))
    transitions = list(PlanTransition.objects.filter(plan=plan).order_by("on", "id"))
    plan_commitments = list(
        Commitment.objects.filter(plan=plan).select_related("lead_institution").order_by("number")
    )
    milestone_rows = list(
        Milestone.objects.filter(commitment__plan=plan, retracted_at__isnull=True).values_list(
            "pk", "commitment_id", "number", "status"
        )
    )
    reports = _report_rows(ProgressReport.objects.filter(commitment__plan=plan))
    reports_of_plan = list(IrmReport.objects.filter(plan=plan).order_by("published_on", "id"))
    assessment_rows = list(
        Assessment.objects.filter(
            commitment__plan=plan, retracted_at__isnull=True, report__retracted_at__isnull=True
        )
        .exclude(completion="")
        .values_list("commitment_id", "report_id", "completion")
    )
    policies = PolicySet.load()

    # The latest IRM assessment of each commitment (by the report's publication).
    report_by_pk = {report.pk: report for report in reports_of_plan}
    irm: dict[int, tuple[IrmReport, str]] = {}
    for commitment_id, report_id, completion in sorted(
        assessment_rows,
        key=lambda row: (report_by_pk[row[1]].published_on or dt.date.min, row[1]),
    ):
        irm[commitment_id] = (report_by_pk[report_id], completion)

    statuses: dict[int, list[str]] = {}
    numbers: dict[int, dict[int, int]] = {}
    for pk, commitment_id, number, status in milestone_rows:
        statuses.setdefault(commitment_id, []).append(status)
        numbers.setdefault(commitment_id, {})[pk] = number
    latest = _latest(reports)

    summaries = []
    for commitment in plan_commitments:
        own = statuses.get(commitment.pk, [])
        if commitment.pk in irm:
            assessed_by, completion = irm[commitment.pk]
            source = "irm"
        else:
            assessed_by, completion = None, completion_from_milestones(own)
            source = "milestones" if completion else "none"
        views = [_party_view(party, latest.get((commitment.pk, party))) for party in PARTIES]
        disagree_on = _disagreements(latest, commitment.pk, numbers.get(commitment.pk, {}))
        summaries.append(
            s.CommitmentSummary.model_construct(
                **_identity(commitment),
                number=commitment.number,
                title=commitment.title,
                short_title=commitment.short_title,
                lead_institution=ref(commitment.lead_institution),
                themes=list(commitment.themes),
                ogp_values=list(commitment.ogp_values),
                milestones=len(own),
                milestones_done=sum(status in HIGH_COMPLETION for status in own),
                completion=completion,
                completion_source=source,
                assessed_by=ref(assessed_by),
                views=views,
                disagreement=bool(disagree_on),
                disagreement_on=disagree_on,
            )
        )

    live = [summary for summary in summaries if not summary.retracted]
    deadlines = rules.irm_deadlines(policies, plan.delivered_on, plan.end_on)
    due_row = _policy_row_by_key(policies, plan.due_rule) if plan.due_rule else None
    due_rule = None
    if plan.due_rule:
        due_rule = _policy_ref(due_row) or Ref(
            id=plan.due_rule,
            label=plan.due_rule,
            url=_policy_url(plan.due_rule.split("/", 1)[-1]),
        )
    return s.PlanDetail.model_construct(
        **dict(plan_out(plan, len(live))),
        retraction_reason=plan.retraction_reason,
        description=plan.description,
        source_url=plan.source_url,
        previous=ref(plan.previous),
        next_plans=refs(next_plans),
        co_creation_opens_on=plan.co_creation_opens_on,
        co_creation_closes_on=plan.co_creation_closes_on,
        due_rule=due_rule,
        days_late=rules.days_late(plan.due_on, plan.delivered_on, today),
        refresh_due_on=plan.refresh_due_on,
        refresh_done_on=plan.refresh_done_on,
        review_due_on=deadlines.get("review_due_on"),
        results_due_on=deadlines.get("results_due_on"),
        transitions=[
            s.TransitionOut(from_state=t.from_state, to_state=t.to_state, on=t.on, note=t.note)
            for t in transitions
        ],
        timeline=plan_timeline(plan, transitions, reports_of_plan, deadlines),
        commitments=summaries,
        irm_reports=[_irm_report_of(report, plan) for report in reports_of_plan],
        progress=s.PlanProgress(
            levels=list(LEVELS),
            by_theme=_by_theme(live),
            by_value=_by_value(live),
            over_time=_over_time(reports),
        ),
        reports=len(reports),
        co_creation_url=f"/plan/{plan.key}/co-creation/",
        progress_feed_url=reverse("plan-progress-feed", kwargs={"key": plan.key}),
    )


def _irm_report_of(report: IrmReport, plan: ActionPlan) -> s.IrmReportOut:
    report.plan = plan  # already loaded: no query per report
    return irm_report_out(report)


def plan_timeline(
    plan: ActionPlan,
    transitions: list[PlanTransition],
    reports: list[IrmReport],
    deadlines: dict[str, dt.date],
) -> list[s.PlanEvent]:
    """The plan's dates in order: its co-creation window, its period, the deadlines the
    rules set, each recorded step through its states and each IRM report published."""
    url = url_of(plan.RECORD_TYPE, plan.key)
    events: list[s.PlanEvent] = []

    def add(day: dt.date | None, kind: str, label: str, deadline: bool, href: str = "") -> None:
        if day is not None:
            events.append(
                s.PlanEvent(date=day, kind=kind, label=label, deadline=deadline, url=href)
            )

    add(plan.co_creation_opens_on, "co_creation_opens", _("Co-creation opens"), False)
    add(plan.co_creation_closes_on, "co_creation_closes", _("Co-creation closes"), True)
    add(plan.start_on, "start", _("The plan starts"), False)
    add(plan.due_on, "due", _("The plan is due"), True)
    for step in transitions:
        add(
            step.on,
            "transition",
            _("%(from)s → %(to)s")
            % {
                "from": PlanState(step.from_state).label,
                "to": PlanState(step.to_state).label,
            },
            False,
            url,
        )
    add(deadlines.get("review_due_on"), "review_due", _("The IRM's review is due"), True)
    add(plan.refresh_due_on, "refresh_due", _("The mid-term refresh is due"), True)
    add(plan.end_on, "end", _("The plan ends"), False)
    add(deadlines.get("results_due_on"), "results_due", _("The IRM's results are due"), True)
    for report in reports:
        if not report.is_retracted:
            add(report.published_on, "irm_report", report.title, False, report.get_absolute_url())
    events.sort(key=lambda event: event.date)  # stable: same-day events keep their order
    return events


def _level_counts(key: str, label: str, levels: list[str]) -> s.LevelCounts:
    return s.LevelCounts(
        key=key,
        label=label,
        counts=[s.LevelCount(level=level, count=levels.count(level)) for level in LEVELS],
        total=len(levels),
    )


def _by_theme(summaries: list[s.CommitmentSummary]) -> list[s.LevelCounts]:
    themes: dict[str, list[str]] = {}
    for summary in summaries:
        for theme in summary.themes or [""]:
            themes.setdefault(theme, []).append(summary.completion)
    return [
        _level_counts(theme, theme or _("No theme"), themes[theme])
        for theme in sorted(themes, key=lambda t: (t == "", t.casefold()))
    ]


def _by_value(summaries: list[s.CommitmentSummary]) -> list[s.LevelCounts]:
    values: dict[str, list[str]] = {}
    for summary in summaries:
        for value in summary.ogp_values or [""]:
            values.setdefault(value, []).append(summary.completion)
    known = [value for value in OgpValue.values if value in values]
    rows = [_level_counts(value, str(OgpValue(value).label), values[value]) for value in known]
    if "" in values:
        rows.append(_level_counts("", _("No OGP value"), values[""]))
    return rows


def _over_time(reports: list[_Report]) -> list[s.ReportsToDate]:
    """Reports each party has published by the end of each month with reports."""
    running = dict.fromkeys(PARTIES, 0)
    months: dict[str, dict[str, int]] = {}
    for report in reports:  # oldest first
        running[report.party] = running.get(report.party, 0) + 1
        months[report.on.strftime("%Y-%m")] = dict(running)
    return [
        s.ReportsToDate(
            month=month,
            counts=[s.PartyCount(party=party, count=counts[party]) for party in PARTIES],
        )
        for month, counts in sorted(months.items())
    ]


# ---------------------------------------------------------------- other details


def commitment_detail(key: str) -> s.CommitmentDetail:
    commitment = get_object_or_404(
        Commitment.objects.select_related(
            "plan", "plan__member", "lead_institution"
        ).prefetch_related("supporting_institutions"),
        key=key,
    )
    own_milestones = list(
        Milestone.objects.filter(commitment=commitment)
        .select_related("responsible")
        .order_by("number")
    )
    reports = list(
        ProgressReport.objects.filter(commitment=commitment)
        .select_related("milestone", "author")
        .order_by("reported_on", "id")
    )
    own_assessments = list(
        Assessment.objects.filter(commitment=commitment)
        .select_related("report")
        .order_by("report__published_on", "report_id")
    )
    inputs = list(_public_inputs(commitment.inputs.all()).order_by("received_at", "id"))
    policies = PolicySet.load()

    # The commitment is already loaded: no query per row for it.
    for milestone in own_milestones:
        milestone.commitment = commitment
    for report in reports:
        report.commitment = commitment
    for assessment in own_assessments:
        assessment.commitment = commitment
    latest = _latest(
        _Report(
            {
                "key": r.key,
                "commitment_id": commitment.pk,
                "milestone_id": r.milestone_id,
                "milestone__number": r.milestone.number if r.milestone else None,
                "party": r.party,
                "reported_on": r.reported_on,
                "completion": r.completion,
            }
        )
        for r in reports
        if not r.is_retracted
    )
    views = [
        _work_view(latest, commitment.pk, m.pk, link(m))
        for m in own_milestones
        if not m.is_retracted
    ]
    views.append(_work_view(latest, commitment.pk, None, None))
    return s.CommitmentDetail(
        **commitment_out(commitment).model_dump(),
        retraction_reason=commitment.retraction_reason,
        member=link(commitment.plan.member),
        problem=commitment.problem,
        objective=commitment.objective,
        description=commitment.description,
        source_url=commitment.source_url,
        supporting_institutions=refs(commitment.supporting_institutions.all()),
        milestones=[milestone_out(m) for m in own_milestones],
        views=views,
        reports=[progress_out(r) for r in reports],
        assessments=[assessment_out(a, policies) for a in own_assessments],
        inputs=[input_link(item) for item in inputs],
        history_url=commitment.get_history_url(),
    )


def milestone_detail(key: str) -> s.MilestoneDetail:
    milestone = get_object_or_404(
        Milestone.objects.select_related("commitment", "commitment__plan", "responsible"), key=key
    )
    reports = list(
        ProgressReport.objects.filter(milestone=milestone)
        .select_related("author")
        .order_by("reported_on", "id")
    )
    for report in reports:
        report.commitment = milestone.commitment
        report.milestone = milestone
    latest = _latest(_report_of(r) for r in reports if not r.is_retracted)
    return s.MilestoneDetail(
        **milestone_out(milestone).model_dump(),
        retraction_reason=milestone.retraction_reason,
        plan=link(milestone.commitment.plan),
        view=_work_view(latest, milestone.commitment_id, milestone.pk, link(milestone)),
        reports=[progress_out(r) for r in reports],
    )


def _report_of(report: ProgressReport) -> _Report:
    return _Report(
        {
            "key": report.key,
            "commitment_id": report.commitment_id,
            "milestone_id": report.milestone_id,
            "milestone__number": report.milestone.number if report.milestone else None,
            "party": report.party,
            "reported_on": report.reported_on,
            "completion": report.completion,
        }
    )


def progress_detail(key: str) -> s.ProgressDetail:
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "commitment", "commitment__plan", "milestone", "author"
        ),
        key=key,
    )
    same_work = list(
        ProgressReport.objects.filter(
            commitment_id=report.commitment_id,
            milestone=report.milestone,
            retracted_at__isnull=True,
        ).order_by("reported_on", "id")
    )
    for other in same_work:
        other.milestone = report.milestone
    latest = _latest(_report_of(r) for r in same_work)
    return s.ProgressDetail(
        **progress_out(report).model_dump(),
        retraction_reason=report.retraction_reason,
        plan=link(report.commitment.plan),
        view=_work_view(latest, report.commitment_id, report.milestone_id, ref(report.milestone)),
    )


def irm_report_detail(key: str) -> s.IrmReportDetail:
    report = get_object_or_404(IrmReport.objects.select_related("plan"), key=key)
    own = list(
        Assessment.objects.filter(report=report)
        .select_related("commitment")
        .order_by("commitment__number", "commitment__key")
    )
    policies = PolicySet.load()
    for assessment in own:
        assessment.report = report
    return s.IrmReportDetail(
        **irm_report_out(report).model_dump(),
        retraction_reason=report.retraction_reason,
        forum_exists=report.forum_exists,
        public_influence=report.public_influence,
        acted_contrary_to_process=report.acted_contrary_to_process,
        contrary_reasons=report.contrary_reasons,
        minimum_requirements=[
            s.RequirementOut(code=code, finding=finding)
            for code, finding in sorted((report.minimum_requirements or {}).items())
        ],
        summary=report.summary,
        source_url=report.source_url,
        assessments=[assessment_out(a, policies) for a in own],
    )


def assessment_detail(key: str) -> s.AssessmentDetail:
    assessment = get_object_or_404(
        Assessment.objects.select_related("report", "report__plan", "commitment"), key=key
    )
    return s.AssessmentDetail(
        **assessment_out(assessment, PolicySet.load()).model_dump(),
        retraction_reason=assessment.retraction_reason,
        plan=link(assessment.report.plan),
    )


# ---------------------------------------------------------------- the progress feed


def plan_for_feed(key: str) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("member"), key=key)


def commitment_for_feed(key: str) -> Commitment:
    return get_object_or_404(Commitment.objects.select_related("plan"), key=key)


def feed_reports(plan: ActionPlan, commitment: Commitment | None = None) -> list[ProgressReport]:
    """The plan's (or one commitment's) latest progress reports, newest first (bounded)."""
    reports = ProgressReport.objects.filter(commitment__plan=plan)
    if commitment is not None:
        reports = reports.filter(commitment=commitment)
    return list(
        reports.select_related("commitment", "milestone", "author").order_by("-reported_on", "-id")[
            :FEED_SIZE
        ]
    )


# ---------------------------------------------------------------- policy rows


def _policy_status(row: PolicyRow, retracted: bool, recorded_codes: set[str]) -> str:
    if retracted:
        return "retracted"
    if not row.recorded and row.code in recorded_codes:
        return "replaced"
    return "in_use"


def _row_of(rule: PolicyRule) -> PolicyRow:
    return PolicyRow.from_rule(rule)


def _policy_out(row: PolicyRow, status: str, today: dt.date) -> s.PolicyRowOut:
    return s.PolicyRowOut(
        id=row.public_id,
        key=row.key,
        code=row.code,
        title=row.title,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        params=dict(row.params),
        source_url=row.source_url,
        verified=row.verified,
        recorded=row.recorded,
        status=status,
        in_force_today=status == "in_use" and row.in_force_on(today),
        url=_policy_url(row.key),
    )


def _policy_world() -> tuple[list[tuple[PolicyRow, PolicyRule | None]], set[str]]:
    """Every row: recorded ones (retracted included) and the built-in seed (one query)."""
    recorded = list(PolicyRule.objects.order_by("code", "effective_from", "key"))
    codes = {rule.code for rule in recorded if not rule.is_retracted}
    recorded_keys = {rule.key for rule in recorded}
    rows: list[tuple[PolicyRow, PolicyRule | None]] = [(_row_of(rule), rule) for rule in recorded]
    rows += [(row, None) for row in SEED if row.key not in recorded_keys]
    rows.sort(key=lambda pair: (pair[0].code, pair[0].effective_from, pair[0].recorded))
    return rows, codes


def policy_rows(*, today: dt.date | None = None) -> list[s.PolicyRowOut]:
    """All rule rows, built-in and recorded, by rule and date."""
    today = today or timezone.localdate()
    rows, codes = _policy_world()
    return [
        _policy_out(row, _policy_status(row, rule is not None and rule.is_retracted, codes), today)
        for row, rule in rows
    ]


def policy_detail(key: str, *, today: dt.date | None = None) -> s.PolicyRowDetail:
    today = today or timezone.localdate()
    rows, codes = _policy_world()
    found = next(((row, rule) for row, rule in rows if row.key == key), None)
    if found is None:
        raise Http404("no such policy row")
    row, rule = found
    retracted = rule is not None and rule.is_retracted
    status = _policy_status(row, retracted, codes)
    return s.PolicyRowDetail(
        **_policy_out(row, status, today).model_dump(),
        version=rule.version if rule is not None else 0,
        retracted=retracted,
        retraction_reason=rule.retraction_reason if rule is not None else "",
        note=rule.note if rule is not None else "",
        other_versions=[
            Ref(id=other.public_id, label=other.title, url=_policy_url(other.key))
            for other, _rule in rows
            if other.code == row.code and other.key != row.key
        ],
        plans=refs(
            ActionPlan.objects.filter(due_rule=row.public_id).order_by("member__name", "number")[
                :100
            ]
        ),
    )
