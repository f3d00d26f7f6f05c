"""The resources library's pure rules: outbound links, tags, sharing, revision diffs."""

from __future__ import annotations

import pytest

from ctpat.resources import rules


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        pytest.param(
            "https://www.cbp.gov/trade/programs-administration/forced-labor", True, id="https"
        ),
        pytest.param("http://www.dhs.gov/uflpa-entity-list", True, id="http"),
        pytest.param("javascript:alert(1)", False, id="javascript-scheme"),
        pytest.param("ftp://example.gov/file", False, id="ftp-scheme"),
        pytest.param("www.cbp.gov/page", False, id="no-scheme"),
        pytest.param("https://localhost/x", False, id="no-domain"),
        pytest.param("https://user:pw@www.cbp.gov/", False, id="credentials"),
        pytest.param("https://www.cbp.gov/a b", False, id="space"),
        pytest.param("https://www.cbp.gov:99999/", False, id="bad-port"),
        pytest.param("https://www.cbp.gov/" + "a" * rules.URL_MAX_LENGTH, False, id="too-long"),
    ],
)
def test_url_problem_accepts_only_plain_http_and_https_addresses(url, ok):
    assert (rules.url_problem(url) == "") is ok


def test_tags_are_stored_so_one_tag_never_matches_part_of_another():
    text = rules.tags_to_text(["importer", "all_members", "importer"])
    assert text == ",all_members,importer,"
    assert rules.tags_from_text(text) == ["all_members", "importer"]
    assert rules.tag_needle("importer") in text
    assert rules.tag_needle("import") not in text
    assert rules.tags_to_text([]) == ""


def test_a_resource_only_for_cbp_staff_is_staff_only():
    assert rules.is_staff_only(["cbp_staff"])
    assert not rules.is_staff_only(["cbp_staff", "importer"])


def test_only_customs_brokers_may_share():
    assert rules.may_share("customs_broker")
    assert not rules.may_share("importer")
    assert not rules.may_share(None)


def test_revision_changes_lists_what_changed_with_a_summary():
    before = {"title": "A", "body": "short", "audiences": ["importer"], "status": "draft"}
    after = {"title": "B", "body": "much longer", "audiences": ["exporter"], "status": "draft"}
    changes = {c.field: c.summary for c in rules.revision_changes(before, after)}
    assert changes == {
        "title": "changed",
        "body": "rewritten (5 → 11 characters)",
        "audiences": "added exporter; removed importer",
    }


def test_the_first_revision_lists_its_fields_as_set():
    changes = rules.revision_changes(None, {"title": "A"})
    assert {c.summary for c in changes} == {"set"}
