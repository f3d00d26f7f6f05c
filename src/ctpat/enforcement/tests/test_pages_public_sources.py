"""Suspension and appeal pages show only public sources, and label the policy choices."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat.core.citations import internal_reference_problem
from ctpat.enforcement import selectors, services
from ctpat.testing import make_partner

from .factories import suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_every_suspension_and_appeal_page_cites_only_public_sources(login, cbp_admin, scss):
    partner, officer, case = suspended_member(days_ago=3)
    change = selectors.current_decision(partner, today=timezone.localdate()).change
    appeal = services.appeal_file(actor=officer, partner=partner, change=change, grounds="No.")
    other = make_partner(entity_type="importer", country="US", status="certified")
    pages = {
        officer: [
            reverse("enforcement:home"),
            reverse("enforcement:case_detail", args=[case.public_id]),
            reverse("enforcement:case_answer", args=[case.public_id]),
            reverse("enforcement:appeal_detail", args=[appeal.public_id]),
        ],
        scss: [reverse("enforcement:suspend", args=[other.public_id])],
        cbp_admin: [
            reverse("enforcement:home"),
            reverse("enforcement:case_detail", args=[case.public_id]),
            reverse("enforcement:remove", args=[other.public_id]),
            reverse("enforcement:appeal_detail", args=[appeal.public_id]),
        ],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert internal_reference_problem(html) is None, (url, internal_reference_problem(html))
            if "window to answer" in html:
                assert "is a policy choice of this installation" in html, url
