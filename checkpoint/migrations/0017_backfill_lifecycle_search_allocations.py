"""Data for 0016: each compliance event's status, each person's search name and address
lines, and an allocation row for each case already allocated.

- Compliance events already resolved (a resolution and who) become 'resolved', as explained.
- The search name is the name with accents and case folded (checkpoint.text.search_key).
- An address kept as lines of one text is split: first line, second line, then the rest as
  the town or city.
- A case allocated before allocation history existed gets one row: its navigator, by whoever
  recorded the acceptance, at that time.
"""

import unicodedata

from django.db import migrations

BATCH = 2000


def _search_key(text):
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _people(apps):
    Person = apps.get_model("checkpoint", "Person")
    batch = []
    for person in Person.objects.order_by("pk").iterator(chunk_size=BATCH):
        person.search_name = _search_key(f"{person.given_name} {person.family_name}")
        lines = [line.strip() for line in person.address_line_1.splitlines() if line.strip()]
        if len(lines) > 1:
            person.address_line_1 = lines[0]
            person.address_line_2 = lines[1]
            person.town = ", ".join(lines[2:])[:60]
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_update(
                batch, ["search_name", "address_line_1", "address_line_2", "town"]
            )
            batch = []
    Person.objects.bulk_update(batch, ["search_name", "address_line_1", "address_line_2", "town"])


def _allocations(apps):
    Case = apps.get_model("checkpoint", "Case")
    CaseAllocation = apps.get_model("checkpoint", "CaseAllocation")
    CaseTransition = apps.get_model("checkpoint", "CaseTransition")
    accepted = {
        t.case_id: t
        for t in CaseTransition.objects.filter(transition="accept_offer", by__isnull=False)
    }
    rows = [
        CaseAllocation(
            case_id=case.pk,
            navigator_id=case.navigator_id,
            by_id=accepted[case.pk].by_id,
            at=accepted[case.pk].at,
            reason="Allocated when the person accepted (before allocation history was kept)",
        )
        for case in Case.objects.filter(navigator__isnull=False).only("pk", "navigator_id")
        if case.pk in accepted
    ]
    CaseAllocation.objects.bulk_create(rows, batch_size=BATCH)


def forward(apps, schema_editor):
    ComplianceEvent = apps.get_model("checkpoint", "ComplianceEvent")
    ComplianceEvent.objects.filter(resolved_at__isnull=False).update(
        status="resolved", resolved_how="explained"
    )
    _people(apps)
    _allocations(apps)


def backward(apps, schema_editor):
    apps.get_model("checkpoint", "ComplianceEvent").objects.update(status="open", resolved_how="")
    apps.get_model("checkpoint", "CaseAllocation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0016_corrections_allocation_compliance_lifecycle")]

    operations = [migrations.RunPython(forward, backward)]
