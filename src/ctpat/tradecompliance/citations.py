"""The public sources of the Trade Compliance rules and questions, as users see them.

Users see only public sources, as real citations (title, publisher, date, link): CBP pages, the
Federal Register, the information collection CBP filed with OMB. The brief the rules were built
from (DOMAIN.md §2, §7.4) also read trade-press and consultant pages; those stay in code comments
and never reach a page (``ctpat.core.citations.internal_reference_problem`` is the check).
"""

from __future__ import annotations

from ctpat.core.citations import CBP, CITATIONS, Citation

CTPAT_GUIDELINES = (
    "https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat/security-guidelines"
)

TC_FAQS = CITATIONS["cbp-tc-faqs"]
# DOMAIN.md §7.4 [V]: the exact CBP wording of the debt condition, on CBP's eligibility pages.
CBP_DEBT_PAGE = Citation(
    "tc-cbp-debt-wording",
    "Marine Port Authority and Terminal Operators – eligibility requirements",
    CBP,
    "undated",
    f"{CTPAT_GUIDELINES}/marine-port-authority-terminal-operators",
)
CBP_IMPORTERS_PAGE = Citation(
    "tc-cbp-importers",
    "Importers – eligibility requirements",
    CBP,
    "undated",
    f"{CTPAT_GUIDELINES}/importers",
)
# DOMAIN.md §7.4 [V]: "only available for U.S. and nonresident Canadian importers".
OMB_1651_0077 = Citation(
    "tc-omb-1651-0077",
    "Supporting Statement, CTPAT information collection (OMB 1651-0077), ICR 202204-1651-001",
    f"{CBP}, filed with the Office of Management and Budget",
    "April 2022",
    "https://www.reginfo.gov/public/do/PRAViewICR?ref_nbr=202204-1651-001",
)
# DOMAIN.md §2.1 [V]: ISA launched with two years of import experience, MOU + questionnaire.
FR_ISA_2002 = Citation(
    "tc-fr-isa-2002",
    "Importer Self-Assessment Program, 67 FR 41298",
    "Federal Register",
    "17 June 2002",
    "https://www.govinfo.gov/app/details/FR-2002-06-17",
)
# DOMAIN.md §2.4, §7.4: the handbook holds the program's requirements (Tier II/III membership,
# forced-labor requirements and their deadline for existing members); not retrievable in full.
TC_HANDBOOK = Citation(
    "tc-handbook-2",
    "CTPAT Trade Compliance Handbook 2.0",
    CBP,
    "October 2022",
)
TC_PORTAL_MANUAL = Citation(
    "tc-portal-manual",
    "Trade Compliance Portal 3.0 Manual – Application and Annual Notification Letter processes "
    "(Pub. 5018-0525)",
    CBP,
    "May 2025",
)
FORCED_LABOR = CITATIONS["cbp-forced-labor"]
STATUTE = CITATIONS["6-usc-967"]


def cite(*citations: Citation) -> str:
    """Citations as one line of text ("Title. Publisher, date. link; …")."""
    return "; ".join(str(c) for c in citations)


# Sources shown for each questionnaire section (whatever a stored version's own notes say).
SECTION_CITATIONS: dict[str, tuple[Citation, ...]] = {
    "eligibility": (TC_FAQS, CBP_IMPORTERS_PAGE, CBP_DEBT_PAGE, OMB_1651_0077, TC_PORTAL_MANUAL),
    "internal_controls": (FR_ISA_2002, TC_HANDBOOK),
    "forced_labor": (
        FORCED_LABOR,
        CITATIONS["cbp-fact-sheet-importer-due-diligence"],
        CITATIONS["cbp-fact-sheet-oecd"],
        TC_HANDBOOK,
    ),
    "mou": (TC_FAQS, FR_ISA_2002, TC_HANDBOOK),
}

# DOMAIN.md §7.4 [V-secondary]: CBP announced the forced-labor requirements on 1 Aug 2022
# (existing members until 1 Aug 2023; new applicants at application). The reports we read are a
# law firm's and a forwarder's pages (cmtradelaw.com 2022-11, chrobinson.com 2022-08-17): not
# public government sources, so users see CBP's announcement and Handbook, without a link (no
# CBP page of the announcement was found).
CBP_FORCED_LABOR_ANNOUNCEMENT = Citation(
    "tc-forced-labor-2022",
    "CTPAT Trade Compliance forced labor requirements",
    CBP,
    "Aug. 1, 2022",
)
FORCED_LABOR_OBLIGATION_CITATIONS: tuple[Citation, ...] = (
    CBP_FORCED_LABOR_ANNOUNCEMENT,
    TC_HANDBOOK,
    FORCED_LABOR,
)
