"""Public citations: the sources users are shown, as title, publisher, date and link.

Data files and records name their source either by a key of ``CITATIONS`` (rendered as the full
citation with its link) or by a citation written out in full (shown as written). Several sources
are separated by ``;``.

Users only ever see public sources: CBP pages and publications, the statute, the Federal
Register. ``internal_reference_problem`` refuses text that names the project's development
material (the domain brief, the seed folder) or a consultant's web site; the data loaders, the
criteria and resources services and a test over every rendered criteria and resources page use
it. Keys are stable (stored in the database): never rename one, only its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = ";"


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    publisher: str
    date: str  # as the source dates itself: "November 2019", "2025-03-18"
    url: str = ""

    def __str__(self) -> str:
        text = f"{self.title}. {self.publisher}, {self.date}."
        return f"{text} {self.url}" if self.url else text


def _c(key: str, title: str, publisher: str, date: str, url: str = "") -> tuple[str, Citation]:
    return key, Citation(key, title, publisher, date, url)


CBP = "U.S. Customs and Border Protection"
CTPAT_GUIDELINES = (
    "https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat/security-guidelines"
)

CITATIONS: dict[str, Citation] = dict(
    [
        # The Minimum Security Criteria tables CBP publishes per business entity type. Links go to
        # CBP's security-guidelines page of the entity type, which publishes its criteria.
        _c(
            "cbp-msc-importers-2019",
            "CTPAT Minimum Security Criteria – U.S. Importers",
            CBP,
            "November 2019",
            f"{CTPAT_GUIDELINES}/importers",
        ),
        _c(
            "cbp-msc-foreign-manufacturers-2019",
            "CTPAT Minimum Security Criteria – Foreign Manufacturers",
            CBP,
            "November 2019",
            f"{CTPAT_GUIDELINES}/foreign-manufacturers",
        ),
        _c(
            "cbp-msc-highway-carriers-2020",
            "CTPAT Minimum Security Criteria – Highway Carriers",
            CBP,
            "March 2020",
            "https://cbp.gov/border-security/ports-entry/cargo-security/ctpat/security-guidelines/"
            "highway-carriers",
        ),
        _c(
            "cbp-msc-mexican-long-haul-2020",
            "CTPAT Minimum Security Criteria – Mexican Long-Haul Highway Carriers "
            "(CTPAT Public Library)",
            CBP,
            "undated",
        ),
        _c(
            "cbp-msc-3pl-2020",
            "CTPAT Minimum Security Criteria – 3PLs (CTPAT Public Library)",
            CBP,
            "March 2020",
        ),
        _c(
            "cbp-csms-41052241",
            "CSMS #41052241 – Update on New Minimum Security Criteria (MSC) for Customs Trade "
            "Partnership Against Terrorism (CTPAT) Members",
            f"{CBP}, Cargo Systems Messaging Service",
            "December 2019",
            "https://content.govdelivery.com/bulletins/gd/USDHSCBP-2726851",
        ),
        # Forced labor.
        _c(
            "cbp-forced-labor",
            "Forced Labor",
            CBP,
            "page updated regularly",
            "https://www.cbp.gov/trade/programs-administration/forced-labor",
        ),
        _c(
            "cbp-fact-sheet-oecd",
            "Fact Sheet: OECD Due Diligence Guidance",
            CBP,
            "undated",
            "https://www.cbp.gov/trade/document/guidance/fact-sheet-oecd-due-diligence-guidance",
        ),
        _c(
            "cbp-fact-sheet-importer-due-diligence",
            "Fact Sheet: Forced Labor – Importer Due Diligence",
            CBP,
            "undated",
            "https://www.cbp.gov/document/fact-sheets/forced-labor-importer-due-diligence",
        ),
        _c(
            "cbp-reasonable-care",
            "What Every Member of the Trade Community Should Know: Reasonable Care",
            CBP,
            "undated",
            "https://www.cbp.gov/document/publications/reasonable-care",
        ),
        _c(
            "cbp-wro-findings",
            "Withhold Release Orders and Findings List",
            CBP,
            "last modified 2025-03-18",
            "https://www.cbp.gov/trade/programs-administration/forced-labor/"
            "withhold-release-orders-and-findings",
        ),
        _c(
            "cbp-wro-findings-dataset",
            "Withhold Release Orders and Findings (dataset)",
            CBP,
            "updated regularly",
            "https://www.cbp.gov/document/stats/withhold-release-orders-findings",
        ),
        _c(
            "cbp-wro-modification-revocation",
            "Forced Labor Modification and Revocation Process",
            CBP,
            "March 2021",
            "https://www.cbp.gov/sites/default/files/assets/documents/2021-Mar/"
            "Final_Modification%20Revocation%20Process%5B5%5D.pdf",
        ),
        _c(
            "dhs-uflpa-entity-list",
            "UFLPA Entity List",
            "U.S. Department of Homeland Security, Forced Labor Enforcement Task Force",
            "updated regularly",
            "https://www.dhs.gov/uflpa-entity-list",
        ),
        _c(
            "19-usc-1307",
            "19 U.S.C. § 1307 – Convict-made goods; importation prohibited",
            "U.S. Code",
            "as amended",
            "https://www.law.cornell.edu/uscode/text/19/1307",
        ),
        # CTPAT Trade Compliance and the program's law.
        _c(
            "cbp-tc-faqs",
            "CTPAT Trade Compliance FAQ's",
            CBP,
            "undated",
            "https://www.cbp.gov/site-page/ctpat-trade-compliance-faqs",
        ),
        _c(
            "cbp-tc-handbook-2022",
            "CTPAT Trade Compliance Handbook 2.0",
            CBP,
            "October 2022",
        ),
        _c(
            "cbp-vtw-ctpat-faqs",
            "CTPAT FAQs from CBP's Virtual Trade Week",
            CBP,
            "undated",
        ),
        _c(
            "6-usc-967",
            "6 U.S.C. § 967 – Consequences for lack of compliance (SAFE Port Act § 217)",
            "U.S. Code",
            "2011 edition",
            "https://law.justia.com/codes/us/2011/title-6/chapter-3/subchapter-ii/part-b/"
            "section-967/",
        ),
    ]
)

# Text users must never see: names of the project's development material and web sites of
# consultants and vendors we read while building (DOMAIN.md lists them); not public sources.
INTERNAL_MARKERS: tuple[str, ...] = ("DOMAIN.md", "DOMAIN §", "shared/", "seed/")
NON_PUBLIC_SOURCE_DOMAINS: tuple[str, ...] = (
    "normanjaspanassociates.com",
    "veroot.com",
    "cmtradelaw.com",
    "strtrade.com",
    "ct-strategies.com",
    "tradewin.net",
    "bsigroup.com",
    "dimerco.com",
    "kambolaw.com",
    "chrobinson.com",
    "v-trust.com",
    "afslaw",
    "blogspot.com",
    "docslib.org",
    "scribd.com",
    "github.com",
)
# The brief's short names for its sources, which mean nothing to users.
INTERNAL_SHORT_NAMES: tuple[str, ...] = (
    "PV-MODAL",
    "SEEDER",
    "DOCSLIB-IMP",
    "PORTAL-UI",
    "TC-HB",
    "TC-FAQ",
)
_SHORT_NAME_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(n) for n in INTERNAL_SHORT_NAMES) + r")(?![\w-])"
)


def internal_reference_problem(text: str) -> str | None:
    """Why ``text`` may not be shown to users (it names internal material), or None."""
    if not text:
        return None
    lowered = text.casefold()
    for marker in INTERNAL_MARKERS:
        if marker.casefold() in lowered:
            return (
                f"The text names internal development material (“{marker}”); cite only public "
                "sources such as CBP pages, the statute or the Federal Register."
            )
    for domain in NON_PUBLIC_SOURCE_DOMAINS:
        if domain in lowered:
            return (
                f"The text cites {domain}, which is not a public government source; cite CBP, "
                "the statute or the Federal Register instead."
            )
    found = _SHORT_NAME_PATTERN.search(text)
    if found:
        return (
            f"The text uses the internal short name “{found.group(1)}”; write the public "
            "source out as a citation instead."
        )
    return None


def split_sources(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(SEPARATOR) if part.strip()]


@dataclass(frozen=True)
class SourceItem:
    """One source as shown: a registered citation, or a citation written out in full."""

    text: str
    citation: Citation | None = None

    @property
    def url(self) -> str:
        return self.citation.url if self.citation else ""


def resolve(value: str) -> list[SourceItem]:
    """The sources named in ``value`` (keys become full citations; other text stays as written)."""
    items = []
    for part in split_sources(value):
        citation = CITATIONS.get(part)
        if citation is not None:
            text = f"{citation.title}. {citation.publisher}, {citation.date}."
            items.append(SourceItem(text, citation))
        else:
            items.append(SourceItem(part))
    return items


def source_problem(value: str) -> str | None:
    """Why a source field's ``value`` cannot be stored for users to see, or None."""
    return internal_reference_problem(value)
