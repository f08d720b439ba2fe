"""The Mexico 2017 scenario, checked through the public pages, their JSON twins and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.demo.mexico import LETTER_KEY, WITHDRAWAL_KEY, load_mexico_2017

TEN_CSOS = {
    "article-19-mx",
    "cidac",
    "contraloria-ciudadana",
    "cultura-ecologica",
    "fundar",
    "gesoc",
    "imco",
    "observatorio-nacional-ciudadano",
    "socialtic",
    "transparencia-mexicana",
}
WITHDRAWN_ON = "2017-05-23"


@pytest.fixture
def loaded() -> int:
    return load_mexico_2017()


def get_json(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return response.json()


def stt_seats(client: Client) -> list[dict[str, Any]]:
    page = get_json(client, "/api/v1/seats?forum=mx-stt&limit=50")
    assert page["count"] == len(page["items"])
    return page["items"]


@pytest.mark.django_db
def test_ten_cso_seats_withdrew_together(client: Client, loaded: int) -> None:
    forum = get_json(client, "/api/v1/forums/mx-stt")
    cso_seats = [s for s in stt_seats(client) if s["sector"] == "civil_society"]

    assert {s["organization"]["id"].split("/", 1)[1] for s in cso_seats} == TEN_CSOS
    for seat in cso_seats:
        assert seat["end_on"] == WITHDRAWN_ON
        assert seat["end_reason"] == "withdrawn"
        assert seat["withdrawal_group"]["id"] == f"withdrawal/{WITHDRAWAL_KEY}"
        assert seat["withdrawal_letter"]["id"] == f"letter/{LETTER_KEY}"

    (group,) = forum["withdrawals"]
    assert group["withdrawn_on"] == WITHDRAWN_ON
    assert sorted(group["seats"]) == sorted(s["id"] for s in cso_seats)
    assert group["letter"]["id"] == f"letter/{LETTER_KEY}"
    # The timeline shows the ten as one event.
    events = [e for e in forum["timeline"] if e["kind"] == "collective_withdrawal"]
    assert len(events) == 1 and len(events[0]["seats"]) == 10


@pytest.mark.django_db
def test_no_civil_society_after_the_withdrawal(client: Client, loaded: int) -> None:
    forum = get_json(client, "/api/v1/forums/mx-stt")
    twin = get_json(client, "/forum/mx-stt.json")

    # The STT is dissolved (replaced in March 2019): its composition is taken on that day.
    assert forum["dissolved_on"] == "2019-03-01"
    for data in (forum, twin):
        assert "civil_society" in data["missing_sectors"]
        assert not [s for s in data["current_seats"] if s["sector"] == "civil_society"]
        balance = {row["sector"]: row["seats"] for row in data["balance"]}
        assert balance["civil_society"] == 0
    assert [r["id"] for r in forum["successors"]] == ["forum/mx-comite-coordinador"]

    # The day after the withdrawal only government and the oversight body held seats.
    day = dt.date(2017, 5, 24)
    current = [
        s
        for s in stt_seats(client)
        if dt.date.fromisoformat(s["start_on"]) <= day
        and (s["end_on"] is None or dt.date.fromisoformat(s["end_on"]) > day)
    ]
    assert sorted(s["sector"] for s in current) == ["government", "oversight_body"]


@pytest.mark.django_db
def test_html_pages(client: Client, loaded: int) -> None:
    forum_page = client.get("/forum/mx-stt/")
    assert forum_page.status_code == 200
    html = forum_page.content.decode()
    assert "Tripartite Technical Secretariat" in html
    assert "Secretariado Técnico Tripartita" in html
    assert "The civil-society core group leaves the Tripartite Technical Secretariat" in html

    letter_page = client.get(f"/letter/{LETTER_KEY}/")
    assert letter_page.status_code == 200
    assert "withdrawal from the national OGP platform" in letter_page.content.decode()

    member_page = client.get("/member/mx/")
    assert member_page.status_code == 200
    assert "Tripartite Technical Secretariat" in member_page.content.decode()


@pytest.mark.django_db
def test_the_letter_lists_ten_signatories(client: Client, loaded: int) -> None:
    letter = get_json(client, f"/api/v1/letters/{LETTER_KEY}")
    twin = get_json(client, f"/letter/{LETTER_KEY}.json")
    for data in (letter, twin):
        assert {o["id"].split("/", 1)[1] for o in data["signatories"]} == TEN_CSOS
        assert data["letter_type"] == "withdrawal"
        assert data["sent_on"] == WITHDRAWN_ON
        assert data["subject"] == (
            "Civil Society Statement on government surveillance of civil society actors and "
            "withdrawal from the national OGP platform"
        )
        assert data["source_url"].startswith("https://")
        assert len(data["withdrawn_seats"]) == 10


@pytest.mark.django_db
def test_member_page(client: Client, loaded: int) -> None:
    member = get_json(client, "/api/v1/members/mx")
    assert member["iso2"] == "MX" and member["kind"] == "country"
    assert member["status"] == "active"
    assert {f["id"] for f in member["forums"]} == {"forum/mx-stt", "forum/mx-comite-coordinador"}
    assert [r["id"] for r in member["letters"]] == [f"letter/{LETTER_KEY}"]
    assert len(member["statements"]) == 3
    assert get_json(client, "/member/mx.json")["id"] == "member/mx"


@pytest.mark.django_db
def test_comite_coordinador_replaces_the_stt(client: Client, loaded: int) -> None:
    forum = get_json(client, "/api/v1/forums/mx-comite-coordinador")
    assert forum["predecessor"]["id"] == "forum/mx-stt"
    assert forum["established_on"] == "2019-03-01"
    assert forum["missing_sectors"] == []
    assert sorted(s["organization"]["id"] for s in forum["current_seats"]) == [
        "organization/inai",
        "organization/nosc-mx",
        "organization/sfp",
    ]


@pytest.mark.django_db
def test_loading_twice_writes_nothing(loaded: int) -> None:
    versions = RecordVersion.objects.count()
    assert loaded > 0
    assert load_mexico_2017() == 0
    assert RecordVersion.objects.count() == versions


@pytest.mark.django_db
def test_every_record_written_has_a_first_version(client: Client, loaded: int) -> None:
    # Every public record in the database, of every type, not only those that have versions.
    records = {
        (model.RECORD_TYPE, key)
        for model in apps.get_models()
        if issubclass(model, PublicRecord)
        for key in model.objects.values_list("key", flat=True)
    }
    assert len(records) == loaded
    assert records == set(RecordVersion.objects.values_list("record_type", "record_key"))
    for record_type, key in sorted(records):
        first = get_json(client, f"/api/v1/records/{record_type}/{key}/versions/1")
        assert first["version"] == 1
        assert first["op"] == "create"
        assert first["content"]["id"] == f"{record_type}/{key}"


@pytest.mark.django_db
def test_a_failure_midway_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from tripartite.forums import services

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("statement refused")

    monkeypatch.setattr(services, "publish_statement", fail)
    with pytest.raises(RuntimeError):
        load_mexico_2017()
    assert not RecordVersion.objects.exists()
    monkeypatch.undo()
    assert load_mexico_2017() > 0
