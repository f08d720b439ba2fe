"""Write services of Response Policy cases (state machine D): filing by eligible
organisations, each step with its actor, date and document, outreach tasks, and the
letters and statements of the case.

A step may carry a confidential note. It is kept on the step's row for the committee and
never enters the public record: the record holds a salted SHA-256 commitment to it, so the
note's existence and exact words can be proven later without disclosing them now.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import CASEWORK
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.policy import PolicySet
from tripartite.core.recording import require_key_free as _key_free
from tripartite.core.recording import require_live as _live
from tripartite.core.recording import save_record
from tripartite.core.services import service
from tripartite.forums.models import Letter, Member, Organization, Person, Statement

from .choices import Body, CaseState, TaskStatus
from .models import CaseFiler, CaseStep, ConcernCase, OutreachTask, Resolution, ScSeat
from .rules import (
    CLOSED,
    RuleViolation,
    case_deadline,
    check_case_step,
    check_filer,
    commit_to_note,
)


def _invalid(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def _holds_sc_seat(organization: Organization, day: dt.date) -> bool:
    seats = ScSeat.objects.filter(retracted_at__isnull=True, term_start__lte=day).filter(
        organization=organization
    )
    if organization.member_id and organization.sector == "government":
        seats = seats | ScSeat.objects.filter(
            retracted_at__isnull=True, term_start__lte=day, member_id=organization.member_id
        )
    return any(seat.holds_on(day) for seat in seats)


def _check_filers(
    member: Member, filers: Sequence[tuple[Organization | Person, str]], day: dt.date
) -> None:
    if not filers:
        raise _invalid(_("A case is filed by at least one eligible organisation."), "filers")
    names = [filer.public_id for filer, _category in filers]
    if len(set(names)) != len(names):
        raise _invalid(_("Each filer is named once."), "filers")
    for filer, category in filers:
        try:
            if isinstance(filer, Person):
                check_filer(
                    category,
                    is_person=True,
                    sector="",
                    organization_member_key=None,
                    case_member_key=member.key,
                    holds_sc_seat=False,
                )
                continue
            check_filer(
                category,
                is_person=False,
                sector=filer.sector,
                organization_member_key=filer.member.key if filer.member else None,
                case_member_key=member.key,
                holds_sc_seat=_holds_sc_seat(filer, day),
            )
        except RuleViolation as error:
            raise _invalid(f"{filer.name}: {error}", "filers") from error


def _write_step(
    case: ConcernCase,
    *,
    from_state: str,
    on: dt.date,
    by: str,
    document: str,
    document_url: str,
    note: str,
    confidential_note: str,
    deadline: tuple[dt.date | None, str] = (None, ""),
) -> None:
    """One row of the case's timeline; a confidential note is kept only as a commitment."""
    salt = secrets.token_hex(16) if confidential_note else ""
    CaseStep.objects.create(
        case=case,
        from_state=from_state,
        to_state=case.state,
        on=on,
        actor_body=by,
        document=document,
        document_url=document_url,
        note=note,
        deadline=deadline[0],
        deadline_rule=deadline[1],
        confidential_note=confidential_note,
        confidential_salt=salt,
        confidential_commitment=commit_to_note(confidential_note, salt) if salt else "",
    )


def _deadline(case: ConcernCase, policies: PolicySet) -> tuple[dt.date | None, str]:
    deadline = case_deadline(policies, case.state, case.state_since)
    return (deadline.due_on, deadline.rule.public_id) if deadline else (None, "")


@service(CASEWORK)
def file_case(
    actor: Any,
    *,
    key: str,
    member: Member,
    title: str,
    concerns: str,
    received_on: dt.date,
    filers: Iterable[tuple[Organization | Person, str]],
    letter: Letter | None = None,
    **fields: Any,
) -> ConcernCase:
    """Open a case from a letter of concern. Every filer must be an eligible organisation;
    an individual acting on his or her own behalf is refused with the reason."""
    _live(member, letter)
    _key_free(ConcernCase, key)
    filers = list(filers)
    _check_filers(member, filers, received_on)
    if not concerns.strip():
        raise _invalid(_("Say what the concerns are."), "concerns")
    case = ConcernCase(
        key=key,
        member=member,
        title=title,
        concerns=concerns,
        received_on=received_on,
        letter=letter,
        state=CaseState.RECEIVED,
        state_since=received_on,
        **fields,
    )
    deadline = _deadline(case, PolicySet.load())

    def write() -> None:
        CaseFiler.objects.bulk_create(
            CaseFiler(case=case, organization=organization, category=category)
            for organization, category in filers
            if isinstance(organization, Organization)  # persons were refused above
        )
        _write_step(
            case,
            from_state=CaseState.RECEIVED,
            on=received_on,
            by=Body.FILER,
            document=letter.public_id if letter else "",
            document_url="",
            note=_("Letter of concern received by the Support Unit."),
            confidential_note="",
            deadline=deadline,
        )

    save_record(case, actor=actor, write_related=write)
    return case


@service(CASEWORK)
def advance_case(
    actor: Any,
    case: ConcernCase,
    *,
    to: str,
    on: dt.date,
    by: str,
    document: str = "",
    document_url: str = "",
    note: str = "",
    resolution: Resolution | None = None,
    confidential_note: str = "",
) -> ConcernCase:
    """One step of the case along state machine D, by the body whose step it is."""
    _live(case, resolution)
    try:
        check_case_step(case.state, to, by=by, has_resolution=resolution is not None)
    except RuleViolation as error:
        raise _invalid(str(error), "to") from error
    if on < case.state_since:
        raise _invalid(
            _("The case has been %(state)s since %(since)s; a later step cannot be dated earlier.")
            % {"state": CaseState(case.state).label, "since": case.state_since},
            "on",
        )
    if resolution is not None and resolution.case_id not in (None, case.pk):
        raise _invalid(_("The resolution belongs to another case."), "resolution")
    if resolution is not None and resolution.member_id not in (None, case.member_id):
        raise _invalid(_("The resolution concerns another member."), "resolution")
    from_state = case.state
    case.state = to
    case.state_since = on
    if to in CLOSED:
        case.closed_on = on
    deadline = _deadline(case, PolicySet.load())

    def write() -> None:
        _write_step(
            case,
            from_state=from_state,
            on=on,
            by=by,
            document=document or (resolution.public_id if resolution else ""),
            document_url=document_url,
            note=note,
            confidential_note=confidential_note,
            deadline=deadline,
        )

    save_record(case, actor=actor, reason=note, write_related=write)
    return case


@service(CASEWORK)
def record_case_event(
    actor: Any,
    case: ConcernCase,
    *,
    on: dt.date,
    by: str,
    note: str,
    document: str = "",
    document_url: str = "",
    confidential_note: str = "",
) -> ConcernCase:
    """Something that happened in the case without moving it along the machine (the
    government's response, a letter to a new administration): a step from a state to itself,
    on the public timeline like the others."""
    _live(case)
    if case.state in CLOSED:
        raise Conflict(_("The case is closed; nothing more can happen in it."))
    if not note.strip():
        raise _invalid(_("Say what happened."), "note")
    if on < case.received_on:
        raise _invalid(_("An event of the case cannot come before it was received."), "on")

    def write() -> None:
        _write_step(
            case,
            from_state=case.state,
            on=on,
            by=by,
            document=document,
            document_url=document_url,
            note=note,
            confidential_note=confidential_note,
        )

    save_record(case, actor=actor, reason=note, write_related=write)
    return case


@service(CASEWORK)
def add_outreach_task(
    actor: Any,
    case: ConcernCase,
    *,
    title: str,
    owner: Person,
    due_on: dt.date,
) -> OutreachTask:
    """A task of the case, with the person who owns it and when it is due."""
    _live(case, owner)
    if case.state in CLOSED:
        raise Conflict(_("The case is closed; no new task can be added."))
    if not title.strip():
        raise _invalid(_("Say what the task is."), "title")
    if due_on < case.received_on:
        raise _invalid(_("A task cannot be due before the case was received."), "due_on")
    number = int(case.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    task = OutreachTask(case=case, number=number, title=title, owner=owner, due_on=due_on)
    save_record(case, actor=actor, write_related=task.save)
    return task


@service(CASEWORK)
def complete_outreach_task(
    actor: Any,
    task: OutreachTask,
    *,
    on: dt.date,
    outcome: str = "",
    status: str = TaskStatus.DONE,
) -> OutreachTask:
    """Close a task as done (with what came of it) or cancelled."""
    case = task.case
    _live(case)
    if task.status != TaskStatus.OPEN:
        raise Conflict(
            _("This task is already %(status)s.") % {"status": task.get_status_display()}
        )
    if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise _invalid(_("A task is closed as done or cancelled."), "status")
    task.status = status
    task.done_on = on
    task.outcome = outcome
    save_record(case, actor=actor, write_related=task.save)
    return task


@service(CASEWORK)
def attach_to_case(
    actor: Any,
    case: ConcernCase,
    *,
    letters: Iterable[Letter] = (),
    statements: Iterable[Statement] = (),
) -> ConcernCase:
    """Link the letters and statements of the case (responses, findings, statements)."""
    _live(case)
    letters, statements = list(letters), list(statements)
    _live(*letters, *statements)
    if not (letters or statements):
        raise _invalid(_("Choose at least one letter or statement."), "letters")

    def write() -> None:
        case.letters.add(*letters)
        case.statements.add(*statements)

    save_record(case, actor=actor, write_related=write)
    return case
