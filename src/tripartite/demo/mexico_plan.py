"""Mexico's third national action plan (2016-2018): its eleven commitments, the axes they
fall under, each side's view of their progress, and how the withdrawal of the civil-society
core group on 23 May 2017 ended the core group's follow-up of them.

It extends the Mexico 2017 scenario (``demo/mexico.py``): the member, the Tripartite
Technical Secretariat (STT) and the core group (NOSC) are that scenario's records, looked up
by key. Everything is written through ``tripartite.plans.services`` in one transaction.

Facts come from ``shared/domain/ogp-process.md`` §7.3-§7.4 (with §2 for the calendar of
2015), each with its source; texts are our own summaries. What the sources do not give is
said where it would otherwise be missing: titles that are not in our sources, axes matched
by subject, and dates that are approximations. Two OGP commitment pages (MX0072, MX0073)
are used beyond the domain file; they are listed in ``EXTRA_SOURCES``. See
``docs/subsystems/demo.md`` for every fact, its source and what was left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tripartite.core.models import PublicRecord
from tripartite.demo.mexico import (
    LETTER_KEY,
    MEMBER_KEY,
    SRC_LETTERS,
    SRC_MEXIDATA_2016,
    STT_KEY,
    WITHDRAWAL_KEY,
    WITHDRAWN_ON,
)
from tripartite.forums.models import Forum, Member, Organization
from tripartite.plans import services
from tripartite.plans.choices import Completion, Methodology, Party, PlanState, ReportType
from tripartite.plans.models import ActionPlan, Commitment

D = dt.date

PLAN_KEY = "mx-2016-2018"
IRM_REPORT_KEY = "mx-2016-2018-mid-term"
NOSC_KEY = "nosc-mx"
OBESITY_KEY = "MX0072"

# ---------------------------------------------------------------- sources (ogp-process.md)

# §7.4: 11 commitments, ids MX0064-MX0074 and the titles of MX0064-MX0069 (our stored copy of
# this page lists them in that order, with OGP's policy area for each).
SRC_MEMBER_PAGE = "https://www.opengovpartnership.org/members/Mexico/"
# §7.4: the government's dashboard for the plan, "11 Compromisos, 8 Completados".
SRC_DASHBOARD = "http://aga.funcionpublica.gob.mx/aga/Home/Index"
# §7.4: the IRM progress report 2016-2018 (researcher Gabriela Nava Campos) and its 7 axes.
SRC_IRM_PROGRESS = (
    "https://fdocuments.es/document/"
    "mecanismo-de-revisin-independiente-mri-informe-de-noviembre-de-2012-se.html"
)
# §3.1 and §7.4: OGP's page for the mid-term report (themes innovative, completion limited,
# not contrary to process, implementation went on with other civil-society organisations).
SRC_MID_TERM = (
    "https://www.opengovpartnership.org/documents/mexico-mid-term-report-2016-2018-year-1/"
)
# §7.3: Citizen Lab's "Bitter Sweet" report, as the Munk School announced it.
SRC_BITTER_SWEET = (
    "https://munkschool.utoronto.ca/feature/"
    "citizen-lab-report-reveals-espionage-campaign-targeting-mexican-soda-tax-advocates/"
)
# §7.3: two of the three targets worked with institutions collaborating on the obesity
# commitment (press report; OGP's media round-up says the same).
SRC_LASILLAROTA = (
    "http://lasillarota.com/nacion/ong-se-retiran-de-alianza-para-el-gobierno-abierto/152351"
)
SRC_OGP_ROUNDUP = "http://eepurl.com/cQpoKT"
# §2: the calendar of 2015 (two-year plans delivered by 30 June, even- and odd-year groups).
SRC_CALENDAR_2015 = "https://www.opengovpartnership.org/stories/a-new-ogp-calendar-what-countries-need-to-do-and-when/"

# Not in ogp-process.md: OGP's own pages for two commitments of the plan. They give the ids
# of the obesity commitment (MX0072, "Eje 5: Obesidad en niños y adolescentes") and of the
# National Anti-corruption System commitment (MX0073), which the domain file does not.
SRC_MX0072 = "https://opengovpartnership.org/members/mexico/commitments/MX0072"
SRC_MX0073 = "https://www.opengovpartnership.org/members/mexico/commitments/MX0073/"
EXTRA_SOURCES: tuple[str, ...] = (SRC_MX0072, SRC_MX0073)

# ---------------------------------------------------------------- dates

# Sourced: work on the plan opened at the Foreign Ministry (SRE) on 15 April 2016 (§7.4).
WORK_OPENED = D(2016, 4, 15)
# Approximations. Our sources give the plan's period only as "2016-2018". Under the calendar
# of 2015 (§2) a two-year plan of the even-year group was delivered by 30 June, so the plan
# is recorded as delivered on that due date and running for two years from 1 July 2016.
DELIVERED_ON = D(2016, 6, 30)
PLAN_START = D(2016, 7, 1)
PLAN_END = D(2018, 6, 30)

# ---------------------------------------------------------------- the seven axes (§7.4)

HUMAN_RIGHTS = "Human rights and strengthening the rule of law"
GENDER = "Gender equality"
POVERTY = "Poverty and inequality"
WATER = "Access to drinking water"
OBESITY = "Obesity in children and adolescents"
ANTI_CORRUPTION = "National Anti-corruption System"
CLIMATE = "Climate-change adaptation"
AXES: tuple[str, ...] = (HUMAN_RIGHTS, GENDER, POVERTY, WATER, OBESITY, ANTI_CORRUPTION, CLIMATE)

BY_SUBJECT = "Its axis is matched by its subject; our sources do not state it."
NOT_SOURCED = "Its lead institution, milestones and dates are not in our sources."
UNKNOWN_TITLE_IDS = ("MX0070", "MX0071", "MX0074")


@dataclass(frozen=True)
class CommitmentFact:
    key: str
    title: str
    short_title: str
    themes: tuple[str, ...]
    description: str
    source_url: str


def _unknown(key: str) -> CommitmentFact:
    return CommitmentFact(
        key=key,
        title=f"Commitment {key} (official title not in our sources)",
        short_title="",
        themes=(),
        description=(
            f"One of the eleven commitments of the plan (OGP ids MX0064 to MX0074). The title of "
            f"{key}, its axis, lead institution, milestones and dates are not in our sources: "
            "the copy of OGP's member page we hold lists only the first six. No commitment "
            "of the plan is matched in our sources to the axis of climate-change adaptation; "
            "it is one or more of MX0065, MX0070, MX0071 and MX0074."
        ),
        source_url=SRC_MEMBER_PAGE,
    )


DISAPPEARANCES_TITLE = (
    "Enforced disappearances: design a course of action for national public policy with "
    "civil society and victims, and start carrying it out"
)

COMMITMENTS: tuple[CommitmentFact, ...] = (
    CommitmentFact(
        "MX0064",
        DISAPPEARANCES_TITLE,
        "Enforced disappearances",
        (HUMAN_RIGHTS,),
        "Our summary of the title OGP's member page gives this commitment, filed there under "
        f"civic space. {BY_SUBJECT} {NOT_SOURCED}",
        SRC_MEMBER_PAGE,
    ),
    CommitmentFact(
        "MX0065",
        "Create a public monitoring mechanism",
        "Public monitoring mechanism",
        (),
        "OGP's member page gives it this title and files it under e-government. What it "
        f"was to monitor and its axis are not in our sources. {NOT_SOURCED}",
        SRC_MEMBER_PAGE,
    ),
    CommitmentFact(
        "MX0066",
        DISAPPEARANCES_TITLE,
        "Enforced disappearances (MX0066)",
        (HUMAN_RIGHTS,),
        "OGP's member page lists MX0066 under the same title as MX0064, the policy on "
        "enforced disappearances, but files it under e-government rather than civic space. "
        f"How the two commitments differ is not in our sources. {BY_SUBJECT} {NOT_SOURCED}",
        SRC_MEMBER_PAGE,
    ),
    CommitmentFact(
        "MX0067",
        "A National Care System, created with the active participation of citizens, that "
        "shares care work among families, communities, the market and the state, towards "
        "substantive equality between women and men",
        "National Care System",
        (GENDER,),
        "Our summary of the title OGP's member page gives this commitment, filed there under "
        "capacity building; it names joint policies, infrastructure and services for care as "
        "the means. Its stated aim, substantive equality between women and men, places it "
        "under the gender-equality axis; our sources do not state the axis. " + NOT_SOURCED,
        SRC_MEMBER_PAGE,
    ),
    CommitmentFact(
        "MX0068",
        "A single registry, open to the public, of the potential and target populations of "
        "social development programmes, as CONEVAL defines them",
        "Single registry of social programme beneficiaries",
        (POVERTY,),
        "Our summary of the title OGP's member page gives this commitment, filed there under "
        "capacity building; the registry serves the principles of social development policy "
        f"set out in article 3 of the General Law of Social Development. {BY_SUBJECT} "
        + NOT_SOURCED,
        SRC_MEMBER_PAGE,
    ),
    CommitmentFact(
        "MX0069",
        "Measure water consumption and discharges, in volume and quality; promote reuse and "
        "zero discharge by large users and monitor their treatment; publish the information "
        "so that citizens can take part in monitoring",
        "Water metering and discharges",
        (WATER,),
        "Our summary of the title OGP's member page gives this commitment, filed there under "
        f"capacity building. {BY_SUBJECT} {NOT_SOURCED}",
        SRC_MEMBER_PAGE,
    ),
    _unknown("MX0070"),
    _unknown("MX0071"),
    CommitmentFact(
        OBESITY_KEY,
        "Obesity in children and adolescents: health promotion that recognises obesity as a "
        "disease, with the public and every level of government, and transparency and "
        "accountability against conflicts of interest throughout the policy cycle",
        "Obesity in children and adolescents",
        (OBESITY,),
        "Our summary of the title on OGP's page for MX0072, which files it under the plan's "
        "fifth axis, obesity in children and adolescents, and names as lead institutions the "
        "Ministry of Health's directorate-general for health promotion and the operations "
        "commissioner of the federal commission for protection against health risks "
        "(COFEPRIS). That page is our source for the id; it is not in the domain file.\n\n"
        "Context. On 11 February 2017 Citizen Lab, with R3D and SocialTIC, published "
        '"Bitter Sweet": three supporters of Mexico\'s tax on sugary drinks, from the Instituto '
        "Nacional de Salud Pública, El Poder del Consumidor and the ContraPESO coalition, had "
        "received text messages in July and August 2016 with links that would have installed "
        "NSO Group's Pegasus spyware. The report's attribution was circumstantial. Two of the "
        "three worked with institutions collaborating on this commitment. Surveillance of "
        "civil society was among the reasons the ten organisations of the core group gave "
        f"when they left the Tripartite Technical Secretariat on 23 May 2017 (letter/{LETTER_KEY}; "
        f"withdrawal/{WITHDRAWAL_KEY}). Sources: {SRC_BITTER_SWEET} ; {SRC_LASILLAROTA} ; "
        f"{SRC_OGP_ROUNDUP}",
        SRC_MX0072,
    ),
    CommitmentFact(
        "MX0073",
        "Citizen participation in the appointments that the National Anti-corruption System "
        "provides for",
        "National Anti-corruption System appointments",
        (ANTI_CORRUPTION,),
        "Our summary of the title on OGP's page for MX0073 (our source for the id; it is not "
        "in the domain file). The page frames it by the creation of the National "
        "Anti-corruption System through the constitutional reform of 27 May 2015 and by the "
        "weakness of existing mechanisms for citizen participation. "
        f"{BY_SUBJECT} {NOT_SOURCED}",
        SRC_MX0073,
    ),
    _unknown("MX0074"),
)

# The one milestone our sources describe: an action on OGP's page for MX0072.
OBESITY_MILESTONE = (
    "Revise the official Mexican standards NOM-051-SCFI/SSA1-2010 and NOM-086-SSA1-1994 on "
    "front-of-package labelling, on the available scientific evidence, through a plural "
    "consultation of experts who declare their interests"
)

PLAN_DESCRIPTION = f"""\
Mexico's third action plan in OGP and the third drawn up under the Tripartite Technical \
Secretariat (forum/{STT_KEY}). Work on it opened at the Foreign Ministry on 15 April 2016 \
(meeting/mx-stt-2016-04-15), with the aim of aligning its commitments with the 2030 \
Sustainable Development Goals. It holds eleven commitments, OGP ids MX0064 to MX0074.

The IRM's progress report groups them under seven axes: human rights and strengthening the \
rule of law; gender equality; poverty and inequality; access to drinking water; obesity in \
children and adolescents; the National Anti-corruption System; climate-change adaptation. \
(The launch of April 2016 had named six themes, among them natural resources and climate \
change, and public services.) Only OGP's page for MX0072 names a commitment's axis; MX0064, \
MX0066 to MX0069 and MX0073 are matched to an axis by their subject, and the axes of MX0065, \
MX0070, MX0071 and MX0074 are not in our sources, so no commitment is matched to \
climate-change adaptation.

Each side's view of progress. The government's dashboard for the plan counted 11 commitments, \
8 of them completed; our sources neither date that count nor say which eight. The IRM's \
mid-term report found the themes innovative but completion limited, and found that Mexico \
had not acted contrary to OGP process. When the ten organisations of the civil-society core \
group left the Secretariat on 23 May 2017, their follow-up of the commitments through it \
ended; the IRM found that the government went on implementing the plan with other \
civil-society organisations.

Dates. The plan's period (1 July 2016 to 30 June 2018) and its delivery on 30 June 2016 are \
approximations: our sources give only "2016-2018", and these are the dates of the OGP \
calendar of 2015 for two-year plans of even years. The first two plans (2011-2013, 36 \
commitments; 2013-2015, 26 commitments) are not recorded here.

Sources: {SRC_MEMBER_PAGE} ; {SRC_MEXIDATA_2016} ; {SRC_IRM_PROGRESS} ; {SRC_DASHBOARD} ; \
{SRC_MID_TERM} ; {SRC_CALENDAR_2015}"""

IRM_SUMMARY = f"""\
Summary by Tripartite. The IRM's progress report on the 2016-2018 plan, researched by \
Gabriela Nava Campos, groups the eleven commitments under seven axes. It judged the themes \
innovative but found that completion was limited, and found that Mexico had not acted \
contrary to OGP process. After the core group left the Tripartite Technical Secretariat in \
May 2017, it notes, the government kept implementing the plan together with other \
civil-society organisations. The government's own dashboard, by contrast, counted 8 of the \
11 commitments as completed. The report's coding of each commitment and the day it was \
published are not in our sources, so no assessment of a single commitment is recorded. \
A copy of the report: {SRC_IRM_PROGRESS}"""


def _tracking_ended(fact: CommitmentFact) -> str:
    text = (
        "Summary by Tripartite of what the core group's statement of 23 May 2017 means for "
        "this commitment; not a report the core group published. On that day the ten "
        "organisations of the civil-society core group left the Tripartite Technical "
        f"Secretariat, the body that monitored the plan's commitments (letter/{LETTER_KEY}), "
        "so their follow-up of this commitment through it ended. No level of completion is "
        "given: our sources hold no assessment of this commitment by the core group, before "
        "or after. The IRM's mid-term report found that the government went on implementing "
        "the plan with other civil-society organisations."
    )
    if fact.key == OBESITY_KEY:
        text += (
            " For this commitment the surveillance the organisations cited was close at hand: "
            "two of the three supporters of the soda tax targeted in Citizen Lab's \"Bitter "
            'Sweet" report worked with institutions collaborating on it.'
        )
    return text


def _evidence(fact: CommitmentFact) -> list[dict[str, str]]:
    evidence = [
        {
            "label": "Civil-society statement of 23 May 2017 (OGP Letters and Responses)",
            "url": SRC_LETTERS,
        },
        {"label": "IRM mid-term report 2016-2018", "url": SRC_MID_TERM},
    ]
    if fact.key == OBESITY_KEY:
        evidence += [
            {"label": 'Citizen Lab, "Bitter Sweet" (February 2017)', "url": SRC_BITTER_SWEET},
            {"label": "La Silla Rota on the withdrawal (May 2017)", "url": SRC_LASILLAROTA},
        ]
    return evidence


def load_mexico_plan_2016(actor: Any) -> int:
    """Load Mexico's 2016-2018 plan onto the Mexico 2017 scenario; return the records written.

    Idempotent: when ``plan/mx-2016-2018`` exists nothing is written and 0 is returned. The
    member, forum and core group of ``load_mexico_2017()`` must exist.
    """
    with transaction.atomic():
        if ActionPlan.objects.filter(key=PLAN_KEY).exists():
            return 0
        try:
            member = Member.objects.get(key=MEMBER_KEY)
            stt = Forum.objects.get(key=STT_KEY)
            nosc = Organization.objects.get(key=NOSC_KEY)
        except (Member.DoesNotExist, Forum.DoesNotExist, Organization.DoesNotExist) as error:
            raise LookupError(
                _("Load the Mexico 2017 scenario before Mexico's 2016-2018 action plan.")
            ) from error
        written: list[PublicRecord] = []
        _load(actor, member, stt, nosc, written)
        return len(written)


def _load(
    actor: Any, member: Member, stt: Forum, nosc: Organization, written: list[PublicRecord]
) -> None:
    plan = services.create_plan(
        actor,
        key=PLAN_KEY,
        member=member,
        number=3,
        title="Third national action plan, 2016-2018",
        # As OGP's commitment pages name the plan ("Mexico Plan de Acción 2016-2018").
        original_title="Plan de Acción 2016-2018",
        language="es",
        start_on=PLAN_START,
        end_on=PLAN_END,
        forum=stt,
        co_creation_opens_on=WORK_OPENED,
        description=PLAN_DESCRIPTION,
        source_url=SRC_MEMBER_PAGE,
    )
    written.append(plan)
    services.transition_plan(
        actor,
        plan,
        to=PlanState.CO_CREATION,
        on=WORK_OPENED,
        note=(
            "Work on the plan opened at the Foreign Ministry (SRE) on 15 April 2016 "
            f"(meeting/mx-stt-2016-04-15). Source: {SRC_MEXIDATA_2016}"
        ),
    )

    commitments: list[Commitment] = []
    for number, fact in enumerate(COMMITMENTS, start=1):
        commitment = services.add_commitment(
            actor,
            key=fact.key,
            plan=plan,
            number=number,
            title=fact.title,
            short_title=fact.short_title,
            themes=list(fact.themes),
            description=fact.description,
            source_url=fact.source_url,
        )
        written.append(commitment)
        commitments.append(commitment)
    obesity = next(c for c in commitments if c.key == OBESITY_KEY)
    written.append(
        services.add_milestone(
            actor,
            commitment=obesity,
            deliverable=OBESITY_MILESTONE,
            # Our sources say nothing of its progress.
            status=Completion.NO_EVIDENCE,
            evidence=[{"label": "OGP commitment page MX0072", "url": SRC_MX0072}],
        )
    )

    services.transition_plan(
        actor,
        plan,
        to=PlanState.DELIVERED,
        on=DELIVERED_ON,
        note=(
            "The day of delivery is not in our sources. It is recorded on the day the OGP "
            "calendar of 2015 made the plan due. The IRM's mid-term report found that Mexico "
            "did not act contrary to OGP process, which under the rules then in force excludes "
            f"a delivery more than four months late. Sources: {SRC_CALENDAR_2015} ; "
            f"{SRC_MID_TERM}"
        ),
    )
    services.transition_plan(
        actor,
        plan,
        to=PlanState.IMPLEMENTING,
        on=PLAN_START,
        note=(
            "Start of the two-year period under the OGP calendar of 2015; our sources give "
            "the period only as 2016-2018."
        ),
    )

    # 23 May 2017: the core group leaves the STT; its follow-up of every commitment ends.
    for fact, commitment in zip(COMMITMENTS, commitments, strict=True):
        written.append(
            services.report_progress(
                actor,
                commitment=commitment,
                party=Party.CIVIL_SOCIETY,
                author=nosc,
                reported_on=WITHDRAWN_ON,
                completion=Completion.NO_EVIDENCE,
                text=_tracking_ended(fact),
                evidence=_evidence(fact),
            )
        )

    written.append(
        services.publish_irm_report(
            actor,
            key=IRM_REPORT_KEY,
            plan=plan,
            report_type=ReportType.PROGRESS_REPORT,
            methodology=Methodology.PRE_2020,
            title="Mexico Mid-Term Report 2016-2018 (Year 1)",
            researcher="Gabriela Nava Campos",
            # The day of publication is not in our sources.
            published_on=None,
            acted_contrary_to_process=False,
            summary=IRM_SUMMARY,
            source_url=SRC_MID_TERM,
        )
    )

    services.transition_plan(
        actor,
        plan,
        to=PlanState.ENDED,
        on=PLAN_END,
        note=(
            "End of the two-year period under the OGP calendar of 2015, an approximation: our "
            "sources give the period only as 2016-2018. The IRM's end-of-term report is not "
            "in our sources, so the plan's results are not recorded as assessed."
        ),
    )
