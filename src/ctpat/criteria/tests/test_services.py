"""Criteria services: drafts copied from the current version, edited, published; published
versions immutable; CBP program admins only; affected members told on publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import modify_settings

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.criteria import rules, selectors, services
from ctpat.criteria.models import CriteriaVersion, Criterion
from ctpat.testing import make_user

pytestmark = pytest.mark.django_db

D = dt.date


def levels(criterion: Criterion) -> list[tuple]:
    return [(p.level, p.effective_from, p.effective_to) for p in criterion.periods()]


# --- Drafts --------------------------------------------------------------------------------


def test_given_the_current_version_when_a_draft_is_created_then_it_copies_every_criterion(
    current, cbp_admin
):
    draft = services.criteria_version_create_draft(actor=cbp_admin, label="2027-01")

    assert (draft.status, draft.number, draft.based_on) == ("draft", None, current)
    assert rules.changes_between(selectors.snapshots(current), selectors.snapshots(draft)) == []
    assert draft.criteria.count() == 97
    assert not set(draft.criteria.values_list("public_id", flat=True)) & set(
        current.criteria.values_list("public_id", flat=True)
    )
    event = AuditEvent.objects.get(action="criteria.draft_create")
    assert (event.actor, event.object_id, event.after["criteria"]) == (
        cbp_admin,
        draft.public_id,
        97,
    )


def test_given_a_draft_when_another_is_created_then_refused(draft, cbp_admin):
    with pytest.raises(ConflictError) as caught:
        services.criteria_version_create_draft(actor=cbp_admin, label="Another")

    assert caught.value.code == "draft_exists"


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer", "partner_officer", "auditor"])
def test_only_a_cbp_program_admin_prepares_a_draft(current, role, cbp_org):
    user = make_user(
        role, organization=cbp_org if role in ("scss", "nam", "fld_reviewer") else None
    )

    with pytest.raises(PermissionDeniedError):
        services.criteria_version_create_draft(actor=user, label="Nope")
    assert not CriteriaVersion.objects.filter(status="draft").exists()


def test_given_a_label_in_use_then_refused(current, cbp_admin):
    with pytest.raises(DomainError) as caught:
        services.criteria_version_create_draft(actor=cbp_admin, label=current.label.upper())

    assert caught.value.code == "duplicate_label"


def test_given_a_draft_when_discarded_then_gone_and_the_current_version_untouched(
    draft, current, cbp_admin
):
    services.criteria_version_discard(actor=cbp_admin, draft=draft, reason="Started over")

    assert not CriteriaVersion.objects.filter(pk=draft.pk).exists()
    assert current.criteria.count() == 97
    assert AuditEvent.objects.filter(
        action="criteria.draft_discard", reason="Started over"
    ).exists()


# --- Editing a draft -----------------------------------------------------------------------


def test_given_a_draft_when_a_criterion_is_added_then_it_is_in_force_from_its_date(
    draft, cbp_admin
):
    criterion = services.criterion_add(
        actor=cbp_admin,
        draft=draft,
        msc_id="3.10",
        text="Map the supply chain beyond tier 1.",
        level="should",
        effective_from=D(2027, 1, 1),
        tags=["forced_labor", "cargo_mapping"],
    )

    assert (criterion.category, criterion.entity_types, criterion.sort_key) == (
        3,
        ["importer"],
        "0003.0010",
    )
    assert levels(criterion) == [("should", D(2027, 1, 1), None)]
    ids = list(draft.criteria.filter(category=3).values_list("msc_id", flat=True))
    assert ids[-2:] == ["3.9", "3.10"]
    event = AuditEvent.objects.get(action="criteria.criterion_add")
    assert event.after["periods"][0]["effective_from"] == "2027-01-01"


@pytest.mark.parametrize(
    ("msc_id", "code"),
    [
        pytest.param("3.9", "duplicate_criterion", id="taken"),
        pytest.param("3.09", "invalid", id="leading-zero"),
        pytest.param("three", "invalid", id="not-an-id"),
    ],
)
def test_given_a_bad_criterion_id_then_refused(draft, cbp_admin, msc_id, code):
    with pytest.raises(DomainError) as caught:
        services.criterion_add(
            actor=cbp_admin,
            draft=draft,
            msc_id=msc_id,
            text="x",
            level="must",
            effective_from=D(2027, 1, 1),
        )

    assert caught.value.code == code
    assert "msc_id" in caught.value.fields or "category" in caught.value.fields


def test_given_an_id_outside_its_category_then_refused(draft, cbp_admin):
    with pytest.raises(DomainError) as caught:
        services.criterion_add(
            actor=cbp_admin,
            draft=draft,
            msc_id="4.20",
            category=3,
            text="x",
            level="must",
            effective_from=D(2027, 1, 1),
        )

    assert "belongs to category 4" in caught.value.message


def test_given_a_draft_criterion_when_reworded_then_audited_before_and_after(
    draft, draft_criterion, cbp_admin
):
    criterion = draft_criterion("1.1")

    services.criterion_update(
        actor=cbp_admin, draft=draft, criterion=criterion, text="New words.", reason="CBP PDF"
    )

    criterion.refresh_from_db()
    assert criterion.text == "New words."
    event = AuditEvent.objects.get(action="criteria.criterion_update")
    assert event.after["text"] == "New words." and event.before["text"] != "New words."
    assert event.reason == "CBP PDF"


def test_given_no_difference_when_updating_then_refused(draft, draft_criterion, cbp_admin):
    criterion = draft_criterion("1.1")

    with pytest.raises(DomainError) as caught:
        services.criterion_update(
            actor=cbp_admin, draft=draft, criterion=criterion, text=criterion.text
        )

    assert caught.value.code == "no_changes"


def test_the_criterion_id_cannot_be_changed_by_update(draft, draft_criterion, cbp_admin):
    with pytest.raises(DomainError) as caught:
        services.criterion_update(
            actor=cbp_admin, draft=draft, criterion=draft_criterion("1.1"), msc_id="1.9"
        )

    assert caught.value.code == "unknown_fields"


def test_given_a_should_when_upgraded_from_a_date_then_should_until_the_day_before(
    draft, draft_criterion, cbp_admin
):
    criterion = draft_criterion("2.2")

    services.criterion_set_requirement(
        actor=cbp_admin,
        draft=draft,
        criterion=criterion,
        level="must",
        effective_from=D(2027, 7, 1),
    )

    assert levels(criterion) == [
        ("should", D(2020, 1, 1), D(2027, 6, 30)),
        ("must", D(2027, 7, 1), None),
    ]
    event = AuditEvent.objects.get(action="criteria.criterion_set_requirement")
    assert len(event.before["periods"]) == 1 and len(event.after["periods"]) == 2


def test_given_the_same_level_from_the_same_date_then_refused(draft, draft_criterion, cbp_admin):
    with pytest.raises(DomainError) as caught:
        services.criterion_set_requirement(
            actor=cbp_admin,
            draft=draft,
            criterion=draft_criterion("3.9"),
            level="must",
            effective_from=D(2023, 1, 1),
        )

    assert caught.value.code == "no_changes"


def test_given_a_draft_criterion_when_removed_then_gone_from_the_draft_only(
    draft, draft_criterion, current, cbp_admin
):
    services.criterion_remove(actor=cbp_admin, draft=draft, criterion=draft_criterion("3.8"))

    assert not draft.criteria.filter(msc_id="3.8").exists()
    assert current.criteria.filter(msc_id="3.8").exists()


def test_a_criterion_of_another_version_cannot_be_edited_through_a_draft(draft, current, cbp_admin):
    published = current.criteria.get(msc_id="1.1")

    with pytest.raises(DomainError) as caught:
        services.criterion_update(actor=cbp_admin, draft=draft, criterion=published, text="Hijack")

    assert caught.value.code == "criterion_not_in_draft"
    published.refresh_from_db()
    assert published.text != "Hijack"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda v, c, a: services.criterion_update(actor=a, draft=v, criterion=c, text="x"),
            id="update",
        ),
        pytest.param(
            lambda v, c, a: services.criterion_set_requirement(
                actor=a, draft=v, criterion=c, level="must", effective_from=D(2030, 1, 1)
            ),
            id="set-requirement",
        ),
        pytest.param(
            lambda v, c, a: services.criterion_remove(actor=a, draft=v, criterion=c), id="remove"
        ),
        pytest.param(
            lambda v, c, a: services.criterion_add(
                actor=a, draft=v, msc_id="1.9", text="x", level="must", effective_from=D(2030, 1, 1)
            ),
            id="add",
        ),
        pytest.param(
            lambda v, c, a: services.criteria_version_discard(actor=a, draft=v), id="discard"
        ),
        pytest.param(
            lambda v, c, a: services.criteria_version_publish(actor=a, draft=v, notes="x"),
            id="publish",
        ),
    ],
)
def test_a_published_version_never_changes(current, cbp_admin, call):
    criterion = current.criteria.get(msc_id="1.1")
    before = selectors.snapshots(current)

    with pytest.raises(ConflictError) as caught:
        call(current, criterion, cbp_admin)

    assert caught.value.code == "version_published"
    assert selectors.snapshots(current) == before


def test_a_scss_may_read_drafts_but_not_edit_them(draft, draft_criterion, scss):
    assert selectors.version_get(viewer=scss, public_id=draft.public_id) == draft

    with pytest.raises(PermissionDeniedError):
        services.criterion_update(
            actor=scss, draft=draft, criterion=draft_criterion("1.1"), text="x"
        )


# --- Publishing ----------------------------------------------------------------------------


@pytest.fixture
def members(make_partner):
    """Users of an importer, an importer that withdrew and a foreign manufacturer."""
    importer = make_partner(
        name="Notified Imports", entity_type="importer", country="US", status="certified"
    )
    gone = make_partner(
        name="Withdrawn Imports", entity_type="importer", country="US", status="withdrawn"
    )
    factory = make_partner(
        name="Other Factory", entity_type="foreign_manufacturer", status="certified"
    )
    return {
        "importer": make_user("partner_officer", organization=importer.organization),
        "importer_compliance": make_user("partner_compliance", organization=importer.organization),
        "withdrawn": make_user("partner_officer", organization=gone.organization),
        "manufacturer": make_user("partner_officer", organization=factory.organization),
    }


def _upgrade_2_2(draft, draft_criterion, cbp_admin):
    services.criterion_set_requirement(
        actor=cbp_admin,
        draft=draft,
        criterion=draft_criterion("2.2"),
        level="must",
        effective_from=D(2027, 7, 1),
    )


def test_given_an_upgraded_draft_when_published_then_it_is_current_and_the_old_one_stays(
    draft, draft_criterion, current, cbp_admin
):
    _upgrade_2_2(draft, draft_criterion, cbp_admin)

    published = services.criteria_version_publish(
        actor=cbp_admin, draft=draft, notes="2.2 becomes a must."
    )

    assert (published.status, published.number, published.published_by) == (
        "published",
        2,
        cbp_admin,
    )
    assert selectors.current_version() == published
    assert selectors.previous_version(published) == current
    old = current.criteria.get(msc_id="2.2")
    assert levels(old) == [("should", D(2020, 1, 1), None)]
    (change,) = selectors.version_changes(published)
    assert (change.kind, change.msc_id, change.effective_from) == ("upgraded", "2.2", D(2027, 7, 1))
    event = AuditEvent.objects.get(action="criteria.version_publish")
    assert event.after["changes"][0]["kind"] == "upgraded"
    assert event.after["number"] == 2


def test_given_an_unchanged_draft_when_published_then_refused(draft, cbp_admin):
    with pytest.raises(DomainError) as caught:
        services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="Nothing")

    assert caught.value.code == "no_changes"


def test_publishing_needs_notes(draft, draft_criterion, cbp_admin):
    _upgrade_2_2(draft, draft_criterion, cbp_admin)

    with pytest.raises(DomainError) as caught:
        services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="  ")

    assert "notes" in caught.value.fields


def test_only_a_cbp_program_admin_publishes(draft, draft_criterion, cbp_admin, scss):
    _upgrade_2_2(draft, draft_criterion, cbp_admin)

    with pytest.raises(PermissionDeniedError):
        services.criteria_version_publish(actor=scss, draft=draft, notes="x")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_given_a_published_change_then_affected_members_are_notified_in_app_and_by_email(
    draft, draft_criterion, cbp_admin, members
):
    from ctpat.notifications.models import Notification

    _upgrade_2_2(draft, draft_criterion, cbp_admin)

    version = services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="2.2 must.")

    notified = Notification.objects.filter(kind=services.NOTIFICATION_KIND)
    assert {n.recipient for n in notified} == {members["importer"], members["importer_compliance"]}
    notice = notified.first()
    assert notice.link == f"/criteria/versions/{version.public_id}/"
    assert "2.2 is Must from 2027-07-01 (was Should)" in notice.body
    assert "Takes effect 2027-07-01" in notice.body
    assert all(n.email is not None for n in notified)
    event = AuditEvent.objects.get(action="criteria.members_notify")
    assert event.after["entity_types"] == ["importer"]
    assert (event.after["users"], event.after["delivered"]) == (2, 2)


def test_given_only_editorial_changes_then_nobody_is_notified(
    draft, draft_criterion, cbp_admin, members
):
    services.criterion_update(
        actor=cbp_admin, draft=draft, criterion=draft_criterion("1.1"), source="CBP PDF, p. 3"
    )

    services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="Sources corrected.")

    event = AuditEvent.objects.get(action="criteria.members_notify")
    assert (event.after["users"], event.after["delivered"], event.after["partners"]) == (0, 0, [])


def test_without_the_notifications_app_publishing_records_who_would_be_told(
    draft, draft_criterion, cbp_admin, members
):
    _upgrade_2_2(draft, draft_criterion, cbp_admin)

    with modify_settings(INSTALLED_APPS={"remove": ["ctpat.notifications"]}):
        services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="2.2 must.")

    event = AuditEvent.objects.get(action="criteria.members_notify")
    assert event.after["notifications_installed"] is False
    assert (event.after["users"], event.after["delivered"]) == (2, 0)


def test_notification_text_lists_only_the_members_changes_and_their_dates(current):
    changes = rules.changes_between(
        [
            rules.CriterionSnapshot(
                "3.9", 3, "x", (rules.Period("should", D(2020, 1, 1)),), ("importer",)
            )
        ],
        [
            rules.CriterionSnapshot(
                "3.9",
                3,
                "x",
                (
                    rules.Period("should", D(2020, 1, 1), D(2022, 12, 31)),
                    rules.Period("must", D(2023, 1, 1)),
                ),
                ("importer",),
            ),
            rules.CriterionSnapshot(
                "5.9", 5, "y", (rules.Period("must", D(2024, 1, 1)),), ("sea_carrier",)
            ),
        ],
    )

    title, body = services.notification_text(current, changes, "importer")

    assert current.label in title
    assert "3.9 is Must from 2023-01-01 (was Should). Takes effect 2023-01-01." in body
    assert "5.9" not in body
