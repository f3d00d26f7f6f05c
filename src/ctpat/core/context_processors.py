"""The primary navigation, built from the viewer's role."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from ctpat.core import permissions

DEMO_NOTICE = (
    "This is a demonstration installation with made-up companies and shared demo passwords. "
    "Do not enter real data."
)


def navigation(request):
    context = {"site_notice": DEMO_NOTICE if settings.DEMO_MODE else ""}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**context, "nav_items": [], "secondary_items": []}
    if permissions.requires_two_factor(user) and not user.is_verified():
        return {**context, "nav_items": [], "secondary_items": []}
    items = [("Dashboard", "dashboard"), ("Partners", "partners:list")]
    items.append(("Criteria", "criteria:catalog"))  # public reference data: everyone signed in
    items.append(("Resources", "resources:list"))  # the resources library: everyone signed in
    if permissions.has_perm(user, "profile.view_all") or permissions.has_perm(
        user, "profile.answer_own"
    ):
        items.append(("Security profile", "profiles:home"))
    if permissions.is_partner_user(user):
        items.append(("Status verification", "partners:svi"))
    if permissions.has_perm(user, "tradecompliance.application_view_all") or permissions.has_perm(
        user, "tradecompliance.application_edit"
    ):
        items.append(("Trade Compliance", "tradecompliance:applications"))
    if permissions.has_perm(user, "anl.view_all"):
        items.append(("Annual notifications", "annualnotices:overview"))
    elif permissions.has_perm(user, "anl.own"):
        from ctpat.annualnotices.selectors import membership_for_user

        if membership_for_user(user) is not None:  # only Trade Compliance members file letters
            items.append(("Annual notification", "annualnotices:mine"))
    if permissions.has_perm(user, "audit.view_all"):
        items.append(("Audit log", "core:audit_log"))
    # Personal settings sit with the account, not in the program navigation.
    secondary = [("API tokens", "accounts:tokens")]
    if permissions.has_perm(user, "user.manage"):
        secondary.insert(0, ("Users", "accounts:users"))
    path = request.path
    urls = [(label, reverse(name)) for label, name in items + secondary]
    # The longest matching prefix wins: /partners/svi/ is "Status verification", not "Partners".
    matches = [url for _, url in urls if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    links = [{"label": label, "url": url, "active": url == current} for label, url in urls]
    return {
        **context,
        "nav_items": links[: len(items)],
        "secondary_items": links[len(items) :],
    }
