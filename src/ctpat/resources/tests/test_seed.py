"""The shipped seed file: real public pages, loaded as published resources by the system."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from ctpat.core.models import AuditEvent
from ctpat.resources import seed
from ctpat.resources.models import Resource

pytestmark = pytest.mark.django_db

# The sources the seed file may take its addresses from: CBP and DHS pages named in DOMAIN.md
# and the seed FAQ.
SEED_HOSTS = {"www.cbp.gov", "www.dhs.gov"}


def test_the_seed_file_is_valid_and_cites_a_source_for_every_row():
    rows = seed.read_seed()
    assert len(rows) >= 10
    assert all(row["source"] for row in rows)
    urls = [row["external_url"] for row in rows if row["external_url"]]
    assert {urlsplit(u).hostname for u in urls} <= SEED_HOSTS
    assert "https://www.cbp.gov/trade/programs-administration/forced-labor" in urls
    assert "https://www.dhs.gov/uflpa-entity-list" in urls


def test_loading_publishes_every_row_once_as_the_system(capsys):
    call_command("load_resources")
    count = Resource.objects.count()
    assert count == len(seed.read_seed())
    assert all(r.state == "published" for r in Resource.objects.select_related("latest_revision"))
    event = AuditEvent.objects.filter(action="resource.create").first()
    assert event.actor is None and event.actor_label == "system"
    call_command("load_resources")
    assert Resource.objects.count() == count
    assert "0 resources loaded" in capsys.readouterr().out


def test_a_bad_seed_file_is_refused_whole(tmp_path):
    path = tmp_path / "bad.csv"
    good = "ok,Fine,guidance,https://www.cbp.gov/x,all_members,,Summary,cbp-tc-faqs"
    bad = "bad,,link,javascript:alert(1),nobody,,Summary,"
    path.write_text(",".join(seed.COLUMNS) + "\n" + good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_resources", str(path))
    message = str(exc.value)
    assert "line 3: title" in message and "line 3: external_url" in message
    assert "line 3: say where the facts come from" in message
    assert not Resource.objects.exists()


def test_the_demo_shares_a_resource_from_the_demo_broker_with_an_importer_client():
    from ctpat.demo.seed import load_demo
    from ctpat.notifications.models import Notification
    from ctpat.resources.models import ResourceShare

    assert load_demo()
    share = ResourceShare.objects.select_related("broker", "client").get()
    assert share.broker.entity_type == "customs_broker"
    assert share.client.entity_type == "importer"
    assert Notification.objects.filter(kind="resources.shared").exists()
    msc = Resource.objects.get(seed_key="msc-catalog")
    assert msc.state == "unpublished_changes"
