"""The application's rules as pure functions: the state machine, the public address, what is
missing per step, versions, reuse."""

from __future__ import annotations

import pytest

from ctpat.tradecompliance import rules

LEGAL = [
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "under_review"),
    ("under_review", "information_requested"),
    ("information_requested", "response_submitted"),
    ("response_submitted", "information_requested"),
    ("response_submitted", "approved"),
    ("under_review", "denied"),
    ("information_requested", "withdrawn"),
]
ILLEGAL = [
    ("draft", "approved"),
    ("submitted", "approved"),
    ("submitted", "information_requested"),
    ("information_requested", "approved"),
    ("approved", "withdrawn"),
    ("denied", "submitted"),
    ("withdrawn", "draft"),
    ("approved", "denied"),
]


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_moves_are_allowed(current, target):
    assert rules.application_transition_decision(current, target).allowed


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_moves_are_refused_with_a_code(current, target):
    decision = rules.application_transition_decision(current, target)
    assert not decision.allowed and decision.code == "illegal_transition"


def test_decided_applications_go_nowhere():
    for status in rules.DECIDED_STATUSES:
        assert rules.APPLICATION_TRANSITIONS[status] == frozenset()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.example.com/code-of-conduct", True),
        ("https://example.org", True),
        ("http://www.example.com/code", False),
        ("ftp://example.com/code", False),
        ("https://localhost/code", False),
        ("https://intranet/code", False),
        ("https://user:pw@example.com/", False),
        ("https://exa mple.com/", False),
        ("javascript:alert(1)", False),
        ("", False),
        ("https://" + "a" * 500 + ".com", False),
    ],
)
def test_the_code_of_conduct_address_must_be_public_https(url, ok):
    assert rules.is_public_https_url(url) is ok


def _q(code, section, answer_type, number=1):
    return rules.QuestionFacts(code, number, section, answer_type, True)


def test_missing_items_are_listed_step_by_step():
    questions = [
        _q("ELIG-01", "eligibility", "yes_no"),
        _q("IC-ORG", "internal_controls", "text"),
        _q("FL-CODE", "forced_labor", "document"),
        _q("MOU-AGREE", "mou", "acknowledgement"),
    ]
    missing = rules.application_missing(
        questions=questions,
        answers={"ELIG-01": False, "IC-ORG": "  "},
        document_codes=[],
        public_urls={"FL-CODE": "http://x.example.com"},
        ior_count=0,
        mou_signed=False,
    )
    assert [(m.step, m.code) for m in missing] == [
        ("eligibility", "ELIG-01"),
        ("iors", "IOR"),
        ("internal_controls", "IC-ORG"),
        ("forced_labor", "FL-CODE"),
        ("forced_labor", "FL-CODE"),
        ("mou", "MOU-AGREE"),
        ("mou", "MOU-SIGNATURE"),
    ]
    assert "answered No" in missing[0].message


def test_a_complete_application_misses_nothing():
    questions = [_q("ELIG-01", "eligibility", "yes_no"), _q("FL-CODE", "forced_labor", "document")]
    assert (
        rules.application_missing(
            questions=questions,
            answers={"ELIG-01": True},
            document_codes=["FL-CODE"],
            public_urls={"FL-CODE": "https://www.example.com/code"},
            ior_count=1,
            mou_signed=True,
        )
        == []
    )


def test_a_no_outside_the_eligibility_section_is_an_answer_not_a_gap():
    # Only eligibility questions must be Yes (DOMAIN.md §2.2); a No to a forced-labor yes/no
    # question is the company's answer and CBP weighs it, so it does not block submission.
    questions = [
        _q("ELIG-01", "eligibility", "yes_no"),
        _q("FL-MAPPING", "forced_labor", "yes_no", number=2),
        _q("IC-SEG", "internal_controls", "yes_no", number=3),
    ]
    missing = rules.application_missing(
        questions=questions,
        answers={"ELIG-01": True, "FL-MAPPING": False, "IC-SEG": False},
        document_codes=[],
        public_urls={},
        ior_count=1,
        mou_signed=True,
    )
    assert missing == []


def test_answers_follow_their_codes_to_a_new_version():
    assert rules.codes_carried_over(["A", "B", "C"], ["B", "C", "D"]) == {
        "kept": {"B", "C"},
        "dropped": {"A"},
        "new": {"D"},
    }


@pytest.mark.parametrize(
    ("answer_type", "answer", "narrative", "expected"),
    [
        ("yes_no", "yes", "", True),
        ("yes_no", "yes_best_practice", "", True),
        ("yes_no", "no", "", False),
        ("yes_no", "not_applicable", "", None),
        ("text", "yes", "We train suppliers.", "We train suppliers."),
        ("text", "yes", "  ", None),
        ("document", "yes", "text", None),
    ],
)
def test_what_a_security_profile_answer_gives(answer_type, answer, narrative, expected):
    assert rules.reused_value(answer_type, answer, narrative) == expected


def test_uploads_never_reuse_and_only_answered_criteria_are_offered():
    assert rules.reusable_msc_ids(["3.9"], ["3.9"], "document") == []
    assert rules.reusable_msc_ids(["3.9", "2.2"], ["3.9"], "text") == ["3.9"]
