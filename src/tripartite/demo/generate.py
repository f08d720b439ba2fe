"""``tripartite generate --scale {small,national,global} [--seed N]``: deterministic
synthetic data written through the services, so every record is versioned and logged.

**Flow.** For each member: the member, its government, civil-society and oversight-body
organisations, its forum and its action plans (the one-record services), then per plan its
commitments, milestones, progress reports and milestone updates, then the member's
meetings, letters and documents (the batch services in ``*/batch_services.py``, at most
``CHUNK`` items a call). Every call runs in its own ``core.recording.batch``: one
transaction, one log append. The site's own account acts (``core.actors``).

**Determinism.** Every choice comes from one ``random.Random(seed)`` and every version is
dated by a clock that advances a millisecond per call from a fixed instant, so the same
seed on an empty database gives the same records, versions and log root.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion
from tripartite.core.recording import batch
from tripartite.documents import batch_services as document_batches
from tripartite.forums import batch_services as forum_batches
from tripartite.forums import services as forum_services
from tripartite.forums.choices import (
    LetterDirection,
    LetterStatus,
    LetterType,
    MeetingMode,
    MeetingStatus,
    Sector,
)
from tripartite.forums.models import Forum, Member, Organization
from tripartite.ledger.storage import read_head
from tripartite.plans import batch_services as plan_batches
from tripartite.plans import services as plan_services
from tripartite.plans.choices import Completion, OgpValue, Party
from tripartite.plans.models import ActionPlan, Commitment, Milestone

from .generate_scales import SCALES, Scale, spread
from .generate_text import LANGUAGES, REGIONS, Words

#: Items per batch-service call (one transaction each).
CHUNK = 2000
#: The instant the first generated version is recorded at.
EPOCH = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
#: The last day any generated record is dated.
LAST_DAY = dt.date(2026, 10, 31)
PARTIES = (Party.GOVERNMENT, Party.CIVIL_SOCIETY, Party.OVERSIGHT_BODY)
STATUS_STEPS = (Completion.LIMITED, Completion.SUBSTANTIAL, Completion.COMPLETE)
LETTER_TYPES = [t for t in LetterType.values if t != LetterType.RESPONSE]

T = TypeVar("T")


class GenerateRefused(Exception):
    """The database is not one the generator may write to."""


@dataclass(frozen=True)
class Figures:
    records: int
    entries: int
    seconds: float

    @property
    def rate(self) -> float:
        """Versions (log entries) written per second."""
        return self.entries / self.seconds if self.seconds else 0.0


class Clock:
    """A clock that moves a millisecond per reading, from ``EPOCH``: versions carry
    distinct, ordered and reproducible times."""

    def __init__(self, start: dt.datetime = EPOCH) -> None:
        self.start = start
        self.ticks = 0

    def __call__(self) -> dt.datetime:
        self.ticks += 1
        return self.start + dt.timedelta(milliseconds=self.ticks)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


@dataclass
class _MemberWorld:
    member: Member
    code: str
    language: str
    forum: Forum
    organizations: dict[str, Organization]
    plans: list[ActionPlan]
    #: Commitments numbered so far: OGP ids run on across a member's plans (MX0064).
    commitments_numbered: int = 0


class Generator:
    """Writes one scale's data; ``advance(n)`` is told of every ``n`` records written."""

    def __init__(self, scale: Scale, seed: int, advance: Callable[[int], None]) -> None:
        self.scale = scale
        # Reproducible synthetic data, not secrets: a seeded PRNG is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.words = Words(self.rng)
        self.clock = Clock()
        self.advance = advance
        self.actor = system_actor()
        self.records = 0
        self.versions = 0
        # How many of each child every parent gets, in generation order.
        self.plans_of = iter(spread(scale.plans, scale.members))
        self.commitments_of = iter(spread(scale.commitments, max(scale.plans, 1)))
        self.milestones_of = iter(spread(scale.milestones, max(scale.commitments, 1)))
        self.reports_of = iter(spread(scale.progress_reports, max(scale.commitments, 1)))
        self.updates_of = iter(spread(scale.milestone_updates, max(scale.milestones, 1)))
        self.letters_of = iter(spread(scale.letters, scale.members))
        self.meetings_of = iter(spread(scale.meetings, scale.members))
        self.documents_of = iter(spread(scale.documents, scale.members))

    def _done(self, records: int, versions: int | None = None) -> None:
        self.records += records
        self.versions += records if versions is None else versions
        self.advance(records if versions is None else versions)

    def run(self) -> None:
        if self.scale.milestone_updates > len(STATUS_STEPS) * self.scale.milestones:
            raise ValueError("at most one update per status step and milestone")
        for code in self.words.member_codes(self.scale.members):
            world = self._member(code)
            for plan in world.plans:
                self._plan_contents(world, plan)
            meetings = self._meetings(world)
            self._letters(world)
            self._documents(world, meetings)

    # ------------------------------------------------------------ a member and its plans

    def _member(self, code: str) -> _MemberWorld:
        rng, words, actor = self.rng, self.words, self.actor
        language = rng.choice(LANGUAGES)
        joined = dt.date(rng.randint(2011, 2016), rng.choice((1, 4, 7, 9)), 1)
        slug = code.lower()
        with batch(clock=self.clock):
            member = forum_services.create_member(
                actor,
                key=slug,
                name=words.member_name(),
                kind="country",
                iso2=code,
                region=rng.choice(REGIONS),
                joined_on=joined,
            )
            organizations: dict[str, Organization] = {
                str(sector): forum_services.create_organization(
                    actor,
                    key=f"{slug}-{sector.replace('_', '-')}",
                    name=f"{member.name}: {Sector(sector).label}",
                    sector=sector,
                    member=member,
                )
                for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.OVERSIGHT_BODY)
            }
            forum = forum_services.create_forum(
                actor,
                key=f"{slug}-forum",
                member=member,
                name=f"{member.name} multi-stakeholder forum",
                established_on=joined,
                language=language,
            )
            plans: list[ActionPlan] = []
            for number in range(1, next(self.plans_of) + 1):
                start = dt.date(joined.year + 2 * (number - 1), 7, 1)
                end = dt.date(start.year + 2, 6, 30)
                plans.append(
                    plan_services.create_plan(
                        actor,
                        key=f"{slug}-{number}",
                        member=member,
                        number=number,
                        title=words.plan_title(language, number, start.year, end.year),
                        language=language,
                        start_on=start,
                        end_on=end,
                        forum=forum,
                        previous=plans[-1] if plans else None,
                    )
                )
        self._done(5 + len(plans))
        return _MemberWorld(member, code, language, forum, organizations, plans)

    def _plan_contents(self, world: _MemberWorld, plan: ActionPlan) -> None:
        commitments = self._commitments(world, plan)
        milestones = self._milestones(world, plan, commitments)
        self._reports(world, plan, commitments, milestones)
        self._updates(plan, milestones)

    def _commitments(self, world: _MemberWorld, plan: ActionPlan) -> list[Commitment]:
        rng, words, language = self.rng, self.words, world.language
        first = world.commitments_numbered
        items = []
        for number in range(1, next(self.commitments_of) + 1):
            start = _day_between(rng, plan.start_on, plan.start_on + dt.timedelta(days=180))
            items.append(
                {
                    "key": f"{world.code}{first + number:04d}",
                    "number": number,
                    "title": words.commitment_title(language),
                    "short_title": words.theme(language)[:120],
                    "problem": words.paragraph(language, 2),
                    "objective": words.paragraph(language, 1),
                    "lead_institution": world.organizations[Sector.GOVERNMENT],
                    "themes": [words.theme("en")],
                    "ogp_values": sorted(rng.sample(OgpValue.values, rng.randint(1, 3))),
                    "start_on": start,
                    "end_on": _day_between(rng, start, plan.end_on),
                }
            )
        world.commitments_numbered = first + len(items)
        created: list[Commitment] = []
        for chunk in _chunks(items):
            with batch(clock=self.clock):
                created += plan_batches.add_commitments(self.actor, plan=plan, items=chunk)
            self._done(len(chunk))
        return created

    def _milestones(
        self, world: _MemberWorld, plan: ActionPlan, commitments: list[Commitment]
    ) -> list[Milestone]:
        rng, words = self.rng, self.words
        items = []
        for commitment in commitments:
            for number in range(1, next(self.milestones_of) + 1):
                start = commitment.start_on or plan.start_on
                items.append(
                    {
                        "key": f"{commitment.key}-m{number}",
                        "commitment": commitment,
                        "number": number,
                        "deliverable": words.deliverable(world.language, number),
                        "responsible": world.organizations[Sector.GOVERNMENT],
                        "start_on": start,
                        "end_on": _day_between(rng, start, commitment.end_on or plan.end_on),
                    }
                )
        created: list[Milestone] = []
        for chunk in _chunks(items):
            with batch(clock=self.clock):
                created += plan_batches.add_milestones(self.actor, plan=plan, items=chunk)
            self._done(len(chunk))
        return created

    def _reports(
        self,
        world: _MemberWorld,
        plan: ActionPlan,
        commitments: list[Commitment],
        milestones: list[Milestone],
    ) -> None:
        rng, words = self.rng, self.words
        by_commitment: dict[int, list[Milestone]] = {}
        for milestone in milestones:
            by_commitment.setdefault(milestone.commitment_id, []).append(milestone)
        last = min(plan.end_on + dt.timedelta(days=365), LAST_DAY)
        items = []
        for commitment in commitments:
            own = by_commitment.get(commitment.pk, [])
            for number in range(1, next(self.reports_of) + 1):
                party = PARTIES[(number - 1) % len(PARTIES)]
                items.append(
                    {
                        "key": f"{commitment.key}-r{number:03d}",
                        "commitment": commitment,
                        "milestone": rng.choice(own) if own and rng.random() < 0.6 else None,
                        "party": party,
                        "author": world.organizations[party],
                        "reported_on": _day_between(rng, plan.start_on, last),
                        "completion": rng.choice(Completion.values),
                        "text": words.paragraph(world.language, rng.randint(2, 4)),
                        "language": world.language,
                        "evidence": [
                            {
                                "label": words.theme(world.language),
                                "url": f"https://example.org/{commitment.key.lower()}/{number}",
                            }
                        ]
                        if rng.random() < 0.3
                        else [],
                    }
                )
        for chunk in _chunks(items):
            with batch(clock=self.clock):
                plan_batches.report_progress_many(self.actor, plan=plan, items=chunk)
            self._done(len(chunk))

    def _updates(self, plan: ActionPlan, milestones: list[Milestone]) -> None:
        counts = [next(self.updates_of) for _milestone in milestones]
        for step, status in enumerate(STATUS_STEPS):
            changes = [
                (milestone, {"status": status})
                for milestone, count in zip(milestones, counts, strict=True)
                if count > step
            ]
            for chunk in _chunks(changes):
                with batch(clock=self.clock):
                    plan_batches.update_milestones(self.actor, plan=plan, changes=chunk)
                self._done(0, len(chunk))

    # ------------------------------------------------------------ the forum's business

    def _meetings(self, world: _MemberWorld) -> list[Any]:
        rng, words = self.rng, self.words
        established = world.forum.established_on
        count = next(self.meetings_of)
        days = sorted(_day_between(rng, established, LAST_DAY) for _ in range(count))
        items = [
            {
                "key": f"{world.code.lower()}-meeting-{number:04d}",
                "title": words.meeting_title(world.language, number),
                "date": day,
                "mode": rng.choice(MeetingMode.values),
                "place": f"{world.member.name}",
                "status": MeetingStatus.HELD,
                "summary": words.paragraph(world.language, 2),
            }
            for number, day in enumerate(days, start=1)
        ]
        created: list[Any] = []
        for chunk in _chunks(items):
            with batch(clock=self.clock):
                created += forum_batches.schedule_meetings(
                    self.actor, forum=world.forum, items=chunk
                )
            self._done(len(chunk))
        return created

    def _letters(self, world: _MemberWorld) -> None:
        rng, words = self.rng, self.words
        items = []
        for number in range(1, next(self.letters_of) + 1):
            day = _day_between(rng, dt.date(2011, 1, 1), LAST_DAY)
            direction = rng.choice(LetterDirection.values)
            dated = {"received_on": day} if direction == LetterDirection.INBOUND else {}
            items.append(
                {
                    "key": f"{world.code.lower()}-{day.year}-{number:05d}",
                    "reference": f"{world.code}/{day.year}/{number:05d}",
                    "direction": direction,
                    "letter_type": rng.choice(LETTER_TYPES),
                    "subject": words.letter_subject(world.language),
                    "body": words.paragraphs(world.language, 2),
                    "language": world.language,
                    "addressees": world.forum.name,
                    "sent_on": None if dated else day,
                    "status": rng.choice(LetterStatus.values),
                    **dated,
                }
            )
        for chunk in _chunks(items):
            with batch(clock=self.clock):
                forum_batches.register_letters(
                    self.actor, member=world.member, forum=world.forum, items=chunk
                )
            self._done(len(chunk))

    def _documents(self, world: _MemberWorld, meetings: list[Any]) -> None:
        rng, words = self.rng, self.words
        targets: list[tuple[Any, str]] = [(world.forum, "other")]
        targets += [(plan, "action_plan") for plan in world.plans]
        targets += [(meeting, "minutes") for meeting in meetings]
        items = []
        for number in range(1, next(self.documents_of) + 1):
            target, doc_type = rng.choice(targets)
            key = f"{world.code.lower()}-doc-{number:05d}"
            title = f"{words.commitment_title(world.language)} ({number})"
            text = f"{title}\n\n{words.paragraphs(world.language, rng.randint(2, 4))}\n"
            items.append(
                {
                    "key": key,
                    "attached_to": target,
                    "title": title,
                    "doc_type": doc_type,
                    "filename": f"{key}.txt",
                    "data": text.encode(),
                    "language": world.language,
                    "published_on": _day_between(rng, world.forum.established_on, LAST_DAY),
                }
            )
        for chunk in _chunks(items, CHUNK // 4):
            with batch(clock=self.clock):
                document_batches.file_documents(self.actor, items=chunk)
            self._done(len(chunk))


def generate(
    scale_name: str,
    seed: int = 1,
    *,
    force: bool = False,
    advance: Callable[[int], None] = lambda n: None,
) -> Figures:
    """Write ``scale_name``'s data; refuses a database that already holds records unless
    ``force``."""
    scale = SCALES[scale_name]
    if RecordVersion.objects.exists() and not force:
        raise GenerateRefused(
            _(
                "The database already holds records: generate writes into an empty database "
                "(give --force to add the synthetic data anyway)."
            )
        )
    size_before = read_head()[0]
    started = time.perf_counter()
    generator = Generator(scale, seed, advance)
    generator.run()
    seconds = time.perf_counter() - started
    return Figures(generator.records, read_head()[0] - size_before, seconds)
