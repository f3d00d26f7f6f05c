"""The Minimum Security Criteria catalog, versioned.

* ``CriteriaVersion`` — one edition of the catalog: a draft CBP admins edit, then published.
  The newest published version is current; older ones stay readable, unchanged, forever, so an
  answer that records the version (and criterion) it answered can always be shown as asked.
* ``Criterion`` — one criterion as one version states it (ID, category, text, guidance, tags,
  program, the business entity types whose table lists it).
* ``CriterionRequirement`` — a dated period in which the criterion is a must or a should
  (3.9: should until 2022-12-31, must from 2023-01-01). ``rules.py`` reads them.

Criteria are public reference data: every signed-in user reads published versions; drafts are
for CBP staff until they are published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import AuditedModel, PublicIdModel

from . import rules
from .catalog import SOURCE_MAX_LENGTH
from .choices import FOCUS_AREA_BY_CATEGORY, Category, FocusArea, Level, Program, VersionStatus
from .loading import CRITERION_ID_PREFIX, VERSION_ID_PREFIX


class CriteriaVersion(PublicIdModel):
    """One edition of the criteria catalog."""

    PUBLIC_ID_PREFIX = VERSION_ID_PREFIX

    label = models.CharField(
        max_length=120, unique=True, help_text='e.g. "2019-11 (importer)" or "2023-01".'
    )
    number = models.PositiveIntegerField(
        null=True,
        blank=True,
        unique=True,
        help_text="1, 2, 3 ... in publication order; empty while a draft.",
    )
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafts_based_on",
        help_text="The published version this one was copied from.",
    )
    notes = models.TextField(blank=True, help_text="What this version changes and why.")
    partial_entity_types = models.JSONField(
        default=list,
        null=True,
        blank=True,
        help_text="Business entity types whose table in this version holds only some of CBP's "
        "rows (CBP publishes the full table in the CTPAT Public Library).",
    )
    source = models.CharField(
        max_length=SOURCE_MAX_LENGTH, blank=True, help_text="Catalog file it was loaded from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = [models.F("number").desc(nulls_first=True), "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT, number__isnull=True)
                | Q(status=VersionStatus.PUBLISHED, number__isnull=False),
                name="criteria_version_number_iff_published",
            ),
            # One draft at a time: edits never have to be merged.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=VersionStatus.DRAFT),
                name="criteria_version_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Criteria {self.label}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def table_is_partial(self, entity_type: str) -> bool:
        return entity_type in (self.partial_entity_types or ())

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """Published versions: everyone signed in. Drafts: CBP staff; only admins edit them."""
        if action != "view":
            return (
                Q(status=VersionStatus.DRAFT) if roles.has_perm(viewer, "criteria.edit") else False
            )
        if roles.has_perm(viewer, "criteria.view_drafts"):
            return True
        return Q(status=VersionStatus.PUBLISHED)


class Criterion(PublicIdModel):
    """One criterion as one version states it."""

    PUBLIC_ID_PREFIX = CRITERION_ID_PREFIX

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="criteria")
    msc_id = models.CharField(
        "Criterion ID", max_length=rules.MSC_ID_MAX_LENGTH, help_text="e.g. 3.9"
    )
    sort_key = models.CharField(max_length=32, editable=False, help_text="3.10 after 3.9.")
    category = models.PositiveSmallIntegerField(choices=Category.choices)
    text = models.TextField()
    guidance = models.TextField("Implementation guidance", blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="choices.Tag values.")
    program = models.CharField(max_length=24, choices=Program.choices, default=Program.SECURITY)
    entity_types = models.JSONField(
        default=list, help_text="Business entity types whose table lists this criterion."
    )
    text_is_summary = models.BooleanField(
        default=True, help_text="The text is our summary, not CBP's wording."
    )
    source = models.CharField(max_length=SOURCE_MAX_LENGTH, blank=True)
    notes = models.TextField(blank=True, help_text="Inconsistencies between sources, inferences.")

    class Meta:
        ordering = ["version_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "msc_id"], name="criterion_unique_id")
        ]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return f"MSC {self.msc_id}"

    def save(self, *args, **kwargs):
        self.sort_key = rules.msc_sort_text(self.msc_id)
        super().save(*args, **kwargs)

    @property
    def focus_area(self) -> str:
        return FOCUS_AREA_BY_CATEGORY[self.category]

    def get_focus_area_display(self) -> str:
        return str(FocusArea(self.focus_area).label)

    def periods(self) -> tuple[rules.Period, ...]:
        """The requirement periods (use ``prefetch_related("requirements")`` for lists)."""
        return tuple(
            rules.Period(r.level, r.effective_from, r.effective_to)
            for r in sorted(self.requirements.all(), key=lambda r: r.effective_from)
        )

    def snapshot(self) -> rules.CriterionSnapshot:
        return rules.CriterionSnapshot(
            msc_id=self.msc_id,
            category=self.category,
            text=self.text,
            periods=self.periods(),
            entity_types=tuple(self.entity_types),
            guidance=self.guidance,
            tags=tuple(self.tags),
            program=self.program,
            text_is_summary=self.text_is_summary,
            source=self.source,
            notes=self.notes,
        )

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if action != "view":
            if roles.has_perm(viewer, "criteria.edit"):
                return Q(version__status=VersionStatus.DRAFT)
            return False
        if roles.has_perm(viewer, "criteria.view_drafts"):
            return True
        return Q(version__status=VersionStatus.PUBLISHED)


class CriterionRequirement(AuditedModel):
    """A period in which a criterion is a must or a should; ``effective_to`` is inclusive."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="requirements")
    level = models.CharField(max_length=8, choices=Level.choices)
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="Last day of the period; empty = until further notice."
    )

    class Meta:
        ordering = ["criterion", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="criterion_requirement_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["criterion", "effective_from"], name="criterion_requirement_unique_start"
            ),
        ]

    def __str__(self) -> str:
        until = f" to {self.effective_to}" if self.effective_to else ""
        return f"{self.criterion}: {self.level} from {self.effective_from}{until}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if action != "view":
            if roles.has_perm(viewer, "criteria.edit"):
                return Q(criterion__version__status=VersionStatus.DRAFT)
            return False
        if roles.has_perm(viewer, "criteria.view_drafts"):
            return True
        return Q(criterion__version__status=VersionStatus.PUBLISHED)
