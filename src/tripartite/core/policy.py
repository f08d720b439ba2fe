"""Rules OGP changes over time, as data: which version of a rule is in force on a day.

A fresh instance knows the rules in ``SEED`` (each with its source and whether that source
was verified, from ``shared/domain/ogp-process.md``). Staff record new rows through
``core.services.record_policy_rule``; once the database holds any row for a rule code,
the database alone decides that code, so a recorded rule set replaces the seed as a whole
and every change to it is versioned and logged like any other record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .errors import NotFound


@dataclass(frozen=True)
class PolicyRow:
    key: str
    code: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    params: dict[str, Any] = field(default_factory=dict)
    source_url: str = ""
    verified: bool = False
    recorded: bool = False  # True: a row in the database; False: the built-in seed

    def in_force_on(self, day: dt.date) -> bool:
        ended = self.effective_to is not None and day > self.effective_to
        return self.effective_from <= day and not ended

    @property
    def public_id(self) -> str:
        return f"policy/{self.key}"

    @classmethod
    def from_rule(cls, rule: Any) -> PolicyRow:
        """The row of a recorded ``core.models.PolicyRule``."""
        return cls(
            key=rule.key,
            code=rule.code,
            title=rule.title,
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
            params=rule.params,
            source_url=rule.source_url,
            verified=rule.verified,
            recorded=True,
        )


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


CALENDAR_2015 = "https://www.opengovpartnership.org/stories/a-new-ogp-calendar-what-countries-need-to-do-and-when/"
DEADLINES_2018 = "https://www.opengovpartnership.org/country-and-ogp-local-dates-and-deadlines/"
LETTERS = "https://opengovpartnership.org/ogp-letters"
STANDARDS_2021 = "https://www.opengovpartnership.org/stories/help-us-finalize-the-ogp-co-creation-and-participation-standards/"
APR = "https://www.opengovpartnership.org/documents/independent-reporting-mechanism-action-plan-review/"
RESULTS = "https://opengovpartnership.org/documents/independent-reporting-mechanism-results-report"
STARS_2015 = "http://www.freedominfo.org/2015/05/ogp-upgrades-standard-for-star-rated-commitments/"
STANDARDS_2017 = (
    "https://www.opengovpartnership.org/es/ogp-participation-co-creation-standards-2017/"
)
MR_GLOSSARY = "https://opengovpartnership.org/?p=67852"
MR_WEBSITE = "https://opengovpartnership.org/national-handbook/information-transparency"
MR_REPOSITORY = "https://www.opengovpartnership.org/glossary/repository/"
MR_REASONED = "https://opengovpartnership.org/?p=91579"
MR_IMPLEMENTATION = "https://opengovpartnership.org/national-handbook/implementing-action-plans"
SC_ABOUT = "https://opengovpartnership.org/about/who-we-are/steering-committee/about-the-steering-committee"
SC_WHO = "https://www.opengovpartnership.org/about/who-we-are/steering-committee/"
SC_ROTATION_2014 = "https://opengovpartnership.org/stories/rotation-of-civil-society-members-of-the-ogp-steering-committee-2014"
SC_2014_BLOG = "http://www.opengovpartnership.org/blog/open-government-partnership/2014/08/06/new-co-chairs-and-members-ogp-steering-committee-are"
RESPONSE_POLICY = "https://www.opengovpartnership.org/ogp-response-policy/"
RESPONSE_POLICY_FAQ = (
    "https://www.opengovpartnership.org/ogp-response-policy/faqs-about-the-response-policy/"
)
IRM_INVOLVE = "https://www.opengovpartnership.org/documents/irm-guidance-for-meeting-the-minimum-participation-requirement-during-co-creation/"

SEED: tuple[PolicyRow, ...] = (
    # When an action plan is due (domain §2).
    PolicyRow(
        "plan-delivery-2015",
        "plan.delivery",
        "Two-year plans are delivered by 30 June of the plan's first year",
        _d("2015-01-01"),
        _d("2017-12-31"),
        {"rule": "fixed_date", "month": 6, "day": 30},
        CALENDAR_2015,
        True,
    ),
    PolicyRow(
        "plan-delivery-2018",
        "plan.delivery",
        "Plans are due 31 August; delivered on or after 1 January they are contrary to process",
        _d("2018-01-01"),
        _d("2021-12-31"),
        {"rule": "fixed_date", "month": 8, "day": 31, "contrary_after_months": 4, "min_months": 20},
        DEADLINES_2018,
        True,
    ),
    PolicyRow(
        "plan-delivery-2022",
        "plan.delivery",
        "The next plan is due within 12 months after the end of the previous one",
        _d("2022-01-01"),
        None,
        {"rule": "after_previous_end", "months": 12},
        LETTERS,
        True,
    ),
    # How long a plan may run (domain §2).
    PolicyRow(
        "plan-length-2015",
        "plan.length",
        "Action plans run for two years",
        _d("2015-01-01"),
        _d("2021-12-31"),
        {"years": [2]},
        CALENDAR_2015,
        True,
    ),
    PolicyRow(
        "plan-length-2022",
        "plan.length",
        "Action plans run for two or four years; four-year plans are refreshed at year two",
        _d("2022-01-01"),
        None,
        {"years": [2, 4], "refresh_after_years": 2},
        STANDARDS_2021,
        True,
    ),
    # IRM timing (domain §6.1).
    PolicyRow(
        "irm-review-2020",
        "irm.review",
        "The IRM's Action Plan Review is delivered within four months of the plan",
        _d("2020-01-01"),
        None,
        {"months_after_delivery": 4},
        APR,
        True,
    ),
    PolicyRow(
        "irm-results-2020",
        "irm.results",
        "The IRM assesses completion four months after the plan ends",
        _d("2020-01-01"),
        None,
        {"months_after_end": 4},
        RESULTS,
        True,
    ),
    # Starred commitments (domain §6.2): the potential impact a star needs.
    PolicyRow(
        "irm-starred-2012",
        "irm.starred",
        "A star needs moderate or transformative potential impact",
        _d("2011-09-01"),
        _d("2014-12-31"),
        {
            "specificity": ["medium", "high"],
            "values": ["ati", "cp", "pa"],
            "potential_impact": ["moderate", "transformative"],
            "completion": ["substantial", "complete"],
        },
        STARS_2015,
        True,
    ),
    PolicyRow(
        "irm-starred-2015",
        "irm.starred",
        "A star needs transformative potential impact",
        _d("2015-01-01"),
        None,
        {
            "specificity": ["medium", "high"],
            "values": ["ati", "cp", "pa"],
            "potential_impact": ["transformative"],
            "completion": ["substantial", "complete"],
        },
        STARS_2015,
        True,
    ),
    # The compliance engine (domain §3, §4, §9.3; ``oversight.compliance``). Each row names
    # the engine rule it configures in ``params["rule_id"]``.
    # The 2017 Standards were introduced in 2016/2017 and archived on 31 December 2021
    # (§3.1); their forum items, including "meets at least every quarter", are [U].
    PolicyRow(
        "forum-meeting-gap-2017",
        "forum.meeting_gap",
        "The forum meets at least every quarter (2017 Standards, unverified)",
        _d("2016-01-01"),
        _d("2021-12-31"),
        {"rule_id": "F2017-freq", "max_gap_months": 3},
        STANDARDS_2017,
        False,
    ),
    PolicyRow(
        "forum-meeting-gap-2022",
        "forum.meeting_gap",
        "The space for dialogue meets at least every six months (MR 1.1)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR1.1-freq", "max_gap_months": 6},
        MR_GLOSSARY,
        True,
    ),
    PolicyRow(
        "forum-composition-2022",
        "forum.composition",
        "The space for dialogue includes government and civil society (MR 1.1)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR1.1-mix", "sectors": ["government", "civil_society"]},
        MR_GLOSSARY,
        True,
    ),
    PolicyRow(
        "forum-rules-public-2022",
        "forum.rules_public",
        "The basic rules on participation in the space for dialogue are public (MR 1.1)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR1.1-rules"},
        MR_GLOSSARY,
        True,
    ),
    PolicyRow(
        "ogp-website-2022",
        "process.website",
        "A public OGP website dedicated to the member's participation is maintained (MR 2.1)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR2.1"},
        MR_WEBSITE,
        True,
    ),
    PolicyRow(
        "repository-updates-2022",
        "process.repository",
        "A public document repository is updated at least twice a year (MR 2.2)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR2.2", "min_updates_per_year": 2},
        MR_REPOSITORY,
        True,
    ),
    PolicyRow(
        "cocreation-reasoned-response-2022",
        "cocreation.reasoned_response",
        "Every published co-creation input receives a reasoned response (MR 4.1, wording partial)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR4.1"},
        MR_REASONED,
        False,
    ),
    PolicyRow(
        "forum-implementation-meetings-2022",
        "forum.implementation_meetings",
        "At least two meetings a year with civil society during implementation (MR 5.1)",
        _d("2022-01-01"),
        None,
        {"rule_id": "MR5.1", "per_year": 2},
        MR_IMPLEMENTATION,
        True,
    ),
    PolicyRow(
        "irm-progress-2014",
        "irm.progress",
        "The IRM finds progress on at least one commitment",
        _d("2011-09-01"),
        None,
        {"rule_id": "PROG", "no_progress": ["not_started", "no_evidence"]},
        LETTERS,
        True,
    ),
    PolicyRow(
        "irm-minimum-influence-2017",
        "irm.minimum_influence",
        "The IRM assesses public influence during development at Involve or above",
        _d("2016-01-01"),
        _d("2021-12-31"),
        {"rule_id": "INVOLVE", "minimum": "involve"},
        IRM_INVOLVE,
        True,
    ),
    PolicyRow(
        "forum-minutes-2017",
        "forum.minutes",
        "The forum publishes the minutes of the meetings it holds (exact wording not verified)",
        # From the 2017 Standards, whose rows start on 2016-01-01 (docs/subsystems/compliance.md).
        _d("2016-01-01"),
        None,
        {"rule_id": "MINUTES"},
        STANDARDS_2017,
        False,
    ),
    # The Steering Committee (domain §1.2, §1.3).
    PolicyRow(
        "sc-term-2011",
        "sc.term",
        "Steering Committee terms run three years from 1 October; at most two in a row",
        _d("2011-09-01"),
        None,
        {"years": 3, "start_month": 10, "start_day": 1, "max_consecutive": 2},
        SC_ABOUT,
        True,
    ),
    PolicyRow(
        "sc-size-2011",
        "sc.size",
        "Nine government and nine civil-society seats",
        _d("2011-09-01"),
        _d("2014-07-31"),
        {"per_constituency": 9},
        SC_ROTATION_2014,
        True,
    ),
    PolicyRow(
        "sc-size-2014-08",
        "sc.size",
        "Ten government and ten civil-society seats (month of the change as announced)",
        _d("2014-08-01"),
        _d("2014-09-30"),
        {"per_constituency": 10},
        SC_2014_BLOG,
        True,
    ),
    PolicyRow(
        "sc-size-2014-10",
        "sc.size",
        "Eleven government and eleven civil-society seats (22 members, half each)",
        _d("2014-10-01"),
        None,
        {"per_constituency": 11},
        SC_ABOUT,
        True,
    ),
    PolicyRow(
        "sc-minutes-2011",
        "sc.minutes",
        "Full Steering Committee and subcommittee minutes are published two weeks after "
        "the meeting",
        _d("2011-09-01"),
        None,
        {"days": 14},
        SC_WHO,
        True,
    ),
    # Response Policy cases (domain §5.3). The day-counts of the Procedures and Protocols
    # were not published; these rows set no number until staff record a sourced one.
    PolicyRow(
        "case-acknowledge-2014",
        "case.acknowledge",
        "The Support Unit acknowledges a letter of concern (day-count not published)",
        _d("2014-09-25"),
        None,
        {"days": None},
        RESPONSE_POLICY,
        False,
    ),
    PolicyRow(
        "case-eligibility-2014",
        "case.eligibility",
        "The Support Unit's initial review of eligibility (day-count not published)",
        _d("2014-09-25"),
        None,
        {"days": None},
        RESPONSE_POLICY,
        False,
    ),
    PolicyRow(
        "case-government-response-2014",
        "case.government_response",
        "The government responds to an eligible concern (day-count not published)",
        _d("2014-09-25"),
        None,
        {"days": None},
        RESPONSE_POLICY_FAQ,
        False,
    ),
    PolicyRow(
        "case-stage-two-2014",
        "case.stage_two",
        "A member is made inactive (suspended) for up to one year, then reviewed",
        _d("2014-09-25"),
        None,
        {"months": 12},
        RESPONSE_POLICY_FAQ,
        True,
    ),
    # Procedural review (domain §4).
    PolicyRow(
        "review-trigger-2014",
        "review.trigger",
        "Acting contrary to process in two consecutive action-plan cycles opens a "
        "procedural review",
        _d("2014-02-01"),
        None,
        {"rule_id": "PR-ESC", "consecutive": 2},
        LETTERS,
        True,
    ),
)


class PolicySet:
    """The rule rows in force, loaded once (one query) and then resolved in memory."""

    def __init__(self, rows: list[PolicyRow]):
        self._by_code: dict[str, list[PolicyRow]] = {}
        for row in rows:
            self._by_code.setdefault(row.code, []).append(row)

    @classmethod
    def load(cls) -> PolicySet:
        from .models import PolicyRule

        recorded = [
            PolicyRow.from_rule(rule)
            for rule in PolicyRule.objects.filter(retracted_at__isnull=True)
        ]
        recorded_codes = {row.code for row in recorded}
        return cls(recorded + [row for row in SEED if row.code not in recorded_codes])

    def rows(self, code: str) -> list[PolicyRow]:
        return sorted(self._by_code.get(code, []), key=lambda row: row.effective_from)

    def find(self, code: str, day: dt.date) -> PolicyRow | None:
        """The row of ``code`` in force on ``day`` (the latest to take effect), if any."""
        candidates = [row for row in self.rows(code) if row.in_force_on(day)]
        return candidates[-1] if candidates else None

    def in_force(self, code: str, day: dt.date) -> PolicyRow:
        row = self.find(code, day)
        if row is None:
            raise NotFound(
                _("No rule %(code)s is in force on %(day)s.") % {"code": code, "day": day}
            )
        return row

    def all_rows(self) -> list[PolicyRow]:
        return sorted(
            (row for rows in self._by_code.values() for row in rows),
            key=lambda row: (row.code, row.effective_from),
        )
