"""Shared set-up of the browser tests: Chromium, axe-core and one realistic data set.

The browser is Debian's Chromium (``CHROMIUM`` or /usr/bin/chromium), driven by the
Playwright wheel's own driver; ``playwright install`` is never needed. axe-core comes
from npm (``npm ci`` installs the version pinned in package-lock.json).

The data set is built once per test module through the factories and the forum services
and copied back into the database before each test (see ``scenario``), because
``live_server`` runs every test against a committed, then flushed, database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

D = dt.date


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, quiet: no background, component-update or sync traffic."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# ---------------------------------------------------------------- axe-core


def run_axe(page: Page) -> list[str]:
    """Run axe-core (WCAG 2.1 A/AA + best practices) on the page; readable violations.

    The page's context must be opened with ``bypass_csp=True``: the site's CSP
    (``script-src 'self'``) rightly refuses the injected script otherwise.
    """
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci --no-audit --no-fund` in {ROOT}")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    if not result["violations"] and not result["passes"]:
        pytest.fail("axe-core checked nothing on this page: is the rule selection right?")
    return [_describe(violation) for violation in result["violations"]]


def _describe(violation: dict[str, Any]) -> str:
    """``id: help (n nodes) — first node's HTML [why it fails]``."""
    nodes = violation["nodes"]
    text = f"{violation['id']}: {violation['help']} ({len(nodes)} nodes)"
    if nodes:
        summary = " ".join(nodes[0].get("failureSummary", "").split())
        text += f" — {nodes[0]['html']} [{summary}]"
    return text


# ---------------------------------------------------------------- requests and console


@dataclass
class Traffic:
    """Every request a page made and every console error or uncaught exception."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def elsewhere(self, base_url: str) -> list[str]:
        """Requested URLs on any host but ``base_url``'s (data: and about: URLs are local)."""
        own = urlsplit(base_url).netloc
        return sorted(
            {
                url
                for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about")
                and urlsplit(url).netloc != own
            }
        )


def watch_page(page: Page) -> Traffic:
    """Record the page's requests, console errors and uncaught exceptions from now on."""
    traffic = Traffic()

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if message.type == "error":
            traffic.errors.append(f"console error at {where}: {message.text}")

    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: traffic.errors.append(f"uncaught exception: {error}"))
    return traffic


Axe = Callable[[Page], list[str]]
Watch = Callable[[Page], Traffic]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Sign-in rate limits and used TOTP codes live in the cache (shared with the live
    server's thread): each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def axe() -> Axe:
    """``axe(page)`` → the page's axe-core violations as readable strings."""
    return run_axe


@pytest.fixture
def watch() -> Watch:
    """``watch(page)`` → a ``Traffic`` that fills up as the page loads and runs."""
    return watch_page


# ---------------------------------------------------------------- the data set


@dataclass
class Scenario:
    """Public URLs of the records the data set holds, by page type."""

    urls: dict[str, str]
    member_name: str
    forum_name: str
    letter_subject: str
    signatories: list[str]
    withdrawal_title: str


def build_scenario() -> Scenario:
    """A forum of government, oversight body and civil society, one year of its record.

    Everything is written through the factories and the services, as real data would be.
    """
    from tripartite.core.actors import system_actor
    from tripartite.forums import services
    from tripartite.forums.tests import factories as f

    actor = system_actor()
    mx = services.create_member(
        actor,
        key="mx",
        name="Mexico",
        kind="country",
        iso2="MX",
        region="Americas",
        joined_on=D(2011, 9, 20),
    )
    forum = f.forum(
        mx,
        key="mx-tts",
        name="Tripartite Technical Secretariat",
        original_name="Secretariado Técnico Tripartito",
        language="es",
        established_on=D(2011, 9, 1),
        description="The forum where government, the information institute and "
        "civil society co-create the national action plan.",
    )
    director = services.create_person(
        actor, key="ana-ruiz", name="Ana Ruiz", role_title="Director of Open Government"
    )
    gov = f.seat(
        forum,
        f.organization(
            "mx-ministry", "government", "Ministry of Public Administration", short_name="MPA"
        ),
        start_on=D(2011, 9, 1),
        representative=director,
        role="representative",
    )
    ovs = f.seat(
        forum,
        f.organization(
            "mx-institute", "oversight_body", "National Transparency Institute", short_name="NTI"
        ),
        start_on=D(2011, 9, 1),
    )
    cso_names = ["Article Nineteen", "Budget Watch", "Citizen Data Lab"]
    csos = [
        f.seat(forum, f.organization(f"mx-cso-{i}", "civil_society", name), start_on=D(2011, 9, 1))
        for i, name in enumerate(cso_names)
    ]

    meeting = f.meeting(
        forum,
        key="mx-tts-2016-04",
        day=D(2016, 4, 15),
        title="Plenary session on the third action plan",
        place="Mexico City",
        summary="Progress of the third action plan.",
        agenda=[
            {"title": "Opening", "description": "Welcome by the chair."},
            "Progress of the action plan",
            "Any other business",
        ],
    )
    services.record_attendance(
        actor,
        meeting,
        attendance={
            gov: "present",
            ovs: "present",
            csos[0]: "present",
            csos[1]: "excused",
            csos[2]: "absent",
        },
    )
    minutes = services.publish_minutes(
        actor,
        meeting,
        published_on=D(2016, 4, 20),
        text="The forum reviewed the commitments.\nCivil society asked for an independent review.",
    )
    services.sign_off_minutes(
        actor, minutes, seat=gov, position="approve", signed_on=D(2016, 4, 21)
    )
    services.sign_off_minutes(
        actor,
        minutes,
        seat=csos[0],
        position="dissent",
        signed_on=D(2016, 4, 22),
        statement="The minutes omit our request for an independent "
        "review of the surveillance reports.",
    )
    decision = services.record_decision(
        actor,
        key="mx-tts-2016-review",
        forum=forum,
        meeting=meeting,
        title="Independent review of the commitments",
        decided_on=D(2016, 4, 15),
        motion_text="The forum commissions an independent review of the third plan.",
        positions={
            gov: "against",
            ovs: "abstain",
            csos[0]: ("for", "Without a review the plan cannot be trusted."),
            csos[1]: "for",
            csos[2]: "absent",
        },
    )

    letter = f.letter(
        "mx-2017-0012",
        reference="MX-2017-0012",
        member=mx,
        forum=forum,
        subject="Civil society leaves the Tripartite Technical Secretariat",
        signatories=tuple(seat.organization for seat in csos),
        addressees="OGP Steering Committee",
        status="awaiting_response",
        body="We withdraw from the forum.\nThe surveillance of our members "
        "makes dialogue impossible.",
        meetings=[meeting],
        decisions=[decision],
    )
    f.letter(
        "mx-2017-0015",
        reference="MX-2017-0015",
        member=mx,
        forum=forum,
        direction="inbound",
        letter_type="response",
        response_to=letter,
        sent_on=None,
        received_on=D(2017, 6, 2),
        status="no_response_needed",
        subject="The co-chairs answer the civil-society letter",
    )
    f.letter(
        "mx-2016-0003",
        reference="MX-2016-0003",
        member=mx,
        direction="inbound",
        letter_type="request",
        sent_on=None,
        received_on=D(2016, 2, 1),
        subject="Request for the forum's participation rules",
    )
    withdrawal = services.record_collective_withdrawal(
        actor,
        key="mx-tts-2017-withdrawal",
        forum=forum,
        seats=csos,
        withdrawn_on=D(2017, 5, 23),
        title="Civil society withdraws",
        letter=letter,
        summary="All civil-society organisations left the forum together.",
    )
    statement = services.publish_statement(
        actor,
        key="ogp-cochairs-2017-06",
        title="Co-chairs' statement on Mexico",
        issued_on=D(2017, 6, 2),
        issuer_label="OGP co-chairs",
        member=mx,
        forum=forum,
        text="The co-chairs take note of the withdrawal and will ask the Steering "
        "Committee to consider it.",
    )
    services.update_record(
        actor,
        forum,
        reason="The description was completed.",
        changes={"description": forum.description + "\nIts rules were never published."},
    )
    # An action plan of another member, with every kind of plan record (plans/tests).
    from tripartite.plans.tests.factories import plan_world

    plans = plan_world()

    # The Steering Committee's record about Mexico (oversight/tests/factories).
    oversight = build_oversight(mx)

    # The confidential channel: a recipient key and one sealed submission (confidential/).
    confidential = build_confidential()

    # The repository: minutes of the meeting as a PDF, redacted once (documents/tests).
    documents = build_documents(meeting)

    # A follower of the forum, for the one-click unsubscribe page (notifications/tests).
    notifications = build_notifications(forum)

    # A Spanish translation of the withdrawal letter, and a change awaiting the sectors.
    from tripartite.accounts.joint_services import propose_change
    from tripartite.core.translation_services import translate_record

    translation = translate_record(
        actor,
        record=letter,
        language="es",
        fields={"subject": "La sociedad civil deja el Secretariado Técnico Tripartita"},
        note="Traducción del secretariado.",
    )
    change = propose_change(
        actor,
        operation="update",
        target=statement.public_id,
        changes={"title": statement.title + " (corrected)"},
        reason="A word was missing.",
    )

    # The log signs a checkpoint over all of it, so record pages show entry and receipt.
    from tripartite.ledger.services import sign_checkpoint

    sign_checkpoint()
    mirror_urls = build_mirror()

    return Scenario(
        urls={
            "home": "/",
            "member": mx.get_absolute_url(),
            "forum": forum.get_absolute_url(),
            "seat": gov.get_absolute_url(),
            "meeting": meeting.get_absolute_url(),
            "decision": decision.get_absolute_url(),
            "letters": "/letters/",
            "letters-filtered": "/letters/?type=withdrawal&year=2017",
            "letter": letter.get_absolute_url(),
            "statement": statement.get_absolute_url(),
            "organization": csos[0].organization.get_absolute_url(),
            "person": director.get_absolute_url(),
            "history": forum.get_history_url(),
            "login": "/accounts/login/",
            "signup": "/accounts/signup/",
            "password-reset": "/accounts/password/reset/",
            "log": "/log",
            "plans": "/plans/",
            "plan": plans.plan.get_absolute_url(),
            "plan-four-years": plans.next_plan.get_absolute_url(),
            "commitment": plans.commitments[0].get_absolute_url(),
            "milestone": plans.milestones[0].get_absolute_url(),
            "progress": plans.reports[1].get_absolute_url(),
            "irm-report": plans.irm_report.get_absolute_url(),
            "assessment": plans.assessment.get_absolute_url(),
            "co-creation-open": f"/plan/{plans.next_plan.key}/co-creation/",
            "co-creation-register": f"/plan/{plans.plan.key}/co-creation/",
            "input": plans.inputs[0].get_absolute_url(),
            "response": plans.response.get_absolute_url(),
            "policies": "/policies/",
            "policy": "/policy/plan-delivery-2015/",
            "open-data": "/open-data/",
            "translation": translation.get_absolute_url(),
            "changes": "/changes/",
            "change": change.get_absolute_url(),
            "roles": "/roles/",
            **oversight,
            **documents,
            **mirror_urls,
            **notifications,
            **confidential,
        },
        member_name=mx.name,
        forum_name=forum.name,
        letter_subject=letter.subject,
        signatories=cso_names,
        withdrawal_title=withdrawal.title,
    )


# The private key of the scenario's confidential-channel recipient (tests open with it).
CONFIDENTIAL_KEY_SEED = b"tripartite e2e recipient key....."[:32]


def build_confidential() -> dict[str, str]:
    """A Steering Committee recipient key and a submission sealed to it: URLs by page type."""
    from django.contrib.auth.models import AnonymousUser
    from nacl.public import PrivateKey

    from tripartite.confidential import sealing, services
    from tripartite.core.actors import system_actor

    pair = sealing.KeyPair(PrivateKey(CONFIDENTIAL_KEY_SEED))
    key = services.register_recipient_key(
        system_actor(),
        key="sc-civil-society-cochair",
        name="Civil-society co-chair",
        role="Steering Committee co-chair",
        public_key=pair.public_b64,
        added_on=D(2017, 1, 10),
    )
    copies = sealing.seal_message(
        {"kind": "intimidation", "about": "Mexico", "message": "Scenario message", "contact": ""},
        [(key.public_id, key.public_key)],
    )
    submission, _code = services.submit_sealed(AnonymousUser(), copies=copies)
    return {
        "confidential": "/confidential/",
        "confidential-keys": "/confidential/keys/",
        "recipientkey": key.get_absolute_url(),
        "sealed": submission.get_absolute_url(),
    }


def build_mirror() -> dict[str, str]:
    """A mirror of another instance, as ``tripartite mirror URL`` leaves it (its rows are
    made here from this data set's own versions: the pages only read them): URLs by page
    type."""
    from tripartite.core.canonical import canonical_json
    from tripartite.core.models import RecordVersion
    from tripartite.ledger.storage import read_head
    from tripartite.opendata.mirror_models import MirrorRecordVersion, MirrorSource

    size, root = read_head()
    source = MirrorSource.objects.create(
        base_url="https://mx.example.org",
        origin="mx.example.org/log",
        slug="mx-example-org-log",
        log_key="mx.example.org/log+00000000+AAAA",
        size=size,
        root_hex=root.hex(),
        verified_at=dt.datetime(2017, 6, 1, tzinfo=dt.UTC),
    )
    versions = RecordVersion.objects.filter(record_type="letter").select_related("log_entry")
    for version in versions:
        MirrorRecordVersion.objects.create(
            source=source,
            record_type=version.record_type,
            record_key=version.record_key,
            version=version.version,
            op=version.op,
            at=version.at.isoformat(),
            entry_index=version.log_entry.index,
            sha256=version.sha256,
            content=canonical_json(version.content),
            verified_size=size,
        )
    return {
        "mirrors": "/mirrors/",
        "mirror-source": source.get_absolute_url(),
        "mirror-record": f"/mirrors/{source.slug}/letter/mx-2017-0012/",
    }


def build_notifications(forum: Any) -> dict[str, str]:
    """Someone who follows the forum in a daily digest: the URL of their unsubscribe link."""
    from django.contrib.auth import get_user_model

    from tripartite.notifications import services, tokens

    user = get_user_model().objects.create_user("follower", email="follower@example.org")
    follow = services.follow(user, record=forum.public_id, frequency="daily")
    token = tokens.for_follow(user.pk, follow.pk)
    return {"unsubscribe": f"/notifications/unsubscribe/{token}/"}


def build_documents(meeting: Any) -> dict[str, str]:
    """A PDF of the meeting's minutes, its text extracted, then redacted (the original
    sealed); and the search index built over the whole scenario: URLs by page type."""
    from tripartite.core.actors import system_actor
    from tripartite.documents import search, services, tasks
    from tripartite.documents.tests import files
    from tripartite.documents.tests.factories import upload

    minutes = upload(
        meeting.public_id,
        "mx-tts-2016-04-minutes",
        title="Minutes of the plenary session of 15 April 2016",
        language="en",
        data=files.pdf(["The forum discussed the surveillance of its members, Ana Ruiz spoke."]),
        filename="minutes-2016-04.pdf",
    )
    redacted = services.redact_version(
        system_actor(),
        minutes,
        number=1,
        filename="minutes-2016-04-redacted.pdf",
        data=files.pdf(["The forum discussed the surveillance of its members."]),
        reason="The name of a person at risk.",
    )
    tasks.extract_version.call(redacted.pk)
    search.reindex()
    return {
        "repository": "/member/mx/repository/",
        "document": minutes.get_absolute_url(),
        "search": "/search/",
        "search-results": "/search/?q=surveillance",
    }


def build_oversight(mx: Any) -> dict[str, str]:
    """Seats, co-chairs, a subcommittee, an SC meeting with overdue minutes, resolutions, a
    Response Policy case with a confidential note, an envoy mission, two contrary findings
    that open a procedural review, and a stored compliance reading: URLs by page type."""
    from tripartite.core.actors import system_actor
    from tripartite.forums.tests import factories as f
    from tripartite.oversight import case_services, compliance, review_services, services
    from tripartite.oversight.models import ProceduralReview, StatusChange
    from tripartite.oversight.tests import factories as o

    actor = system_actor()
    o.small_committee(2)
    france = f.member("fr", "France")
    georgia = f.member("ge", "Georgia")
    bapna = o.person("manish-bapna", "Manish Bapna")
    dimba = o.person("mukelani-dimba", "Mukelani Dimba")
    envoy = o.person("envoy-one", "Envoy One")
    gov = [o.gov_seat(france, "fr-2015"), o.gov_seat(georgia, "ge-2015")]
    cs = [o.cs_seat(bapna, "bapna-2015"), o.cs_seat(dimba, "dimba-2015")]
    lead = services.appoint_co_chair(
        actor, key="fr-lead-2016", seat=gov[0], role="lead", starts_on=D(2016, 10, 1)
    )
    services.appoint_co_chair(
        actor, key="ge-incoming-2016", seat=gov[1], role="incoming", starts_on=D(2016, 10, 1)
    )
    services.appoint_co_chair(
        actor, key="bapna-lead-2016", seat=cs[0], role="lead", starts_on=D(2016, 10, 1)
    )
    subcommittee = services.create_subcommittee(
        actor, key="criteria", code="C&S", name="Criteria and Standards", remit="Reviews."
    )
    services.set_subcommittee_members(
        actor, subcommittee, on=D(2016, 1, 1), seats=[gov[0], cs[0]], co_chairs=[cs[0]]
    )
    watch = f.organization("mx-civic-watch", "civil_society", "Civic Watch", member=mx)
    bank = f.organization("devbank", "multilateral", "Development Bank")
    case = case_services.file_case(
        actor,
        key="mx-2017-surveillance",
        member=mx,
        title="Surveillance of civil society in Mexico",
        concerns="Members of the forum were targeted with spyware.",
        received_on=D(2017, 6, 1),
        filers=[(watch, "involved_entity"), (bank, "multilateral_partner")],
    )
    case_services.advance_case(actor, case, to="acknowledged", on=D(2017, 6, 5), by="su")
    case_services.advance_case(
        actor,
        case,
        to="eligibility_review",
        on=D(2017, 6, 6),
        by="su",
        confidential_note="Do not name the filer's staff.",
    )
    case_services.add_outreach_task(
        actor, case, title="Reach out before the meeting", owner=envoy, due_on=D(2017, 6, 20)
    )
    meeting = services.schedule_sc_meeting(
        actor,
        key="sc-2017-06",
        title="Steering Committee, working level",
        level="working",
        starts_on=D(2017, 6, 27),
        ends_on=D(2017, 6, 28),
        place="Washington DC",
        agenda=[{"title": "Mexico: the withdrawal", "member": mx, "case": case}, "Other"],
    )
    services.add_background_document(
        actor, meeting, title="Background pack", published_on=D(2017, 6, 20)
    )
    services.add_background_document(actor, meeting, title="Late note", published_on=D(2017, 6, 28))
    resolution = services.record_resolution(
        actor,
        key="mx-envoys-2017",
        title="Envoys to Mexico",
        text="The SC appoints two envoys.",
        adopted_on=D(2017, 6, 28),
        method="vote",
        votes={"for": 3, "against": 0, "abstain": 1},
        meeting=meeting,
        member=mx,
        case=case,
    )
    mission = services.record_mission(
        actor,
        key="mx-2017-10",
        member=mx,
        title="Envoys' visit to Mexico",
        mandate="Gather information and report back.",
        envoys=[envoy],
        resolution=resolution,
        starts_on=D(2017, 10, 19),
        ends_on=D(2017, 10, 20),
    )
    plans = o.contrary_plans(mx, 2)
    findings = [
        review_services.record_contrary_finding(
            actor,
            key=f"{plan.key}-late",
            plan=plan,
            trigger="late_plan",
            source="calendar",
            found_on=D(plan.start_on.year + 1, 1, 15),
            explanation="The plan was delivered more than four months late.",
        )
        for plan in plans
    ]
    review_services.store_compliance_reading(
        actor,
        plan=plans[0],
        findings=[x.as_dict() for x in compliance.evaluate(mx, plans[0], today=D(2024, 1, 1))],
        fingerprint="0" * 64,
        computed_on=D(2024, 1, 1),
    )
    review = ProceduralReview.objects.get(member=mx)
    change = StatusChange.objects.get(member=mx)
    return {
        "oversight": "/oversight/",
        "standing": f"/member/{mx.key}/standing/",
        "steering-committee": "/steering-committee/?on=2017-01-01",
        "scseat": gov[0].get_absolute_url(),
        "cochair": lead.get_absolute_url(),
        "subcommittee": subcommittee.get_absolute_url(),
        "scmeeting": meeting.get_absolute_url(),
        "scmeetings": "/scmeetings/",
        "resolution": resolution.get_absolute_url(),
        "resolutions": "/resolutions/",
        "case": case.get_absolute_url(),
        "cases": "/cases/",
        "mission": mission.get_absolute_url(),
        "contrary": findings[0].get_absolute_url(),
        "review": review.get_absolute_url(),
        "statuschange": change.get_absolute_url(),
        "compliance": f"/compliance/{plans[0].key}/",
    }


# Rows that ``post_migrate`` re-creates after every flush, with new primary keys: never
# part of the snapshot, which refers to them by natural key.
_RECREATED_AFTER_FLUSH = {"contenttypes.contenttype", "auth.permission"}


def _models() -> list[Any]:
    """The models whose rows make the data set, those referred to by natural key first."""
    from django.apps import apps

    ordered = serializers.sort_dependencies(
        [(app, None) for app in apps.get_app_configs()], allow_cycles=True
    )
    return [model for model in ordered if model._meta.label_lower not in _RECREATED_AFTER_FLUSH]


def _snapshot() -> list[str]:
    """Every row as JSON, one chunk per model, in an order that loads back."""
    chunks = []
    for model in _models():
        rows = model._base_manager.order_by("pk")
        if rows.exists():
            chunks.append(serializers.serialize("json", rows, use_natural_foreign_keys=True))
    return chunks


@pytest.fixture(scope="module")
def _scenario_snapshot(django_db_setup: None, django_db_blocker: Any) -> tuple[Scenario, list[str]]:
    """Build the data set once per module; keep it as JSON and leave the database as it was."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_scenario()
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return built, snapshot


@pytest.fixture
def scenario(_scenario_snapshot: tuple[Scenario, list[str]], live_server: Any) -> Scenario:
    """The data set, committed where the live server sees it (flushed after the test)."""
    built, snapshot = _scenario_snapshot
    _restore(snapshot)
    return built


def _restore(snapshot: list[str]) -> None:
    """Load a ``_snapshot()`` back: one INSERT per table (row-by-row saves are 3x slower).

    Each chunk is written before the next is read, so natural keys refer to rows that exist.
    """
    if any(model._base_manager.exists() for model in _models()):
        # Rows left from before this module's first flush: start from the same empty state.
        call_command("flush", interactive=False, verbosity=0)
    loaded: list[Any] = []
    with transaction.atomic():
        for chunk in snapshot:
            rows = list(serializers.deserialize("json", chunk))
            model = type(rows[0].object)
            fields = model._meta.local_concrete_fields
            objs = [row.object for row in rows]
            size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), size):
                # What loaddata's raw save does, many rows at a time; raw keeps the
                # auto_now timestamps as they were (bulk_create would re-stamp them).
                model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)
            for row in rows:
                for name, targets in (row.m2m_data or {}).items():
                    getattr(row.object, name).add(*targets)
            loaded.append(model)
        # As loaddata does: PostgreSQL's sequences continue after the loaded ids.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(sql)
