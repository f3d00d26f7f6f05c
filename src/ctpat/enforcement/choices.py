"""Stable choice values of suspension cases and appeals (never rename a value, only a label)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequiredAction(models.TextChoices):
    """Conditions for reinstatement CBP picks when it suspends a member.

    source: trucknews.com "US Customs outlines C-TPAT enforcement and appeal rules" (CBP's 2013
    process as reported), DOMAIN.md §7.2.
    """

    CORRECTIVE_ACTION_PLAN = (
        "corrective_action_plan",
        _("Submit a corrective-action plan with objectives and time frames"),
    )
    UNANNOUNCED_VISITS = "unannounced_visits", _("Consent to unannounced visits by CBP")
    VULNERABILITIES_ADDRESSED = (
        "vulnerabilities_addressed",
        _("Address every vulnerability found in the failed validation"),
    )


# The key under which an answer to CBP's free-text required actions is stored.
OTHER_ACTIONS = "other_actions"


class CaseState(models.TextChoices):
    OPEN = "open", _("Awaiting the member's answer")
    ANSWERED = "answered", _("Answered; CBP is reviewing")
    REINSTATED = "reinstated", _("Reinstated")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_CASE_STATES = (CaseState.OPEN, CaseState.ANSWERED)


class DecisionKind(models.TextChoices):
    """The decision appealed: a status change CBP made, or a denied application."""

    SUSPENSION = "suspension", _("Suspension")
    REMOVAL = "removal", _("Removal")
    DENIAL = "denial", _("Denial of the application")


class AppealSubject(models.TextChoices):
    """What the appealed decision is about (which record carries it).

    6 U.S.C. 967(c)(1) gives an appeal of "a denial or revocation of benefits": the Security
    membership's suspension or removal, and in Trade Compliance the denial of an application and
    the suspension or removal of a membership (DOMAIN.md §7.1).
    """

    SECURITY_MEMBERSHIP = "security_membership", _("CTPAT Security membership")
    TC_APPLICATION = "tc_application", _("Trade Compliance application")
    TC_MEMBERSHIP = "tc_membership", _("Trade Compliance membership")


class AppealBasis(models.TextChoices):
    """Which paragraph of 6 U.S.C. 967 the decision rests on (it sets the filing window)."""

    BENEFITS = "benefits", _("Denial or revocation of benefits (6 U.S.C. 967(a))")
    FALSE_INFORMATION = (
        "false_information",
        _("Suspension or expulsion for false or misleading information (6 U.S.C. 967(b))"),
    )


class AppealState(models.TextChoices):
    FILED = "filed", _("Filed; awaiting CBP's decision")
    DECIDED = "decided", _("Decided")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld (the decision stands)")
    REVERSED = "reversed", _("Reversed (the status before the decision is restored)")
    MODIFIED = "modified", _("Modified (CBP sets the resulting status)")


# What the outcomes do to a denied Trade Compliance application (shown on the decision form).
TC_APPLICATION_OUTCOME_HELP = {
    "upheld": _("Upheld: the denial stands."),
    "reversed": _(
        "Reversed: the application is approved and the company becomes a Trade Compliance "
        "member with an account number."
    ),
    "modified": _(
        "Modified: the application goes back under review with the assigned National Account "
        "Manager, with your reason as instructions."
    ),
}
