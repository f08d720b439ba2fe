"""The Mexico 2017 scenario: ten civil-society organisations leave the Tripartite
Technical Secretariat (STT) on 23 May 2017, and the Open Government Partnership responds.

Every fact here comes from ``shared/domain/ogp-process.md`` §7 (with §1.3 for the co-chairs of
May 2017) or from the co-chairs' statement itself (the seed text), and each record carries its
source: in ``source_url`` where the model has one, otherwise in the description. Letter and
statement bodies are our own short summaries; only the co-chairs' statement is quoted, because
it is the statement. Dates known only to the month are recorded on the first of that month.

Everything is written through ``tripartite.forums.services`` as ``system_actor()`` in one
transaction. See ``docs/subsystems/demo.md`` for the facts, their sources and what was left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.forums import services
from tripartite.forums.choices import (
    Attendance,
    DecisionRule,
    LetterDirection,
    LetterStatus,
    LetterType,
    MeetingMode,
    MeetingStatus,
    MemberKind,
    MemberStatus,
    SeatEndReason,
    Sector,
)
from tripartite.forums.models import Forum, Letter, Member, Organization, Seat

D = dt.date
R = TypeVar("R", bound=PublicRecord)

MEMBER_KEY = "mx"
STT_KEY = "mx-stt"
COMITE_KEY = "mx-comite-coordinador"
WITHDRAWAL_KEY = "mx-stt-2017-05-23"
LETTER_KEY = "mx-nosc-2017-05-23-withdrawal"

# ---------------------------------------------------------------- sources (ogp-process.md §7)

SRC_FREEDOMINFO = "http://freedominfo.org/2012/08/mexico-expands-ogp-commitments-in-revised-plan"
SRC_MEXIDATA_2016 = "http://mexidata.info/id4307.html"
SRC_NOSC = "http://gobiernoabiertomx.org/nucleo-de-sociedad-civil/"
SRC_CASE = "https://www.opengovpartnership.org/ogp-response-policy/response-policy-case-mexico/"
SRC_SIEMPRE = "https://www.siempre.mx/2017/05/rompen-ongs-con-gobierno-federal"
SRC_OCT_2017_VISIT = (
    "https://www.opengovpartnership.org/news/"
    "representatives-of-the-open-government-partnership-steering-committee-visit-mexico-city/"
)
SRC_COMITE = "https://micrositios.inai.org.mx/gobiernoabierto/en/?p=6474"
SRC_LETTERS = (
    "https://www.opengovpartnership.org/about/who-we-are/steering-committee/letters-and-responses/"
)
SRC_OGP_STATEMENT = (
    "https://opengovpartnership.org/stories/"
    "open-government-partnership-statement-on-domestic-ogp-developments-in-mexico"
)
SRC_COHORT = (
    "https://studylib.net/doc/7237116/irm-commitments-data-guide-1.0--public-comment-version-"
)
# Not in §7: the core group's own October 2015 publication, which lists SocialTIC (not
# CitiVox) among the eight organisations of the core group. It dates SocialTIC's seat.
SRC_NOSC_2015 = (
    "https://es.scribd.com/document/287196959/"
    "La-Alianza-para-el-Gobierno-Abierto-en-Mexico-Una-vision-desde-la-Sociedad-Civil"
)

# ---------------------------------------------------------------- dates

# "Created December 2011" (§7.1): the month is sourced, the day is not.
STT_ESTABLISHED = D(2011, 12, 1)
# "In March 2019 SFP, INAI and NOSC set up ... the Comité Coordinador, replacing the STT" (§7.1).
# Only the month is sourced (OGP's case timeline says the national process resumed on
# 2019-03-05, which is not said to be the day the committee was set up).
COMITE_ESTABLISHED = D(2019, 3, 1)
WITHDRAWN_ON = D(2017, 5, 23)


@dataclass(frozen=True)
class CSO:
    """One of the ten core-group organisations that withdrew on 2017-05-23 (§7.2)."""

    key: str
    name: str
    short_name: str
    start_on: dt.date
    description: str = ""


FOUNDER = "One of the eight organisations that joined the core group in 2011."
OPEN_CALL = "Joined the core group in early 2016 after an open call decided in February 2015."

# The ten, as listed in §7.2 (the filers of the 2018 Response Policy case, matching the core
# group's roster and the press). Start dates:
# - the seven founders still in the group: the STT's establishment (December 2011), since
#   they joined the core group in August 2011, before the STT was created;
# - Contraloría Ciudadana and Observatorio Nacional Ciudadano: "early 2016" is sourced, the
#   day is not; 2016-01-01 stands for "early 2016";
# - SocialTIC replaced CitiVox (a founder) on a date that is not in our sources. 2011-12-01
#   would make it a founder, which it was not. The earliest date a source shows it in the
#   group is the core group's publication of October 2015 (SRC_NOSC_2015), so its seat starts
#   2015-10-01: the earliest defensible date, an estimate, said so in its description.
CSOS: tuple[CSO, ...] = (
    CSO(
        "article-19-mx",
        "ARTICLE 19, Oficina para México y Centroamérica",
        "ARTICLE 19",
        STT_ESTABLISHED,
        FOUNDER,
    ),
    CSO(
        "cidac",
        "Centro de Investigación para el Desarrollo, A.C.",
        "CIDAC",
        STT_ESTABLISHED,
        FOUNDER,
    ),
    CSO(
        "contraloria-ciudadana",
        "Contraloría Ciudadana para la Rendición de Cuentas",
        "Contraloría Ciudadana",
        D(2016, 1, 1),
        OPEN_CALL,
    ),
    CSO(
        "cultura-ecologica",
        "Cultura Ecológica, A.C.",
        "Cultura Ecológica",
        STT_ESTABLISHED,
        FOUNDER,
    ),
    CSO(
        "fundar",
        "Fundar, Centro de Análisis e Investigación",
        "Fundar",
        STT_ESTABLISHED,
        FOUNDER + " The first civil-society representative in the STT.",
    ),
    CSO(
        "gesoc",
        "GESOC, Agencia para el Desarrollo",
        "GESOC",
        STT_ESTABLISHED,
        "Gestión Social y Cooperación. " + FOUNDER,
    ),
    CSO("imco", "Instituto Mexicano para la Competitividad", "IMCO", STT_ESTABLISHED, FOUNDER),
    CSO(
        "observatorio-nacional-ciudadano",
        "Observatorio Nacional Ciudadano",
        "",
        D(2016, 1, 1),
        OPEN_CALL,
    ),
    CSO(
        "socialtic",
        "SocialTIC",
        "",
        D(2015, 10, 1),
        "Replaced CitiVox, one of the eight founding organisations of the core group. The date "
        "of the replacement is not in our sources; the core group's own publication of "
        f"October 2015 lists SocialTIC ({SRC_NOSC_2015}), so its STT seat is dated from "
        "2015-10-01 as an estimate.",
    ),
    CSO("transparencia-mexicana", "Transparencia Mexicana", "", STT_ESTABLISHED, FOUNDER),
)

LETTER_SUBJECT = (
    "Civil Society Statement on government surveillance of civil society actors and "
    "withdrawal from the national OGP platform"
)

# The co-chairs' statement (shared/domain/seed-000_7c463a31fa7a7f25.txt), line breaks of the
# copy joined into its three paragraphs; the wording is unchanged.
CO_CHAIRS_STATEMENT = """\
The Open Government Partnership Steering Committee received a letter on Tuesday, May 23rd \
from ten Mexican civil society organizations outlining their reasons for withdrawing from the \
Mexico Tripartite Technical Secretariat that governs the national OGP process in their country. \
These include allegations of surveillance of civil society organizations, which is a worrying \
global trend that undermines civic space and freedom of speech. As co-chairs we are following \
the situation closely, and offer our full support to all concerned parties especially Mexican \
civil society organizations, the Mexican government, and the National Institute of \
Transparency, Access to Information and Protection of Personal Data (INAI). We are united in our \
belief that the same ingredients of open government - meaningful open dialogue, transparency \
and accountability - that have had such tangible results in Mexico and in so many OGP National \
Action Plans around the world, will be equally helpful in reestablishing trust and cooperation \
between government and civil society in Mexico.

As co-chairs, we have benefited greatly from a close working relationship with our colleagues \
from the Mexican government and the Mexican civil society. Together they have been a leading \
force in OGP since it was founded in 2011, including as a lead chair and host of the 2015 OGP \
Global Summit, and as members of the steering committee.

Since its creation, the OGP framework has been based upon the idea that although each country \
situation is unique, with its own history and challenges, working together as an international \
body we can support one another with ideas and experience. Whereas the withdrawal by Mexican \
civil society is clearly a domestic issue, the OGP Steering Committee, which will next meet on \
June 27-28, will discuss this matter in order to reflect on how the Partnership can provide \
support to Mexican parties to continue working on open government reforms that can improve the \
lives of all Mexicans. We will reach out to Mexican government officials as well as civil \
society organizations in advance of the meeting to offer our full support."""

CO_CHAIRS_NOTE = (
    "Note by Tripartite: we hold this text but not its published copy, so its exact date and "
    "signatories are not confirmed. It names no date of its own; it speaks of the letter "
    "received on Tuesday 23 May as past and of the Steering Committee meeting of 27-28 June as "
    "coming, so it was issued between 24 May and 26 June 2017; it is recorded on the earliest "
    "of those days. The co-chairs in May 2017 were the Government of France and Manish Bapna "
    "(World Resources Institute), lead, and the Government of Georgia and Mukelani Dimba "
    "(ODAC), incoming; which of them signed is not known."
)


class _Scenario:
    """Writes the scenario through the services and keeps every record it creates."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.written: list[PublicRecord] = []

    def keep(self, record: R) -> R:
        self.written.append(record)
        return record

    # ------------------------------------------------------------ member, organisations, people

    def member(self) -> Member:
        return self.keep(
            services.create_member(
                self.actor,
                key=MEMBER_KEY,
                name="Mexico",
                kind=MemberKind.COUNTRY,
                iso2="MX",
                region="Americas",
                # One of the eight founders of OGP (cohort 1, September 2011: ogp-process.md §2 and
                # the IRM data guide's cohort 1, SRC_COHORT); the seed statement also says Mexico
                # took part "since it was founded in 2011". Only the month is sourced.
                joined_on=D(2011, 9, 1),
                status=MemberStatus.ACTIVE,
            )
        )

    def organization(
        self,
        key: str,
        name: str,
        sector: str,
        *,
        member: Member | None,
        short_name: str = "",
        description: str = "",
    ) -> Organization:
        return self.keep(
            services.create_organization(
                self.actor,
                key=key,
                name=name,
                sector=sector,
                member=member,
                short_name=short_name,
                description=description,
            )
        )

    # ------------------------------------------------------------ forums and seats

    def seat(
        self, forum: Forum, org: Organization, start_on: dt.date, sector: str | None = None
    ) -> Seat:
        return self.keep(
            services.add_seat(
                self.actor,
                key=f"{forum.key}-{org.key}",
                forum=forum,
                organization=org,
                start_on=start_on,
                sector=sector,
            )
        )


def load_mexico_2017() -> int:
    """Load the Mexico 2017 scenario; return the number of records written.

    It includes Mexico's 2016-2018 action plan (``demo/mexico_plan.py``) and the Steering
    Committee's records of 2016-2019 (``demo/oversight_2017.py``). Idempotent: when
    ``member/mx`` already exists only the plan and the committee's records are loaded, if
    they are missing; otherwise nothing is written and 0 is returned.
    """
    from tripartite.demo import oversight_2017
    from tripartite.demo.mexico_plan import load_mexico_plan_2016

    with transaction.atomic():
        if Member.objects.filter(key=MEMBER_KEY).exists():
            actor = system_actor()
            return load_mexico_plan_2016(actor) + oversight_2017.load_oversight_2017(actor)
        scenario = _Scenario(system_actor())
        _load(scenario)
        return (
            len(scenario.written)
            + load_mexico_plan_2016(scenario.actor)
            + oversight_2017.load_oversight_2017(scenario.actor)
        )


def _load(sc: _Scenario) -> None:
    actor = sc.actor
    mx = sc.member()

    # ------------------------------------------------------------ organisations
    sfp = sc.organization(
        "sfp",
        "Secretaría de la Función Pública",
        Sector.GOVERNMENT,
        member=mx,
        short_name="SFP",
        description=(
            "Ministry of Public Administration; the government's part of the Tripartite "
            f"Technical Secretariat from December 2011. Source: {SRC_FREEDOMINFO}"
        ),
    )
    inai = sc.organization(
        "inai",
        "Instituto Nacional de Transparencia, Acceso a la Información y Protección de Datos "
        "Personales",
        Sector.OVERSIGHT_BODY,
        member=mx,
        short_name="INAI",
        description=(
            "Mexico's access-to-information body, called IFAI when the Tripartite Technical "
            f"Secretariat was created in 2011. Source: {SRC_FREEDOMINFO}"
        ),
    )
    csos: list[tuple[CSO, Organization]] = [
        (
            cso,
            sc.organization(
                cso.key,
                cso.name,
                Sector.CIVIL_SOCIETY,
                member=mx,
                short_name=cso.short_name,
                description=(
                    f"{cso.description} Member of the civil-society core group (NOSC) of Mexico's "
                    f"OGP process; withdrew from the STT on 2017-05-23. Sources: {SRC_NOSC} ; "
                    f"{SRC_CASE}"
                ).strip(),
            ),
        )
        for cso in CSOS
    ]
    nosc = sc.organization(
        "nosc-mx",
        "Núcleo de Organizaciones de la Sociedad Civil",
        Sector.CIVIL_SOCIETY,
        member=mx,
        short_name="NOSC",
        description=(
            "The civil-society core group of Mexico's OGP process. It held the civil-society "
            "part of the Tripartite Technical Secretariat through its member organisations, "
            "with a representative that rotates each year, and in March 2019 set up the Comité "
            "Coordinador with SFP and INAI. Which organisations belonged to it after May 2017 "
            f"is not in our sources. Sources: {SRC_NOSC} ; {SRC_COMITE}"
        ),
    )
    ogp = sc.organization(
        "ogp",
        "Open Government Partnership",
        Sector.MULTILATERAL,
        member=None,
        short_name="OGP",
        description="The international multi-stakeholder initiative Mexico joined in 2011.",
    )
    ogp_sc = sc.organization(
        "ogp-steering-committee",
        "OGP Steering Committee",
        Sector.MULTILATERAL,
        member=None,
        description=(
            "OGP's executive decision-making body, with government and civil-society members "
            "in equal numbers (22 members in 2017). Source: https://www.opengovpartnership.org/news/"
            "azerbaijan-to-maintain-its-inactive-status-in-the-open-government-partnership/"
        ),
    )
    co_chairs = sc.organization(
        "ogp-sc-co-chairs",
        "OGP Steering Committee co-chairs",
        Sector.MULTILATERAL,
        member=None,
        description=(
            "The four co-chairs of the OGP Steering Committee. In May 2017: lead, the "
            "Government of France and Manish Bapna (World Resources Institute); incoming, the "
            "Government of Georgia and Mukelani Dimba (ODAC), lead from 2017-10-01. Source: "
            "https://opengovpartnership.org/news/"
            "republic-of-georgia-to-succeed-france-as-open-government-partnership-chair"
        ),
    )

    # ------------------------------------------------------------ people
    # Named by OGP in October 2017 as the STT's leads (§7.1). They are not set as seat
    # representatives: a seat's representative has no dates, the STT seats run from 2011 and
    # our sources place these two in the STT only in late 2017; the Comité Coordinador of 2019
    # came after a change of administration and our sources do not name them there.
    sc.keep(
        services.create_person(
            actor,
            key="arely-gomez-gonzalez",
            name="Arely Gómez González",
            role_title=(
                "Secretaria de la Función Pública (Minister of Public Administration); named by "
                "OGP "
                "in October 2017 as a lead of the Tripartite Technical Secretariat"
            ),
        )
    )
    sc.keep(
        services.create_person(
            actor,
            key="francisco-acuna-llamas",
            name="Francisco Acuña Llamas",
            role_title=(
                "President Commissioner of INAI; named by OGP in October 2017 as a lead of the "
                "Tripartite Technical Secretariat"
            ),
        )
    )

    # ------------------------------------------------------------ forum 1: the STT
    stt = sc.keep(
        services.create_forum(
            actor,
            key=STT_KEY,
            member=mx,
            name="Tripartite Technical Secretariat",
            original_name="Secretariado Técnico Tripartita",
            language="es",
            established_on=STT_ESTABLISHED,
            # Replaced by the Comité Coordinador in March 2019 (§7.1); the day is not sourced.
            dissolved_on=COMITE_ESTABLISHED,
            # "Each member has equal voice and vote" (§7.1): no part can be outvoted.
            decision_rule=DecisionRule.SECTOR_CONSENSUS,
            description=(
                "Coordinated Mexico's OGP agenda and monitored the action-plan commitments. Three "
                "parts, each with equal voice and vote: the federal government through the "
                "Secretaría de la Función Pública (SFP), the access-to-information body (IFAI, "
                "later INAI) and civil society through its core group (NOSC). Described in 2016 as "
                "the OGP's governing body in Mexico. Its published participation rules are not in "
                "our sources."
            ),
            source_url=SRC_FREEDOMINFO,
        )
    )
    stt_sfp = sc.seat(stt, sfp, STT_ESTABLISHED)
    stt_inai = sc.seat(stt, inai, STT_ESTABLISHED)
    cso_seats = [sc.seat(stt, org, cso.start_on) for cso, org in csos]
    # Every core-group seat has role "member": the yearly representative rotated (Fundar,
    # Transparencia Mexicana, CIDAC, Artículo 19, Cultura Ecológica), but the years of each
    # turn and the representative in 2017 are not in our sources.

    # ------------------------------------------------------------ 2016: launch of the 3rd plan
    launch = sc.keep(
        services.schedule_meeting(
            actor,
            key="mx-stt-2016-04-15",
            forum=stt,
            title="Launch of the work on the 2016-2018 action plan",
            date=D(2016, 4, 15),
            mode=MeetingMode.IN_PERSON,
            place="Secretaría de Relaciones Exteriores (SRE), Mexico City",
            status=MeetingStatus.HELD,
            summary=(
                "The Foreign Ministry hosted the opening of the meeting to define Mexico's third "
                "OGP action plan (2016-2018), the third built under the Tripartite Technical "
                "Secretariat. The Secretary for Public Administration, Virgilio Andrade, and the "
                "Foreign Ministry's Under-Secretary for Multilateral Affairs and Human Rights, "
                "Miguel Ruiz Cabañas, led the opening; representatives of autonomous bodies and "
                "civil-society organisations took part. Only SFP's attendance is recorded, because "
                "the source names no other participant. No minutes are published: none are in our "
                "sources."
            ),
            source_url=SRC_MEXIDATA_2016,
            agenda=[
                {
                    "title": "Opening of the work on the 2016-2018 action plan",
                    "description": "Led by SFP and the Foreign Ministry (SRE).",
                },
                {
                    "title": "A high-level commitment of the three branches of government, the "
                    "autonomous bodies and civil society",
                    "description": "The stated purpose of the meeting.",
                },
                {
                    "title": "Aligning the plan's commitments with the 2030 Sustainable "
                    "Development "
                    "Goals",
                    "description": (
                        "Themes: human rights and strengthening the rule of law; gender equality; "
                        "the National Anti-corruption System; governance of natural resources and "
                        "climate change; poverty and inequality; public services."
                    ),
                },
            ],
        )
    )
    services.record_attendance(actor, launch, attendance={stt_sfp: Attendance.PRESENT})

    # ------------------------------------------------------------ 2017: the withdrawal
    letter: Letter = sc.keep(
        services.register_letter(
            actor,
            key=LETTER_KEY,
            reference="MX-NOSC-2017-05-23",
            direction=LetterDirection.OPEN,
            letter_type=LetterType.WITHDRAWAL,
            subject=LETTER_SUBJECT,
            signatories=[org for _cso, org in csos],
            member=mx,
            forum=stt,
            addressees="OGP Steering Committee; published as an open statement",
            sent_on=WITHDRAWN_ON,
            # The co-chairs' statement: the Steering Committee "received a letter on Tuesday, May
            # 23rd from ten Mexican civil society organizations".
            received_on=WITHDRAWN_ON,
            status=LetterStatus.RECEIVED,
            # Our summary is in English, as is the title under which OGP lists the letter; a
            # Spanish original is not in our sources.
            language="en",
            body=(
                "Summary by Tripartite (not the letter's text). The ten organisations of the "
                "civil-society core group announced that they were leaving the Tripartite "
                "Technical "
                "Secretariat, the body that runs Mexico's OGP process. As the press reported their "
                "reasons: in Mexico there were no conditions for civil society to take part freely "
                "and safely (the press linked this to reports that people working with "
                "institutions "
                "involved in the action plan's obesity commitment had been targeted with spyware); "
                "SFP and INAI had "
                "given no concrete answer for more than three months; and government agencies had "
                "tried to cut back or change agreed commitments and lines of action on their own. "
                f"Press sources: {SRC_SIEMPRE} ; "
                "http://lasillarota.com/nacion/ong-se-retiran-de-alianza-para-el-gobierno-abierto/"
                "152351"
            ),
            source_url=SRC_LETTERS,
        )
    )
    sc.keep(
        services.record_collective_withdrawal(
            actor,
            key=WITHDRAWAL_KEY,
            forum=stt,
            seats=cso_seats,
            withdrawn_on=WITHDRAWN_ON,
            title="The civil-society core group leaves the Tripartite Technical Secretariat",
            letter=letter,
            summary=(
                "All ten organisations of the civil-society core group (NOSC) left the STT "
                "together, "
                "citing government surveillance of civil-society actors, unanswered requests to "
                "SFP "
                "and INAI and unilateral changes to agreed commitments. The IRM's mid-term report "
                "found that the government went on implementing the action plan with other "
                "civil-society organisations."
            ),
        )
    )

    # ------------------------------------------------------------ 2019: the STT is replaced
    # SFP and INAI held their STT seats until the STT was replaced. Known issue (reported):
    # the forum page computes "composition when dissolved" on the dissolution day, and a seat
    # is not counted on its end day, so these two seats do not show there.
    for seat in (stt_sfp, stt_inai):
        services.end_seat(
            actor, seat, end_on=COMITE_ESTABLISHED, end_reason=SeatEndReason.FORUM_DISSOLVED
        )

    comite = sc.keep(
        services.create_forum(
            actor,
            key=COMITE_KEY,
            member=mx,
            name="Comité Coordinador",
            original_name="Comité Coordinador",
            language="es",
            established_on=COMITE_ESTABLISHED,
            predecessor=stt,
            # The decision rule is not in our sources; the model's default is kept (see the
            # description and docs/subsystems/demo.md).
            decision_rule=DecisionRule.SECTOR_CONSENSUS,
            description=(
                "Set up in March 2019 by SFP, INAI and the civil-society core group (NOSC) to "
                "resume "
                "Mexico's OGP process, replacing the Tripartite Technical Secretariat; INAI's "
                "English "
                "pages call it the Steering Committee. It co-created the fourth action plan "
                "(2019-2021, 13 commitments). Its decision rule and participation rules are not in "
                "our sources."
            ),
            source_url=SRC_COMITE,
        )
    )
    sc.seat(comite, sfp, COMITE_ESTABLISHED)
    sc.seat(comite, inai, COMITE_ESTABLISHED)
    # The source names the core group as a party, not which organisations returned, so the
    # civil-society seat is the core group's own.
    sc.seat(comite, nosc, COMITE_ESTABLISHED)

    # ------------------------------------------------------------ statements of 2017
    sc.keep(
        services.publish_statement(
            actor,
            key="ogp-2017-05-24-mexico",
            title="Open Government Partnership statement on domestic OGP developments in Mexico",
            issued_on=D(2017, 5, 24),
            issued_by=[ogp],
            member=mx,
            forum=stt,
            language="en",
            text=(
                "Summary by Tripartite (not the statement's text). The day after the ten "
                "organisations left the Tripartite Technical Secretariat, OGP said that their "
                "decision challenges everyone in the Partnership and offered Mexican stakeholders "
                "its resources, energy and solidarity. OGP then counted 75 participating countries."
            ),
            source_url=SRC_OGP_STATEMENT,
        )
    )
    sc.keep(
        services.publish_statement(
            actor,
            key="ogp-co-chairs-2017-05-mexico",
            title="Statement of the OGP co-chairs on the withdrawal of Mexican civil society",
            # Issued between 2017-05-24 and 2017-06-26 (see CO_CHAIRS_NOTE): the earliest day the
            # wording allows is recorded rather than a guessed later one.
            issued_on=D(2017, 5, 24),
            issued_by=[co_chairs],
            issuer_label=(
                "OGP Steering Committee co-chairs (May 2017: France and Manish Bapna, lead; "
                "Georgia "
                "and Mukelani Dimba, incoming; which of them signed is not known)"
            ),
            member=mx,
            forum=stt,
            language="en",
            text=f"{CO_CHAIRS_STATEMENT}\n\n{CO_CHAIRS_NOTE}",
            # The published copy was not retrieved, so there is no source URL.
        )
    )
    sc.keep(
        services.publish_statement(
            actor,
            key="ogp-sc-2017-06-mexico-envoys",
            title="OGP Steering Committee: support for Mexican stakeholders and two envoys",
            # The outcome of the meeting of 27-28 June 2017; the day is not in our source, so the
            # meeting's last day is recorded.
            issued_on=D(2017, 6, 28),
            issued_by=[ogp_sc],
            member=mx,
            forum=stt,
            language="en",
            text=(
                "Summary by Tripartite of the outcome as OGP reported it in October 2017. At its "
                "working-level meeting of 27-28 June 2017 in Washington DC, the Steering Committee "
                "expressed its support for all Mexican stakeholders and resolved to appoint two "
                "representatives, one from government and one from civil society, as OGP envoys: "
                "to meet government and civil society for an update, report back to the full "
                "Steering Committee, explore what support the Steering Committee and the OGP "
                "community could offer, and explore how to take forward Mexico's representation on "
                "the Steering Committee. The envoys, José Manuel Ruiz (Council for Transparency, "
                "Chile) and María Baron (Directorio Legislativo), with Support Unit staff Alonso "
                "Cerdán and Jaime Mercado, visited Mexico City on 19-20 October 2017 for "
                "information "
                "gathering only. The day of the resolution within the meeting is not in our "
                "source; it is dated to the meeting's last day."
            ),
            source_url=SRC_OCT_2017_VISIT,
        )
    )
