"""Curation (versioning, publish, retire, validation) and broker sharing, through the services."""

from __future__ import annotations

import pytest

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.resources import selectors, services
from ctpat.resources.models import Resource, ResourceRevision, ResourceShare

pytestmark = pytest.mark.django_db


# --- Versioning ------------------------------------------------------------------------------


def test_creating_a_draft_makes_revision_one_that_members_cannot_see(
    make_resource, importer_officer, cbp_admin
):
    resource = make_resource(publish=False)
    assert resource.latest_revision.number == 1
    assert resource.live_revision is None
    assert resource.state == "draft"
    assert not selectors.resource_list(viewer=importer_officer).filter(pk=resource.pk).exists()
    assert selectors.resource_list(viewer=cbp_admin).filter(pk=resource.pk).exists()
    event = AuditEvent.objects.get(action="resource.create", object_id=resource.public_id)
    assert event.after["title"] == "Forced labor fact sheet" and event.after["status"] == "draft"


def test_revising_a_published_resource_keeps_members_on_the_live_revision(
    published, cbp_admin, importer_officer
):
    services.resource_revise(
        actor=cbp_admin, resource=published, title="New title", change_note="Retitled"
    )
    published.refresh_from_db()
    assert published.latest_revision.number == 2
    assert published.latest_revision.title == "New title"
    assert published.live_revision.number == 1
    assert published.state == "unpublished_changes"
    member_view = selectors.display_revision(viewer=importer_officer, resource=published)
    assert member_view.title == "Forced labor fact sheet"
    assert selectors.display_revision(viewer=cbp_admin, resource=published).title == "New title"
    event = AuditEvent.objects.get(action="resource.revise")
    assert event.before["title"] == "Forced labor fact sheet"
    assert event.after["title"] == "New title" and event.reason == "Retitled"


def test_publishing_makes_the_newest_content_live_as_a_new_revision(published, cbp_admin):
    services.resource_revise(actor=cbp_admin, resource=published, summary="Shorter.")
    services.resource_publish(actor=cbp_admin, resource=published, change_note="Reviewed")
    published.refresh_from_db()
    assert published.live_revision.number == 3 == published.latest_revision.number
    assert published.live_revision.summary == "Shorter."
    assert published.state == "published"
    # Every earlier revision is still there, unchanged.
    titles = list(published.revisions.order_by("number").values_list("number", "status"))
    assert titles == [(1, "published"), (2, "draft"), (3, "published")]


def test_publishing_again_with_nothing_new_is_refused(published, cbp_admin):
    with pytest.raises(ConflictError) as exc:
        services.resource_publish(actor=cbp_admin, resource=published)
    assert exc.value.code == "already_published"


def test_revise_and_publish_at_once(published, cbp_admin, importer_officer):
    services.resource_revise(actor=cbp_admin, resource=published, title="Live now", publish=True)
    published.refresh_from_db()
    assert selectors.display_revision(viewer=importer_officer, resource=published).title == (
        "Live now"
    )


def test_a_revision_that_changes_nothing_is_refused(published, cbp_admin):
    with pytest.raises(DomainError) as exc:
        services.resource_revise(
            actor=cbp_admin, resource=published, title=" Forced labor fact sheet "
        )
    assert exc.value.code == "no_changes"
    assert published.revisions.count() == 1


def test_retiring_hides_the_resource_from_members_and_keeps_its_history(
    published, cbp_admin, importer_officer
):
    services.resource_retire(actor=cbp_admin, resource=published, reason="Superseded by v2.")
    published.refresh_from_db()
    assert published.state == "retired"
    assert published.live_revision is None
    assert not selectors.resource_list(viewer=importer_officer).filter(pk=published.pk).exists()
    assert published.revisions.count() == 2
    assert AuditEvent.objects.get(action="resource.retire").reason == "Superseded by v2."
    with pytest.raises(ConflictError):
        services.resource_retire(actor=cbp_admin, resource=published, reason="Again")
    # Publishing again brings it back.
    services.resource_publish(actor=cbp_admin, resource=published)
    published.refresh_from_db()
    assert published.state == "published"


def test_retiring_needs_a_reason(published, cbp_admin):
    with pytest.raises(DomainError) as exc:
        services.resource_retire(actor=cbp_admin, resource=published, reason="  ")
    assert exc.value.fields == {"reason": ["Say why: a reason is required."]}


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer", "partner_officer"])
def test_only_cbp_program_admins_curate(role, make_user, cbp_org, published):
    user = make_user(role, organization=cbp_org if role != "partner_officer" else None)
    with pytest.raises(PermissionDeniedError):
        services.resource_create(actor=user, title="X", kind="link", audiences=["all_members"])
    with pytest.raises(PermissionDeniedError):
        services.resource_revise(actor=user, resource=published, title="Y")
    with pytest.raises(PermissionDeniedError):
        services.resource_retire(actor=user, resource=published, reason="no")
    assert published.revisions.count() == 1


# --- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param({"title": "   "}, "title", "Give the resource a title.", id="empty-title"),
        pytest.param({"title": "x" * 201}, "title", "at most 200 characters long", id="long-title"),
        pytest.param({"summary": "x" * 601}, "summary", "at most 600", id="long-summary"),
        pytest.param({"body": "x" * 20_001}, "body", "at most 20000", id="long-body"),
        pytest.param(
            {"external_url": "javascript:alert(1)"},
            "external_url",
            "starts with https://",
            id="bad-url",
        ),
        pytest.param({"kind": "link", "external_url": ""}, "external_url", "needs", id="link-url"),
        pytest.param({"kind": "poster"}, "kind", "Choose guidance", id="unknown-kind"),
        pytest.param(
            {"audiences": ["aliens"]}, "audiences", "Unknown audience tag: aliens", id="tag"
        ),
        pytest.param({"audiences": []}, "audiences", "at least one audience", id="no-audience"),
        pytest.param({"topics": ["weather"]}, "topics", "Unknown topic tag: weather", id="topic"),
    ],
)
def test_bad_content_is_refused_with_a_field_error_and_writes_nothing(
    make_resource, fields, field, message
):
    before = (Resource.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        make_resource(**fields)
    assert exc.value.code == "invalid_resource"
    assert message in exc.value.fields[field][0]
    assert message in exc.value.message or exc.value.message.startswith("The resource was not")
    assert (Resource.objects.count(), AuditEvent.objects.count()) == before


def test_every_problem_is_reported_at_once(make_resource):
    with pytest.raises(DomainError) as exc:
        make_resource(title="", external_url="ftp://x.gov/", audiences=["nobody"])
    assert set(exc.value.fields) == {"title", "external_url", "audiences"}


def test_a_bad_revision_leaves_the_resource_as_it_was(published, cbp_admin):
    with pytest.raises(DomainError):
        services.resource_revise(actor=cbp_admin, resource=published, external_url="nope")
    assert published.revisions.count() == 1


def test_revise_refuses_fields_that_are_not_content(published, cbp_admin):
    with pytest.raises(DomainError) as exc:
        services.resource_revise(actor=cbp_admin, resource=published, seed_key="x")
    assert exc.value.code == "unknown_fields"


def test_revisions_cannot_be_written_outside_a_service(published):
    from ctpat.core.errors import UnauditedWriteError

    revision = published.latest_revision
    revision.title = "Sneaky"
    with pytest.raises(UnauditedWriteError):
        revision.save()


# --- Sharing ---------------------------------------------------------------------------------


def test_a_broker_shares_with_its_client_who_is_notified(
    published, broker, broker_officer, client_partner, importer_officer
):
    from ctpat.notifications.models import Notification, OutboundEmail

    [share] = services.resource_share(
        actor=broker_officer, resource=published, clients=[client_partner], note="Read this."
    )
    assert share.broker == broker and share.client == client_partner
    assert share.revision == published.live_revision
    notice = Notification.objects.get(recipient=importer_officer, kind="resources.shared")
    assert "Gulf Test Brokerage shared a resource" in notice.title
    assert notice.link == f"/resources/{published.public_id}/"
    assert notice.body == "Read this."
    assert OutboundEmail.objects.filter(to=importer_officer.email).exists()
    event = AuditEvent.objects.get(action="resource.share")
    assert event.organization == broker.organization
    assert event.counterparty == client_partner.organization


def test_non_brokers_cannot_share(published, client_partner, importer_officer, broker):
    with pytest.raises(PermissionDeniedError) as exc:
        services.resource_share(actor=importer_officer, resource=published, clients=[broker])
    assert exc.value.code == "not_a_broker"


def test_cbp_cannot_share_as_a_broker(published, client_partner, cbp_admin):
    with pytest.raises(PermissionDeniedError):
        services.resource_share(actor=cbp_admin, resource=published, clients=[client_partner])


def test_a_broker_cannot_share_with_a_company_that_is_not_its_client(
    published, broker_officer, manufacturer, client_partner
):
    with pytest.raises(DomainError) as exc:
        services.resource_share(
            actor=broker_officer, resource=published, clients=[client_partner, manufacturer]
        )
    assert exc.value.code == "not_a_client"
    assert "Shanghai Widget Factory" in exc.value.message
    assert not ResourceShare.objects.exists()


def test_a_pending_svi_request_does_not_make_a_client(published, broker_officer, manufacturer):
    from ctpat.partners import services as partner_services

    partner_services.svi_request(actor=broker_officer, target=manufacturer)  # not accepted
    with pytest.raises(DomainError) as exc:
        services.resource_share(actor=broker_officer, resource=published, clients=[manufacturer])
    assert exc.value.code == "not_a_client"


def test_a_connection_the_client_asked_for_also_makes_a_client(
    published, broker, broker_officer, manufacturer, manufacturer_officer
):
    from ctpat.partners import services as partner_services

    connection = partner_services.svi_request(actor=manufacturer_officer, target=broker)
    partner_services.svi_accept(actor=broker_officer, connection=connection)
    shares = services.resource_share(
        actor=broker_officer, resource=published, clients=[manufacturer]
    )
    assert shares[0].client == manufacturer


def test_only_published_resources_can_be_shared(
    make_resource, broker_officer, client_partner, cbp_admin
):
    from ctpat.core.errors import NotFoundError

    draft = make_resource(publish=False)
    with pytest.raises(NotFoundError):
        services.resource_share(actor=broker_officer, resource=draft, clients=[client_partner])


def test_sharing_needs_a_client_and_a_short_note(published, broker_officer, client_partner):
    with pytest.raises(DomainError) as exc:
        services.resource_share(actor=broker_officer, resource=published, clients=[])
    assert exc.value.code == "no_clients"
    with pytest.raises(DomainError) as exc:
        services.resource_share(
            actor=broker_officer, resource=published, clients=[client_partner], note="x" * 1001
        )
    assert exc.value.fields["note"]


def test_sharing_the_same_version_twice_is_refused(
    shared, published, broker_officer, client_partner
):
    with pytest.raises(ConflictError) as exc:
        services.resource_share(actor=broker_officer, resource=published, clients=[client_partner])
    assert exc.value.code == "already_shared"


def test_shares_are_private_to_the_broker_and_the_client(
    shared, broker_officer, importer_officer, manufacturer_officer, cbp_admin, make_user, cbp_org
):
    assert list(selectors.share_list(viewer=broker_officer)) == [shared]
    assert list(selectors.share_list(viewer=importer_officer)) == [shared]
    assert list(selectors.share_list(viewer=manufacturer_officer)) == []
    assert list(selectors.share_list(viewer=make_user("auditor"))) == []
    assert list(selectors.share_list(viewer=make_user("nam", organization=cbp_org))) == [shared]


def test_revision_history_shows_members_only_published_revisions(
    published, cbp_admin, importer_officer
):
    services.resource_revise(actor=cbp_admin, resource=published, title="Draft title")
    services.resource_revise(actor=cbp_admin, resource=published, title="Final", publish=True)
    member = [
        h["revision"].number
        for h in selectors.revision_history(viewer=importer_officer, resource=published)
    ]
    staff = [
        h["revision"].number
        for h in selectors.revision_history(viewer=cbp_admin, resource=published)
    ]
    assert member == [3, 1] and staff == [3, 2, 1]
    newest = selectors.revision_history(viewer=importer_officer, resource=published)[0]
    assert [(c.field, c.summary) for c in newest["changes"]] == [("title", "changed")]
    assert ResourceRevision.objects.restrict(importer_officer).filter(number=2).count() == 0


def test_staff_only_resources_are_never_shown_to_members(
    make_resource, importer_officer, cbp_admin
):
    internal = make_resource(audiences=["cbp_staff"])
    assert not selectors.resource_list(viewer=importer_officer).filter(pk=internal.pk).exists()
    assert selectors.resource_list(viewer=cbp_admin).filter(pk=internal.pk).exists()


def test_a_disconnected_svi_connection_no_longer_makes_a_client(
    published, broker_officer, client_partner, importer_officer
):
    from ctpat.partners import services as partner_services
    from ctpat.partners.selectors import svi_connected_partners

    connection = svi_connected_partners(partner=client_partner)[0][0]
    partner_services.svi_disconnect(actor=importer_officer, connection=connection)
    with pytest.raises(DomainError) as exc:
        services.resource_share(actor=broker_officer, resource=published, clients=[client_partner])
    assert exc.value.code == "not_a_client"
    assert not ResourceShare.objects.exists()


def test_an_earlier_revision_written_only_for_cbp_staff_stays_hidden_from_members(
    make_resource, cbp_admin, importer_officer
):
    resource = make_resource("Internal note", audiences=["cbp_staff"], body="Staff-only text.")
    services.resource_revise(
        actor=cbp_admin, resource=resource, audiences=["all_members"], body="Public.", publish=True
    )
    member = [
        h["revision"].number
        for h in selectors.revision_history(viewer=importer_officer, resource=resource)
    ]
    assert member == [2]
    assert not ResourceRevision.objects.restrict(importer_officer).filter(number=1).exists()
    staff = selectors.revision_history(viewer=cbp_admin, resource=resource)
    assert [h["revision"].number for h in staff] == [2, 1]
