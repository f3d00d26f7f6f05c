from django.test import RequestFactory

from ctpat.partners import selectors, services
from ctpat.partners.filtersets import PartnerFilterSet


def _filter(viewer, **params):
    request = RequestFactory().get("/partners/", params)
    request.user = viewer
    return PartnerFilterSet(
        params, queryset=selectors.partner_list(viewer=viewer), request=request
    ).qs


def test_given_an_ior_number_with_its_hyphen_then_cbp_finds_the_importer(importer, scss):
    ior = importer.identifiers.get(kind="ior").value
    assert "-" in ior
    assert list(_filter(scss, q=ior)) == [importer]


def test_given_an_svi_connection_then_identifier_search_does_not_reveal_the_others_ids(
    importer,
    importer_officer,
    manufacturer,
    manufacturer_officer,
):
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    services.svi_accept(actor=manufacturer_officer, connection=c)
    mid = manufacturer.identifiers.get(kind="mid").value
    assert manufacturer in _filter(importer_officer)  # connected: visible by name
    assert not _filter(importer_officer, q=mid).exists()  # but not findable by its MID
    assert list(_filter(manufacturer_officer, q=mid)) == [manufacturer]


def test_given_tier_and_status_filters_then_only_matching_partners(
    importer, manufacturer, make_partner, scss
):
    validated = make_partner(status="validated")
    assert set(_filter(scss, tier="2")) == {validated}
    assert set(_filter(scss, status=["certified"])) == {importer, manufacturer}
    assert set(_filter(scss, country="US", entity_type=["importer"])) == {importer}


def test_given_a_connection_that_does_not_share_its_tier_then_filters_do_not_reveal_it(
    importer,
    importer_officer,
    make_partner,
    make_user,
):
    hidden = make_partner(name="Quiet Tier Co", status="validated")
    officer = make_user("partner_officer", organization=hidden.organization)
    c = services.svi_request(actor=importer_officer, target=hidden)
    services.svi_accept(actor=officer, connection=c)
    assert hidden in _filter(importer_officer)
    assert hidden not in _filter(importer_officer, tier="2")
    assert hidden not in _filter(importer_officer, status=["validated"])
    assert hidden in _filter(importer_officer, status=["certified"])  # shown as certified
    assert hidden.shared_status == "certified"
    services.partner_update_svi_settings(
        actor=officer, partner=hidden, auto_accept=False, share_more=True
    )
    assert hidden in _filter(importer_officer, tier="2")
