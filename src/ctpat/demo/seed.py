"""The demo data set, built through the same services as real use (so it is all audited).

Dates are relative to today so the dashboard always has something due: a review window that
is open, an applicant waiting, a suspension clock running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ctpat.accounts.choices import OrganizationKind, Role
from ctpat.accounts.models import Organization, User
from ctpat.accounts.services import organization_create, totp_device_create_confirmed, user_create
from ctpat.partners import services as partner_services

DEMO_PASSWORD = "ctpat-demo-password"
# Apps that add to the demo: dotted paths to ``seed(ctx: DemoContext) -> None``, run in order
# after the core data set, in the same transaction, through the apps' own services.
EXTENSIONS: tuple[str, ...] = (
    # First: suspends Tejidos de Puebla (the other apps' demos see it suspended, as before).
    "ctpat.enforcement.demo.seed",
    "ctpat.resources.demo.seed",
    "ctpat.profiles.demo.seed",
    "ctpat.annualnotices.demo.seed",
    "ctpat.tradecompliance.demo.seed",
    # Keep last: publishes criteria version 2 after the apps' profiles answered version 1.
    "ctpat.criteria.demo.seed",
)
CBP_OFFICE = "U.S. Customs and Border Protection — CTPAT Office (demo)"


@dataclass(frozen=True)
class DemoContext:
    """What the core demo made, for the apps that add to it."""

    today: date
    cbp: Organization
    cbp_users: dict  # role -> User
    partners: dict  # DemoPartner.key -> Partner
    officers: dict  # DemoPartner.key -> partner officer User
    password: str = DEMO_PASSWORD


def register_validated_importer(
    ctx: DemoContext,
    *,
    key: str,
    name: str,
    identifiers: list[tuple[str, str]],
    city: str,
    contact: str,
    days_ago: tuple[int, int, int, int],
):
    """A U.S. importer for an app's demo, validated (Tier II) through the services, with its
    officer ``<key>.officer``. ``days_ago``: registered, applied, certified, validated."""
    admin = ctx.cbp_users[Role.CBP_ADMIN]
    scss = ctx.cbp_users[Role.SCSS]
    registered, applied, certified, validated = days_ago
    partner = partner_services.partner_register(
        actor=admin,
        name=name,
        entity_type="importer",
        country="US",
        identifiers=identifiers,
        city=city,
        primary_contact_name=contact,
        primary_contact_email=f"compliance@{key}.demo.invalid",
        registered_on=ctx.today - timedelta(days=registered),
    )
    for status, days in (
        ("applicant", applied),
        ("certified", certified),
        ("validated", validated),
    ):
        partner = partner_services.partner_transition(
            actor=scss,
            partner=partner,
            target=status,
            reason="Demo history.",
            effective_date=ctx.today - timedelta(days=days),
        )
    officer = user_create(
        actor=admin,
        organization=partner.organization,
        username=f"{key}.officer",
        email=f"officer@{key}.demo.invalid",
        role=Role.PARTNER_OFFICER,
        password=ctx.password,
        first_name=contact.split()[0],
        last_name=contact.split()[-1],
    )
    return partner, officer


@dataclass(frozen=True)
class DemoPartner:
    key: str
    name: str
    entity_type: str
    country: str
    city: str
    identifiers: tuple[tuple[str, str], ...]
    # (status, days before today) steps from pre-applicant
    path: tuple[tuple[str, int], ...]
    contact: str
    auto_accept: bool = False
    share_more: bool = False


PARTNERS = (
    DemoPartner(
        "harbor",
        "Harbor Lane Home Goods Inc.",
        "importer",
        "US",
        "Savannah, GA",
        (("ior", "58-123456700"), ("bond", "QB2024731")),
        (("applicant", 2620), ("certified", 2555), ("validated", 2200), ("tier_iii", 900)),
        "Dana Whitfield",
        share_more=True,
    ),
    DemoPartner(
        "maple",
        "Maple Leaf Outfitters Ltd.",
        "importer",
        "CA",
        "Toronto, ON",
        (("ior", "181234-56789"), ("bond", "CB1188420")),
        (("applicant", 1160), ("certified", 1075), ("validated", 700)),
        "Étienne Roy",
    ),
    DemoPartner(
        "norte",
        "Transportes del Norte S.A. de C.V.",
        "highway_carrier_us_mexico",
        "MX",
        "Nuevo Laredo, TAM",
        (("scac", "TNRT"), ("dot", "2876543")),
        (("applicant", 500), ("certified", 430)),
        "María Fernanda Ochoa",
        auto_accept=True,
    ),
    # Foreign manufacturers join from Mexico or Canada (CBP "Foreign Manufacturers" page);
    # overseas factories are facilities in importers' supply chains, not program members.
    DemoPartner(
        "bajio",
        "Textiles del Bajío S.A. de C.V.",
        "foreign_manufacturer",
        "MX",
        "León, GTO",
        (("mid", "MXTEXDEL88LEO"),),
        (("applicant", 1500), ("certified", 1440), ("validated", 1000)),
        "Alejandra Ruiz",
    ),
    DemoPartner(
        "laurentian",
        "Laurentian Precision Furniture Inc.",
        "foreign_manufacturer",
        "CA",
        "Drummondville, QC",
        (("mid", "XQLAUPRE12DRU"),),
        (("applicant", 35),),
        "Geneviève Lavoie",
    ),
    DemoPartner(
        "puebla",
        "Tejidos de Puebla S.A. de C.V.",
        "foreign_manufacturer",
        "MX",
        "Puebla, PUE",
        (("mid", "MXTEJDEP7PUE"),),
        # Suspended 20 days ago with a letter and required actions by ``enforcement.demo``.
        (("applicant", 1200), ("certified", 1130)),
        "Rafael Domínguez",
    ),
    DemoPartner(
        "gulf",
        "Gulf Coast Customs Brokerage LLC",
        "customs_broker",
        "US",
        "Houston, TX",
        (("broker_license", "31457"), ("filer_code", "G7C")),
        (("applicant", 800), ("certified", 300)),
        "Marcus Bell",
        share_more=True,
    ),
    DemoPartner(
        "pacific",
        "Pacific Bridge Logistics Inc.",
        "consolidator",
        "US",
        "Long Beach, CA",
        (("fmc", "024681"), ("bond", "PB5551234")),
        (),
        "Grace Lin",
    ),
)

CBP_USERS = (
    ("cbp.admin", Role.CBP_ADMIN, "Pat", "Morgan"),
    ("cbp.scss", Role.SCSS, "Jordan", "Alvarez"),
    ("cbp.nam", Role.NAM, "Casey", "Nguyen"),
    ("cbp.fld", Role.FLD_REVIEWER, "Robin", "Okafor"),
)


def _reason(status: str) -> str:
    return {
        "applicant": "Company and security profiles submitted.",
        "certified": "Security profile approved and vetting completed.",
        "validated": "Validation visit completed with no required actions.",
        "tier_iii": "Exceeds the minimum security criteria (best practices verified).",
        "suspended": "Annual security-profile review not completed.",
    }.get(status, "Demo")


@transaction.atomic
def load_demo() -> bool:
    """Load the demo data set once. Returns False if it is already there."""
    if Organization.objects.filter(name=CBP_OFFICE).exists():
        return False
    today = timezone.localdate()
    cbp = organization_create(actor=None, name=CBP_OFFICE, kind=OrganizationKind.CBP, country="US")
    admin = None
    for username, role, first, last in CBP_USERS:
        user = user_create(
            actor=None,
            organization=cbp,
            username=username,
            email=f"{username}@cbp.demo.invalid",
            role=role,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        totp_device_create_confirmed(actor=None, user=user)
        if role == Role.CBP_ADMIN:
            admin = user
    scss = User.objects.get(username="cbp.scss")

    partners = {}
    officers = {}
    for spec in PARTNERS:
        partner = partner_services.partner_register(
            actor=admin,
            name=spec.name,
            entity_type=spec.entity_type,
            country=spec.country,
            identifiers=list(spec.identifiers),
            city=spec.city,
            primary_contact_name=spec.contact,
            primary_contact_email=f"compliance@{spec.key}.demo.invalid",
            registered_on=today - timedelta(days=(spec.path[0][1] + 30) if spec.path else 10),
        )
        for status, days_ago in spec.path:
            partner = partner_services.partner_transition(
                actor=scss,
                partner=partner,
                target=status,
                reason=_reason(status),
                effective_date=today - timedelta(days=days_ago),
            )
        partner_services.partner_assign_scss(actor=admin, partner=partner, scss=scss)
        officer = user_create(
            actor=admin,
            organization=partner.organization,
            username=f"{spec.key}.officer",
            email=f"officer@{spec.key}.demo.invalid",
            role=Role.PARTNER_OFFICER,
            password=DEMO_PASSWORD,
            first_name=spec.contact.split()[0],
            last_name=spec.contact.split()[-1],
        )
        officers[spec.key] = officer
        partner_services.partner_update_svi_settings(
            actor=officer,
            partner=partner,
            auto_accept=spec.auto_accept,
            share_more=spec.share_more,
            directory_listed=spec.key != "puebla",
        )
        partners[spec.key] = partner

    # Harbor Lane was revalidated last year, so its next revalidation is years away.
    partner_services.partner_record_validation(
        actor=scss,
        partner=partners["harbor"],
        validated_on=today - timedelta(days=400),
        reason="Revalidation visit completed.",
    )
    user_create(
        actor=admin,
        organization=partners["harbor"].organization,
        username="harbor.compliance",
        email="compliance.user@harbor.demo.invalid",
        role=Role.PARTNER_COMPLIANCE,
        password=DEMO_PASSWORD,
        first_name="Sam",
        last_name="Ortiz",
    )

    audit_firm = organization_create(
        actor=admin,
        name="Meridian Social Audits (demo)",
        kind=OrganizationKind.AUDIT_FIRM,
        country="GB",
    )
    user_create(
        actor=admin,
        organization=audit_firm,
        username="auditor.meridian",
        email="auditor@meridian.demo.invalid",
        role=Role.AUDITOR,
        password=DEMO_PASSWORD,
        first_name="Alex",
        last_name="Turner",
    )
    mra = organization_create(
        actor=admin,
        name="Canada Border Services Agency — PIP (demo)",
        kind=OrganizationKind.MRA_CUSTOMS,
        country="CA",
        program_name="Partners in Protection",
    )
    user_create(
        actor=admin,
        organization=mra,
        username="mra.cbsa",
        email="reviewer@cbsa.demo.invalid",
        role=Role.MRA_REVIEWER,
        password=DEMO_PASSWORD,
        first_name="Jean",
        last_name="Tremblay",
    )

    # Status verification: two accepted links, one auto-accepted, one waiting, one refused.
    c = partner_services.svi_request(
        actor=officers["harbor"],
        target=partners["bajio"],
        message="Annual business-partner screening.",
    )
    partner_services.svi_accept(actor=officers["bajio"], connection=c)
    partner_services.svi_request(actor=officers["harbor"], target=partners["norte"])  # auto
    c = partner_services.svi_request(actor=officers["gulf"], target=partners["harbor"])
    partner_services.svi_accept(actor=officers["harbor"], connection=c)
    partner_services.svi_request(
        actor=officers["maple"],
        target=partners["harbor"],
        message="We share a carrier; please connect.",
    )
    c = partner_services.svi_request(actor=officers["norte"], target=partners["maple"])
    partner_services.svi_reject(
        actor=officers["maple"], connection=c, reason="No business relationship."
    )
    partner_services.certification_request_send(
        actor=officers["harbor"],
        company_name="Cerámica Talavera de Puebla S.A.",
        email="export@talavera.demo.invalid",
        message="We ask our suppliers to consider joining CTPAT.",
    )
    # CBP invites a foreign-based terminal operator (it may join only by invitation).
    partner_services.invitation_create(
        actor=admin,
        entity_type="foreign_marine_port_terminal_operator",
        country="HN",
        company_name="Operadora Portuaria Centroamericana S.A.",
        reason="Handles a large share of apparel cargo bound for U.S. ports.",
    )
    ctx = DemoContext(
        today=today,
        cbp=cbp,
        cbp_users={u.role: u for u in User.objects.filter(organization=cbp)},
        partners=partners,
        officers=officers,
    )
    for path in EXTENSIONS:
        import_string(path)(ctx)
    return True


def demo_logins() -> list[dict]:
    """Every demo user: the core data set's in their order, then those the apps' demos added
    (they use the same password), by user name."""
    users = User.objects.select_related("organization")
    order = {name: i for i, name in enumerate(_demo_usernames())}
    rows = []
    for user in sorted(users, key=lambda u: (order.get(u.username, len(order)), u.username)):
        rows.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "role_label": f"{user.role_label} — {user.organization}",
                "two_factor": user.needs_two_factor,
            }
        )
    return rows


def _demo_usernames() -> list[str]:
    names = [u[0] for u in CBP_USERS]
    names += [f"{p.key}.officer" for p in PARTNERS]
    names += ["harbor.compliance", "auditor.meridian", "mra.cbsa"]
    return names


def is_demo_database() -> bool:
    return Organization.objects.filter(name=CBP_OFFICE).exists()


def current_totp(username: str) -> str | None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


def certification_date_of(key: str) -> date | None:
    from ctpat.partners.models import Partner

    spec = next(p for p in PARTNERS if p.key == key)
    partner = Partner.objects.filter(organization__name=spec.name).first()
    return partner.certification_date if partner else None
