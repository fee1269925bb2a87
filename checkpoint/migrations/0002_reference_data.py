"""Reference data held as data: excluded categories, pathways, the offence catalogue and the
two shipped scheme profiles (Durham Checkpoint v1, published; the PCSC Act 2022 diversionary
caution v1, a draft until Part 6 is in force). Administrators edit these in the admin; a change
of scheme policy is a new version. Reversible: the reverse removes exactly these rows.
"""

from datetime import date

from django.db import migrations

EXCLUDED = [
    ("serious-violence", "Serious violence"),
    ("sexual", "Sexual offences"),
    ("domestic-abuse", "Domestic abuse"),
    ("hate-crime", "Hate crime"),
    ("driving", "Driving offences"),
]

PATHWAYS = [
    ("accommodation", "Accommodation"),
    ("ete", "Education, training and employment"),
    ("finance", "Finance, benefits and debt"),
    ("physical-health", "Physical health"),
    ("mental-health", "Mental health"),
    ("drugs", "Drugs"),
    ("alcohol", "Alcohol"),
    ("family", "Family and relationships (including children affected)"),
    ("attitudes", "Attitudes, thinking and behaviour"),
    ("domestic-abuse", "Domestic abuse (as victim or perpetrator)"),
    ("exploitation", "Sex work and exploitation"),
    ("veterans", "Military veteran needs"),
]

SO, EW, IO = "summary_only", "either_way", "indictable_only"
# (code, title, class, default gravity, excluded category, usually has a victim)
OFFENCES = [
    ("THEFT-SHOP", "Theft from a shop", EW, 2, None, True),
    ("THEFT-OTHER", "Theft (other)", EW, 2, None, True),
    ("BURGLARY-COM", "Burglary (non-dwelling)", EW, 3, None, True),
    ("HANDLING", "Handling stolen goods", EW, 2, None, False),
    ("MAKING-OFF", "Making off without payment", EW, 1, None, True),
    ("FRAUD-FALSE-REP", "Fraud by false representation", EW, 2, None, True),
    ("CRIM-DAMAGE", "Criminal damage (value under £5,000)", EW, 2, None, True),
    ("COMMON-ASSAULT", "Common assault", SO, 2, None, True),
    ("ABH", "Assault occasioning actual bodily harm", EW, 3, None, True),
    ("ASSAULT-EMERG", "Assault on an emergency worker", EW, 3, None, True),
    ("POSS-B", "Possession of a controlled drug (class B)", EW, 1, None, False),
    ("POSS-A", "Possession of a controlled drug (class A)", EW, 2, None, False),
    ("PO-S4", "Threatening behaviour (Public Order Act 1986 s.4)", SO, 2, None, True),
    ("PO-S4A", "Intentional harassment, alarm or distress (s.4A)", EW, 2, None, True),
    ("PO-S5", "Harassment, alarm or distress (s.5)", SO, 1, None, True),
    ("DRUNK-DISORDERLY", "Drunk and disorderly", SO, 1, None, False),
    ("HARASSMENT", "Harassment (Protection from Harassment Act 1997 s.2)", SO, 2, None, True),
    ("MALICIOUS-COMMS", "Malicious communications", EW, 2, None, True),
    ("BLADED-ARTICLE", "Possession of a bladed article in public", EW, 3, None, False),
    ("OFFENSIVE-WEAPON", "Possession of an offensive weapon in public", EW, 3, None, False),
    ("PERVERTING", "Perverting the course of justice", IO, 3, None, False),
    ("ROBBERY", "Robbery", IO, 4, "serious-violence", True),
    ("GBH-S20", "Inflicting grievous bodily harm (s.20)", EW, 4, "serious-violence", True),
    ("SEXUAL-ASSAULT", "Sexual assault", EW, 4, "sexual", True),
    ("COERCIVE-CONTROL", "Controlling or coercive behaviour", EW, 3, "domestic-abuse", True),
    ("ASSAULT-DOMESTIC", "Common assault (domestic)", SO, 3, "domestic-abuse", True),
    ("RA-PUBLIC-ORDER", "Racially aggravated public order offence", EW, 3, "hate-crime", True),
    ("DRINK-DRIVE", "Driving with excess alcohol", SO, 3, "driving", False),
    ("NO-INSURANCE", "Using a vehicle without insurance", SO, 1, "driving", False),
]

SCHEMES = [
    {
        "code": "durham-checkpoint",
        "name": "Durham Checkpoint",
        "description": "Deferred prosecution: a four-month contract agreed with a navigator.",
        "version": {
            "version": 1,
            "effective_from": date(2015, 4, 1),
            "published": True,
            "change_note": "Durham Constabulary's published criteria. The previous-convictions "
            "limit (3) is an assumed default: set it to the force's value.",
            "contract_months": 4,
            "hours_min": 18,
            "hours_max": 36,
            "gps_tag_allowed": True,
            "gps_tag_max_days": 120,
            "community_required": True,
            "pathway_required": True,
            "signed_consent_required": False,
            "restorative_due_days": 56,
            "deadline_warning_days": 28,
            "require_evidential_test": True,
            "require_admission": True,
            "accept_no_comment_interview": True,
            "offence_within_months": 3,
            "max_gravity_score": 3,
            "max_previous_convictions": 3,
            "require_custody_unlikely": True,
            "allow_risk_low": True,
            "allow_risk_moderate": True,
            "allow_risk_high": False,
            "indictable_only_needs_dpp_consent": False,
            "excluded": ["serious-violence", "sexual", "domestic-abuse", "hate-crime", "driving"],
        },
    },
    {
        "code": "pcsc-diversionary-caution",
        "name": "Diversionary caution (PCSC Act 2022 Part 6)",
        "description": "Statutory diversionary caution. Part 6 is not yet in force, so this "
        "version ships as a draft: publish it on commencement.",
        "version": {
            "version": 1,
            "effective_from": date(2027, 1, 1),
            "published": False,
            "change_note": "Unpaid work at most 20 hours; admission and signed consent to the "
            "listed conditions; indictable-only offences need the DPP's consent.",
            "contract_months": 4,
            "hours_min": 1,
            "hours_max": 20,
            "gps_tag_allowed": False,
            "gps_tag_max_days": 0,
            "community_required": False,
            "pathway_required": False,
            "signed_consent_required": True,
            "restorative_due_days": 56,
            "deadline_warning_days": 28,
            "require_evidential_test": True,
            "require_admission": True,
            "accept_no_comment_interview": False,
            "offence_within_months": None,
            "max_gravity_score": None,
            "max_previous_convictions": None,
            "require_custody_unlikely": False,
            "allow_risk_low": True,
            "allow_risk_moderate": True,
            "allow_risk_high": True,
            "indictable_only_needs_dpp_consent": True,
            "excluded": [],
        },
    },
]


def load(apps, schema_editor):
    ExcludedCategory = apps.get_model("checkpoint", "ExcludedCategory")
    Pathway = apps.get_model("checkpoint", "Pathway")
    OffenceType = apps.get_model("checkpoint", "OffenceType")
    Scheme = apps.get_model("checkpoint", "Scheme")
    SchemeVersion = apps.get_model("checkpoint", "SchemeVersion")

    categories = {
        code: ExcludedCategory.objects.create(code=code, name=name) for code, name in EXCLUDED
    }
    for order, (code, name) in enumerate(PATHWAYS, start=1):
        Pathway.objects.create(code=code, name=name, display_order=order)
    for code, title, klass, gravity, category, victim in OFFENCES:
        OffenceType.objects.create(
            code=code,
            title=title,
            offence_class=klass,
            default_gravity_score=gravity,
            excluded_category=categories.get(category),
            victim_usual=victim,
        )
    from django.utils import timezone

    for spec in SCHEMES:
        scheme = Scheme.objects.create(
            code=spec["code"], name=spec["name"], description=spec["description"]
        )
        fields = dict(spec["version"])
        excluded = fields.pop("excluded")
        published = fields.pop("published")
        version = SchemeVersion.objects.create(
            scheme=scheme, published_at=timezone.now() if published else None, **fields
        )
        version.excluded_categories.set([categories[c] for c in excluded])


def unload(apps, schema_editor):
    SchemeVersion = apps.get_model("checkpoint", "SchemeVersion")
    Scheme = apps.get_model("checkpoint", "Scheme")
    codes = [s["code"] for s in SCHEMES]
    SchemeVersion.objects.filter(scheme__code__in=codes, version=1).delete()
    Scheme.objects.filter(code__in=codes).delete()
    apps.get_model("checkpoint", "OffenceType").objects.filter(
        code__in=[o[0] for o in OFFENCES]
    ).delete()
    apps.get_model("checkpoint", "Pathway").objects.filter(
        code__in=[p[0] for p in PATHWAYS]
    ).delete()
    apps.get_model("checkpoint", "ExcludedCategory").objects.filter(
        code__in=[c[0] for c in EXCLUDED]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0001_initial_domain")]

    operations = [migrations.RunPython(load, unload)]
