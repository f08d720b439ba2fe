"""The Steering Committee's side of the Mexico 2017 scenario: the committee of 2016-2018 as far
as our sources name it, its co-chairs and subcommittees, the working-level meeting of 27-28
June 2017, its resolutions on Mexico and Azerbaijan, the envoys' missions, Azerbaijan's
Response Policy case and status, and Mexico's own Response Policy case of 2018-2019.

It extends ``demo/mexico.py``: the member ``mx``, the core group's ten organisations, the
withdrawal letter of 23 May 2017 and Arely Gómez González are that scenario's records, looked
up by key. Everything is written through the oversight and forum services in one transaction.

Facts come from ``shared/domain/ogp-process.md`` §1.2-§1.4, §5.3-§5.4 and §7.5, each with
its source. Three stored pages add detail beyond the domain file's summary: the page on the
Baku visit of May 2017 (cited by the domain file; it names the delegation), OGP's page on
Azerbaijan's inactive status in June 2017 (cited by the domain file) and a copy of the
Criteria and Standards report on Mexico of 2 May 2019 (``EXTRA_SOURCES``). Where a fact is
missing the record says so rather than guessing: dates that are not published, Steering
Committee terms that are inferred from co-chair years, and documents whose publication
dates are unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from tripartite.core.models import PublicRecord
from tripartite.demo.mexico import CSOS, LETTER_KEY, MEMBER_KEY, SRC_CASE, SRC_OCT_2017_VISIT
from tripartite.forums import services as forums
from tripartite.forums.choices import LetterDirection, LetterStatus, LetterType, MemberKind
from tripartite.forums.models import Letter, Member, Organization, Person
from tripartite.oversight import case_services, services
from tripartite.oversight.choices import (
    Body,
    CaseState,
    CoChairRole,
    Constituency,
    DecisionMethod,
    FilerCategory,
    MeetingLevel,
    MeetingMode,
    SelectionMethod,
)
from tripartite.oversight.models import ConcernCase, ScMeeting, ScSeat

D = dt.date
R = TypeVar("R", bound=PublicRecord)

MEETING_KEY = "sc-2017-06-27"
AZ_CASE_KEY = "az-2015"
MX_CASE_KEY = "mx-2018"
MX_MISSION_KEY = "mx-2017-10"
BAKU_MISSION_KEY = "az-2017-05"
AZ_INACTIVE_KEY = "az-2016-05-04-inactive"
AZ_KEPT_KEY = "az-2017-06-28-inactive-kept"
MX_ENVOYS_KEY = "mx-2017-06-28-envoys"
MX_CLOSURE_KEY = "mx-2019-12-12-closure"

# ---------------------------------------------------------------- sources (ogp-process.md)

# §1.2, §1.3: the committee, its terms and co-chairs.
SRC_SC_ABOUT = "https://opengovpartnership.org/about/who-we-are/steering-committee/about-the-steering-committee"
SRC_ETALAB = (
    "https://www.etalab.gouv.fr/en/"
    "la-france-prend-la-co-presidence-de-logp-et-annonce-les-priorites-de-son-mandat"
)
SRC_GEORGIA = (
    "https://opengovpartnership.org/news/"
    "republic-of-georgia-to-succeed-france-as-open-government-partnership-chair"
)
SRC_MRA_GEORGIA = (
    "https://mediarightsagenda.org/"
    "government-of-georgia-mukelani-dimba-take-over-global-ogp-co-chairmanship/"
)
SRC_TRACNIGERIA = "https://tracnigeria.ng/ogp-steering-committee/"
# §1.4: Criteria and Standards, and the Baku visit of May 2017 (which names its co-chair).
SRC_CS_2014 = "https://ogpblog.wordpress.com/2014/10/31/new/"
SRC_BAKU = (
    "https://www.opengovpartnership.org/stories/"
    "representatives-of-the-open-government-partnership-visit-baku-azerbaijan-may-2017/"
)
# §1.2, §7.5: the background pack of the working-level meeting of 27-28 June 2017.
SRC_SC_2017_PACK = (
    "https://vdocuments.net/"
    "ogp-steering-committee-working-level-meeting-background-the-ogp-articles-of.html"
)
# §5.4: the Azerbaijan case.
SRC_AZ_LETTER = (
    "https://www.democracymonitor.org.az/en/ogp-report-azerbaijan_final-report-concerns-filed/"
)
SRC_AZ_STATEMENT = "https://opengovpartnership.org/stories/statement-on-the-government-of-azerbaijans-participation-in-ogp"
SRC_AZ_2016 = "https://en.aravot.am/2016/05/05/176467"
SRC_AZ_2017 = (
    "https://www.opengovpartnership.org/news/"
    "azerbaijan-to-maintain-its-inactive-status-in-the-open-government-partnership/"
)

# Not in ogp-process.md: a copy of the Criteria and Standards report on Mexico, approved on
# 2 May 2019 (the domain file cites OGP's case page for its date). It summarises the letter
# of concern of 16 July 2018 and dates the government's first response 20 November 2018.
SRC_MX_REPORT = (
    "https://docslib.org/doc/2209165/"
    "mexico-ogp-response-policy-concern-report-approved-by-criteria-and-standards-"
    "subcommittee-on-2-may-2019"
)
EXTRA_SOURCES: tuple[str, ...] = (SRC_MX_REPORT,)

NOT_PUBLISHED = (
    "The date of this step is not published; it is recorded on the date of the next known "
    "event ({event}, {day})."
)

_INVOLVED = (
    "An international organisation. Recorded under Azerbaijan because it filed the Response "
    "Policy concern of March 2015 as an entity involved in OGP in Azerbaijan (domain §5.2, "
    "§5.4); the record ties an involved entity to the member where it takes part."
)

# The envoys' four tasks (§7.5, from OGP's page on the October 2017 visit).
ENVOY_TASKS: tuple[str, ...] = (
    "Meet government and civil society for an update on the situation.",
    "Report back to the full Steering Committee.",
    "Explore what support the Steering Committee and the OGP community could offer.",
    "Explore how to take forward Mexico's representation on the Steering Committee.",
)


class _Loader:
    """Writes through the services and keeps every record it creates."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.written: list[PublicRecord] = []

    def keep(self, record: R) -> R:
        self.written.append(record)
        return record

    def existing_or(self, model: type[R], key: str, create: Callable[[], R]) -> R:
        """The record with ``key`` if another loader wrote it already, else a new one."""
        found = model._default_manager.filter(key=key).first()
        return found if found is not None else self.keep(create())

    def member(self, key: str, name: str, iso2: str) -> Member:
        # Region, joining date and status history are not in our sources for these members:
        # they are left out (the status is the model's default, active).
        return self.existing_or(
            Member,
            key,
            lambda: forums.create_member(
                self.actor, key=key, name=name, kind=MemberKind.COUNTRY, iso2=iso2
            ),
        )

    def organization(self, key: str, name: str, sector: str, **fields: Any) -> Organization:
        return self.existing_or(
            Organization,
            key,
            lambda: forums.create_organization(
                self.actor, key=key, name=name, sector=sector, **fields
            ),
        )

    def person(self, key: str, name: str, role_title: str) -> Person:
        return self.existing_or(
            Person,
            key,
            lambda: forums.create_person(self.actor, key=key, name=name, role_title=role_title),
        )

    def seat(self, key: str, constituency: str, term_start: dt.date, **fields: Any) -> ScSeat:
        fields.setdefault("note", INFERRED_TERM)
        selection = (
            SelectionMethod.ELECTION
            if constituency == Constituency.GOVERNMENT
            else SelectionMethod.SELECTION_COMMITTEE
        )
        return self.keep(
            services.add_sc_seat(
                self.actor,
                key=key,
                constituency=constituency,
                term_start=term_start,
                selection=selection,
                **fields,
            )
        )

    def co_chair(self, seat: ScSeat, role: str, year: int, source_url: str) -> None:
        self.keep(
            services.appoint_co_chair(
                self.actor,
                key=f"{seat.key}-{role}-{year}",
                seat=seat,
                role=role,
                starts_on=D(year, 10, 1),
                source_url=source_url,
            )
        )

    def step(self, case: ConcernCase, to: str, on: dt.date, by: str, **fields: Any) -> None:
        case_services.advance_case(self.actor, case, to=to, on=on, by=by, **fields)


INFERRED_TERM = (
    "The term's start is inferred: the election or selection year is not in our sources, so "
    "this is the 1 October term that covers the holder's known co-chair years. The term "
    "number counts only the terms recorded here."
)


def load_oversight_2017(actor: Any) -> int:
    """Load the Steering Committee records of the scenario; return the records written.

    Idempotent: when the meeting ``scmeeting/sc-2017-06-27`` exists nothing is written and 0
    is returned. The member, core group and letter of ``load_mexico_2017()`` must exist.
    """
    with transaction.atomic():
        if ScMeeting.objects.filter(key=MEETING_KEY).exists():
            return 0
        try:
            mx = Member.objects.get(key=MEMBER_KEY)
            letter = Letter.objects.get(key=LETTER_KEY)
        except (Member.DoesNotExist, Letter.DoesNotExist) as error:
            raise LookupError(
                _("Load the Mexico 2017 scenario before its Steering Committee records.")
            ) from error
        loader = _Loader(actor)
        _load(loader, mx, letter)
        return len(loader.written)


def _load(ld: _Loader, mx: Member, withdrawal_letter: Letter) -> None:
    actor = ld.actor
    G, CS = Constituency.GOVERNMENT, Constituency.CIVIL_SOCIETY
    LEAD, INCOMING = CoChairRole.LEAD, CoChairRole.INCOMING

    # ------------------------------------------------------------ members
    france = ld.member("fr", "France", "FR")
    georgia = ld.member("ge", "Georgia", "GE")
    canada = ld.member("ca", "Canada", "CA")
    az = ld.member("az", "Azerbaijan", "AZ")

    # ------------------------------------------------------------ people and organisations
    wri = ld.organization("wri", "World Resources Institute", "civil_society", short_name="WRI")
    odac = ld.organization(
        "odac", "Open Democracy Advice Centre", "civil_society", short_name="ODAC"
    )
    r4d = ld.organization("r4d", "Results for Development", "civil_society", short_name="R4D")
    bapna = ld.person(
        "manish-bapna",
        "Manish Bapna",
        "World Resources Institute; civil-society lead co-chair of the OGP Steering Committee "
        "2016-2017",
    )
    dimba = ld.person(
        "mukelani-dimba",
        "Mukelani Dimba",
        "Executive Director of the Open Democracy Advice Centre (ODAC) in 2017; civil-society "
        "co-chair of the OGP Steering Committee (incoming 2016-2017, lead 2017-2018)",
    )
    heller = ld.person(
        "nathaniel-heller",
        "Nathaniel Heller",
        "Results for Development (R4D); civil-society incoming co-chair of the OGP Steering "
        "Committee from 1 October 2017",
    )
    arely = Person.objects.get(key="arely-gomez-gonzalez")
    sfp = Organization.objects.get(key="sfp")

    # ------------------------------------------------------------ Steering Committee seats
    # Terms run three years from 1 October (policy sc.term). The election or selection year
    # of these holders is not in our sources, so each term below is inferred: the one that
    # covers the holder's known co-chair years (§1.3) and ends with the last of them. A term
    # number counts only the terms recorded here, so each first recorded term shows as 1.
    fr_seat = ld.seat(
        "fr-2014",
        G,
        D(2014, 10, 1),
        member=france,
        # France took the co-chair on 2016-09-20 (before the co-chair year of 1 October that
        # the record keeps) and led until 2017-09-30; its term start is inferred.
        source_url=SRC_ETALAB,
    )
    ge_seat = ld.seat(
        "ge-2015",
        G,
        D(2015, 10, 1),
        member=georgia,
        # Vice-chair (incoming) from 2016-09-20, lead 2017-10-01 to 2018-09-30; inferred term.
        source_url=SRC_GEORGIA,
    )
    # Mexico held a government seat in 2017: the June 2017 meeting asked the envoys to
    # explore "Mexico's representation on the Steering Committee" (§7.5), and a list of
    # about late 2017 names Minister Arely Gómez González as its representative (probable:
    # the list's date is not exact). The term start is inferred: the latest 1 October that
    # covers June 2017.
    ld.seat(
        "mx-2016",
        G,
        D(2016, 10, 1),
        member=mx,
        person=arely,
        organization=sfp,
        note=(
            "Probable: a list of about late 2017 names Minister Arely Gómez González as "
            "Mexico's representative. The term's start is inferred (the latest 1 October "
            "that covers June 2017); Mexico's earlier terms are not recorded here."
        ),
        source_url=SRC_TRACNIGERIA,
    )
    ca_seat = ld.seat(
        "ca-2016",
        G,
        D(2016, 10, 1),
        member=canada,
        # Incoming co-chair from 2017-10-01, lead 2018-2019 (§1.3): the inferred term covers
        # both years.
        source_url=SRC_MRA_GEORGIA,
    )
    bapna_seat = ld.seat(
        "manish-bapna-2014",
        CS,
        D(2014, 10, 1),
        person=bapna,
        organization=wri,
        # Lead co-chair with France from 2016-09-20 to 2017-09-30; inferred term.
        source_url=SRC_ETALAB,
    )
    dimba_seat = ld.seat(
        "mukelani-dimba-2015",
        CS,
        D(2015, 10, 1),
        person=dimba,
        organization=odac,
        source_url=SRC_MRA_GEORGIA,
    )
    heller_seat = ld.seat(
        "nathaniel-heller-2016",
        CS,
        D(2016, 10, 1),
        person=heller,
        organization=r4d,
        # Incoming from 2017-10-01; by the two-year rule (§1.3) lead in 2018-2019, so the
        # inferred term covers both years.
        source_url=SRC_MRA_GEORGIA,
    )

    # ------------------------------------------------------------ co-chairs
    # The record keeps co-chair years from 1 October (the service's rule). France and the
    # World Resources Institute took the co-chair, and Georgia and Mukelani Dimba became
    # vice-chairs, on 2016-09-20, ten days before the year recorded here (SRC_ETALAB).
    ld.co_chair(fr_seat, LEAD, 2016, SRC_ETALAB)
    ld.co_chair(bapna_seat, LEAD, 2016, SRC_ETALAB)
    ld.co_chair(ge_seat, INCOMING, 2016, SRC_ETALAB)
    ld.co_chair(dimba_seat, INCOMING, 2016, SRC_ETALAB)
    ld.co_chair(ge_seat, LEAD, 2017, SRC_GEORGIA)
    ld.co_chair(dimba_seat, LEAD, 2017, SRC_MRA_GEORGIA)
    ld.co_chair(ca_seat, INCOMING, 2017, SRC_MRA_GEORGIA)
    ld.co_chair(heller_seat, INCOMING, 2017, SRC_MRA_GEORGIA)
    # Canada's lead year 2018-2019 is in §1.3 but the other co-chairs of that year are not
    # in our sources; the scenario stops at the co-chairs of 2017-2018.

    # ------------------------------------------------------------ subcommittees
    gl = ld.keep(
        services.create_subcommittee(
            actor,
            key="gl",
            code="GL",
            name="Governance and Leadership",
            remit=(
                "The four co-chairs of the Steering Committee (two government, two civil "
                "society); it handles governance questions."
            ),
            source_url=SRC_SC_ABOUT,
        )
    )
    # The four co-chairs of each year; who chaired the subcommittee itself is not sourced.
    services.set_subcommittee_members(
        actor, gl, on=D(2016, 10, 1), seats=[fr_seat, ge_seat, bapna_seat, dimba_seat]
    )
    services.set_subcommittee_members(
        actor, gl, on=D(2017, 10, 1), seats=[ge_seat, ca_seat, dimba_seat, heller_seat]
    )
    # Georgia's and Dimba's seats end on 2018-09-30; the 2018-19 co-chairs are not all in
    # our sources, so the membership simply ends there.
    services.set_subcommittee_members(actor, gl, on=D(2018, 10, 1), seats=[])
    ld.keep(
        services.create_subcommittee(
            actor,
            key="cs",
            code="C&S",
            name="Criteria and Standards",
            remit=(
                "Recommends to the Steering Committee when a country's participation must be "
                "reviewed, runs Response Policy reviews and places countries under procedural "
                "review. Its members in 2017 are not in our sources, so none are recorded; "
                "Radu Puchiu (Romania) was one of its co-chairs in 2017."
            ),
            source_url=SRC_CS_2014,
        )
    )
    puchiu = ld.person(
        "radu-puchiu",
        "Radu Puchiu",
        "State Secretary at the Prime Minister's Chancellery of Romania; co-chair of the OGP "
        "Criteria and Standards subcommittee in 2017",
    )

    # ------------------------------------------------------------ Azerbaijan: the case, 2015-2016
    civicus = ld.organization(
        "civicus",
        "CIVICUS: World Alliance for Citizen Participation",
        "civil_society",
        short_name="CIVICUS",
        member=az,
        description=_INVOLVED,
    )
    pwyp = ld.organization(
        "pwyp",
        "Publish What You Pay",
        "civil_society",
        short_name="PWYP",
        member=az,
        description=_INVOLVED,
    )
    article19 = ld.organization(
        "article-19", "ARTICLE 19", "civil_society", member=az, description=_INVOLVED
    )
    az_letter = ld.keep(
        forums.register_letter(
            actor,
            key="az-2015-03-02-letter-of-concern",
            reference="AZ-2015-03-02",
            direction=LetterDirection.INBOUND,
            letter_type=LetterType.LETTER_OF_CONCERN,
            # Our description: the letter's own title is not in our sources.
            subject="Letter of concern about the climate for civil society in Azerbaijan",
            signatories=[civicus, pwyp, article19],
            member=az,
            addressees="OGP Steering Committee, through the Support Unit",
            sent_on=D(2015, 3, 2),
            received_on=D(2015, 3, 2),
            status=LetterStatus.RECEIVED,
            body=(
                "Summary by Tripartite (not the letter's text). Three civil-society "
                "organisations raised concerns under the Response Policy about the climate "
                "for civil society to operate in Azerbaijan: the difficulties faced by "
                "civil-society organisations. OGP's statement of May 2015 says the letter was "
                f"submitted on 2 March 2015 ({SRC_AZ_STATEMENT})."
            ),
            source_url=SRC_AZ_LETTER,
        )
    )
    az_case = ld.keep(
        case_services.file_case(
            actor,
            key=AZ_CASE_KEY,
            member=az,
            title="Azerbaijan: the operating environment for civil society",
            concerns=(
                "Constraints on the operating environment for non-governmental organisations "
                "in Azerbaijan, raised by CIVICUS, Publish What You Pay and ARTICLE 19 in their "
                "letter of 2 March 2015. The first Response Policy case to lead to a sanction."
            ),
            received_on=D(2015, 3, 2),
            filers=[(org, FilerCategory.INVOLVED_ENTITY) for org in (civicus, pwyp, article19)],
            letter=az_letter,
            source_url=SRC_AZ_LETTER,
        )
    )
    report_day = D(2015, 5, 18)
    unknown = NOT_PUBLISHED.format(event="the C&S report adopted", day=report_day)
    su, cs, sc, gov = Body.SUPPORT_UNIT, Body.CRITERIA_STANDARDS, Body.SC, Body.GOVERNMENT
    ld.step(az_case, CaseState.ACKNOWLEDGED, report_day, su, note=unknown)
    ld.step(az_case, CaseState.ELIGIBILITY_REVIEW, report_day, su, note=unknown)
    ld.step(az_case, CaseState.ELIGIBLE, report_day, su, note=unknown)
    ld.step(
        az_case,
        CaseState.MERITS_REVIEW,
        report_day,
        cs,
        note=unknown + " The review included desk research, interviews with experts and a formal "
        "communication from the Government of Azerbaijan.",
        document_url=SRC_AZ_STATEMENT,
    )
    ld.step(
        az_case,
        CaseState.REPORT_ADOPTED,
        report_day,
        cs,
        note=(
            "The Criteria and Standards subcommittee met and adopted a report finding the "
            "concerns relevant to Azerbaijan's participation in OGP and to the Open Government "
            "Declaration, and credible in terms of the evidence presented."
        ),
        document_url=SRC_AZ_STATEMENT,
    )
    ld.step(
        az_case,
        CaseState.STAGE_ONE,
        report_day,
        cs,
        note=(
            "Stage one actions, to be undertaken by the Steering Committee after the report: "
            "diplomatic outreach to the government at the official or political level; "
            "brokering technical assistance, including with multilateral partners active in "
            "Azerbaijan; inviting the government to agree with the Criteria and Standards "
            "subcommittee a work plan with regular check-ins and a timeline. Who carried them "
            "out and when is not in our sources, so no outreach tasks are recorded."
        ),
        document_url=SRC_AZ_STATEMENT,
    )
    az_inactive = ld.keep(
        services.record_resolution(
            actor,
            key=AZ_INACTIVE_KEY,
            title="Azerbaijan designated inactive under the Response Policy",
            text=(
                "Summary by Tripartite. Meeting in Cape Town, the Steering Committee made "
                "Azerbaijan inactive because of unresolved constraints on the operating "
                "environment for non-governmental organisations. The government has at most "
                "one year to address the concerns raised by civil society. While inactive, "
                "Azerbaijan is labelled inactive, cannot vote in OGP elections and attends OGP "
                "events only as an observer; it still receives help from the Steering "
                "Committee and the Support Unit, Working Groups, multilateral partners and "
                "peer exchange. The meeting itself (its dates and minutes) is not in our "
                "sources and is not recorded."
            ),
            adopted_on=D(2016, 5, 4),
            effective_on=D(2016, 5, 4),
            method=DecisionMethod.VOTE,
            votes={"for": 16, "against": 3, "abstain": 3},
            case=az_case,
            source_url=SRC_AZ_2016,
        )
    )
    ld.step(az_case, CaseState.STAGE_TWO, D(2016, 5, 4), sc, resolution=az_inactive)
    ld.keep(
        services.change_member_status(
            actor,
            az,
            to="inactive",
            on=D(2016, 5, 4),
            key="az-2016-05-04-inactive",
            reason=(
                "Response Policy, stage two: the Steering Committee's vote of 4 May 2016 "
                "(16 for, 3 against, 3 abstaining)."
            ),
            resolution=az_inactive,
            case=az_case,
        )
    )

    # ------------------------------------------------------------ Baku, May 2017
    maassen = ld.person(
        "paul-maassen", "Paul Maassen", "OGP Support Unit, Director of Civil Society Engagement"
    )
    cerdan = ld.person(
        "alonso-cerdan",
        "Alonso Cerdán",
        "OGP Support Unit (Deputy Director of Government Support and Exchange in May 2017)",
    )
    ld.keep(
        services.record_mission(
            actor,
            key=BAKU_MISSION_KEY,
            member=az,
            case=az_case,
            title="Steering Committee and Support Unit visit to Baku",
            mandate=(
                "Part of the Response Policy process: meet representatives of government, "
                "press, academia, the diplomatic corps and civil society to discuss progress "
                "made since May 2016. The visit was to inform a Technical Report on Progress "
                "on the Action Points, on which the Criteria and Standards subcommittee would "
                "base a recommendation to the Steering Committee's meeting of 27-28 June 2017. "
                "No resolution mandating the visit is in our sources."
            ),
            envoys=[dimba, puchiu],
            staff=[maassen, cerdan],
            starts_on=D(2017, 5, 22),
            ends_on=D(2017, 5, 23),
            place="Baku",
            # The technical report is not in our sources: the mission has no report.
            source_url=SRC_BAKU,
        )
    )

    # ------------------------------------------------------------ the meeting of 27-28 June 2017
    meeting = ld.keep(
        services.schedule_sc_meeting(
            actor,
            key=MEETING_KEY,
            title="Steering Committee working-level meeting",
            level=MeetingLevel.WORKING,
            starts_on=D(2017, 6, 27),
            ends_on=D(2017, 6, 28),
            place="Washington DC",
            mode=MeetingMode.IN_PERSON,
            summary=(
                "The agenda itself is not in our sources: the items below follow the "
                "published background pack and the outcomes OGP reported. The pack includes "
                "the OGP Statement on Domestic OGP Developments in Mexico, the Criteria and "
                "Standards recommendations on Azerbaijan and Montenegro, a note on candidacies "
                "for the co-chairmanship and the Participation & Voting Protocol; their "
                "publication dates are not known, so they are not listed as background "
                "documents. On Mexico the committee had before it the ten organisations' "
                f"letter of 23 May 2017 (letter/{withdrawal_letter.key}). A press report "
                "placed a late-June OGP meeting in New York; OGP gives Washington DC. No "
                "minutes are in our sources."
            ),
            source_url=SRC_SC_2017_PACK,
            agenda=[
                {
                    "title": "Mexico: the civil-society core group's withdrawal from the "
                    "national OGP process (OGP Statement on Domestic OGP Developments in "
                    "Mexico)",
                    "member": mx,
                },
                {
                    "title": "Azerbaijan: the Criteria and Standards recommendation under the "
                    "Response Policy",
                    "member": az,
                    "case": az_case,
                },
                "Montenegro: the Criteria and Standards recommendation",
                "Candidacies for the co-chairmanship",
                "Participation & Voting Protocol",
            ],
        )
    )
    mx_envoys = ld.keep(
        services.record_resolution(
            actor,
            key=MX_ENVOYS_KEY,
            title="Support for all Mexican stakeholders; two envoys",
            text=(
                "The Steering Committee expressed its support for all Mexican stakeholders, "
                "and resolved to appoint two representatives, one from government and one "
                "from civil society, to serve as OGP envoys. Their tasks: "
                + " ".join(f"({n}) {task}" for n, task in enumerate(ENVOY_TASKS, start=1))
                + "\n\nNote by Tripartite: the day of the decision within the meeting and how "
                "it was taken are not in our source; it is dated to the meeting's last day and "
                "recorded as a decision by consensus because no vote is reported. OGP's "
                "account is published as statement/ogp-sc-2017-06-mexico-envoys."
            ),
            adopted_on=D(2017, 6, 28),
            method=DecisionMethod.CONSENSUS,
            meeting=meeting,
            member=mx,
            source_url=SRC_OCT_2017_VISIT,
        )
    )
    # The C&S recommendation is in the meeting's pack; the day C&S adopted it is not published.
    ld.step(
        az_case,
        CaseState.EXTENSION_REVIEW,
        D(2017, 6, 27),
        cs,
        note=(
            "The Criteria and Standards recommendation on Azerbaijan is in the background pack "
            "of the meeting of 27-28 June 2017, informed by the Baku visit of 22-23 May. The "
            "date C&S adopted it is not published; the step is recorded on the meeting's first "
            "day."
        ),
        document_url=SRC_SC_2017_PACK,
    )
    az_kept = ld.keep(
        services.record_resolution(
            actor,
            key=AZ_KEPT_KEY,
            title="Azerbaijan maintains its inactive status",
            text=(
                "Summary by Tripartite. The Steering Committee resolved that Azerbaijan keeps "
                "its inactive status because of unresolved constraints on the operating "
                "environment for non-governmental organisations. It recognised positive steps "
                "(a consultation process for the 2016-2018 action plan, a multi-stakeholder OGP "
                "forum, a one-stop shop for grant registration), but the core issues of the "
                "original letter remained unresolved. The government has a second one-year "
                "period to address the concerns. Announced on 29 June 2017."
            ),
            adopted_on=D(2017, 6, 28),
            method=DecisionMethod.VOTE,
            votes={"for": 19, "against": 1, "abstain": 2},
            meeting=meeting,
            case=az_case,
            source_url=SRC_AZ_2017,
        )
    )
    ld.step(az_case, CaseState.EXTENDED, D(2017, 6, 28), sc, resolution=az_kept)
    # The extension of December 2018 ("suspension extended") is outside this scenario.

    # ------------------------------------------------------------ the envoys in Mexico City
    ruiz = ld.person(
        "jose-manuel-ruiz",
        "José Manuel Ruiz",
        "Council for Transparency (Consejo para la Transparencia), Chile; OGP envoy to Mexico, "
        "2017",
    )
    baron = ld.person(
        "maria-baron", "María Baron", "Directorio Legislativo; OGP envoy to Mexico, 2017"
    )
    mercado = ld.person("jaime-mercado", "Jaime Mercado", "OGP Support Unit")
    ld.keep(
        services.record_mission(
            actor,
            key=MX_MISSION_KEY,
            member=mx,
            resolution=mx_envoys,
            title="The OGP envoys' visit to Mexico City",
            mandate="\n".join(ENVOY_TASKS) + "\nThe visit was limited to information gathering.",
            envoys=[ruiz, baron],
            staff=[cerdan, mercado],
            starts_on=D(2017, 10, 19),
            ends_on=D(2017, 10, 20),
            place="Mexico City",
            # The envoys' report to the Steering Committee is not in our sources.
            source_url=SRC_OCT_2017_VISIT,
        )
    )

    # ------------------------------------------------------------ Mexico's case, 2018-2019
    nosc = [Organization.objects.get(key=cso.key) for cso in CSOS]
    mx_case = ld.keep(
        case_services.file_case(
            actor,
            key=MX_CASE_KEY,
            member=mx,
            title="Mexico: digital surveillance of civil society",
            concerns=(
                "Summary by Tripartite. The ten organisations that had left the Tripartite "
                "Technical Secretariat in May 2017 wrote to the Steering Committee about "
                "digital surveillance carried out by the Government of Mexico: people in "
                "organisations that had taken part in building open-government commitments "
                "were among those targeted by malware, alongside journalists, opposition "
                "figures and other politically active citizens (Criteria and Standards report, "
                f"{SRC_MX_REPORT}). The letter is dated 16 July 2018; the day the Support Unit "
                "received it is not published. The letter itself is not registered here."
            ),
            received_on=D(2018, 7, 16),
            filers=[(org, FilerCategory.INVOLVED_ENTITY) for org in nosc],
            source_url=SRC_CASE,
        )
    )
    findings_day = D(2018, 8, 24)
    unknown = NOT_PUBLISHED.format(event="the initial-review findings", day=findings_day)
    ld.step(mx_case, CaseState.ACKNOWLEDGED, findings_day, su, note=unknown)
    ld.step(mx_case, CaseState.ELIGIBILITY_REVIEW, findings_day, su, note=unknown)
    ld.step(
        mx_case,
        CaseState.ELIGIBLE,
        findings_day,
        su,
        note="The Support Unit's initial-review findings: the concern is eligible.",
        document_url=SRC_CASE,
    )
    ld.step(
        mx_case,
        CaseState.MERITS_REVIEW,
        D(2018, 9, 20),
        cs,
        note="Terms of reference for a consultant to support the review of the concerns.",
        document_url=SRC_CASE,
    )
    for day, by, what in (
        (
            D(2018, 11, 30),
            gov,
            "The government's response (OGP's case timeline; the C&S report itself dates the "
            "first official response, sent on behalf of the government of then-President "
            "Enrique Peña Nieto, 20 November 2018).",
        ),
        (D(2019, 1, 10), su, "OGP's letter to the new administration."),
        (D(2019, 1, 31), gov, "The new administration's response."),
        (D(2019, 3, 5), gov, "The national OGP process resumes."),
    ):
        case_services.record_case_event(
            actor, mx_case, on=day, by=by, note=what, document_url=SRC_CASE
        )
    ld.step(
        mx_case,
        CaseState.REPORT_ADOPTED,
        D(2019, 5, 2),
        cs,
        note="The Criteria and Standards subcommittee approved its report.",
        document_url=SRC_MX_REPORT,
    )
    mx_closure = ld.keep(
        services.record_resolution(
            actor,
            key=MX_CLOSURE_KEY,
            body=Body.CRITERIA_STANDARDS,
            title="Resolution closing the Response Policy case on Mexico",
            text=(
                "The Criteria and Standards subcommittee's resolution on the case; OGP lists "
                "the case as closed. Note by Tripartite: the resolution's text and how it was "
                "taken are not in our sources; it is recorded as a decision by consensus "
                "because no vote is reported."
            ),
            adopted_on=D(2019, 12, 12),
            method=DecisionMethod.CONSENSUS,
            case=mx_case,
            source_url=SRC_CASE,
        )
    )
    ld.step(mx_case, CaseState.RESOLVED, D(2019, 12, 12), cs, resolution=mx_closure)
    # No outreach tasks: the envoys' tasks of 2017 came before this case, and no task of the
    # case itself is in our sources. Mexico's status did not change (it stayed active).
