"""Declare, per scheme profile, the eligibility rules no override may lift.

Every profile fixes the evidential test, a time-barred offence and the minimum age (the field's
default, set by 0014). The PCSC Act 2022 diversionary caution also fixes what Part 6 makes a
condition of the caution: an admission of the offence and, for an indictable-only offence, the
DPP's consent. These are the law, not local policy, so the published versions are brought in
line rather than copied to new ones: no assessment ever lawfully overrode them.
"""

from django.db import migrations

ALWAYS = ["adult", "evidential_test", "time_limit"]
STATUTORY = {"pcsc-diversionary-caution": ["dpp_consent", "offence_admitted"]}


def declare(apps, schema_editor):
    SchemeVersion = apps.get_model("checkpoint", "SchemeVersion")
    for code, extra in STATUTORY.items():
        SchemeVersion.objects.filter(scheme__code=code).update(
            fixed_rules=sorted({*ALWAYS, *extra})
        )


def undeclare(apps, schema_editor):
    SchemeVersion = apps.get_model("checkpoint", "SchemeVersion")
    SchemeVersion.objects.filter(scheme__code__in=list(STATUTORY)).update(fixed_rules=ALWAYS)


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0014_scheme_fixed_rules_and_referral_reason")]

    operations = [migrations.RunPython(declare, undeclare)]
