"""CSV injection end to end (issue 17 point 6): service providers' names (typed by an
administrator) are the row labels of the referrals-by-provider CSV; named with the OWASP
payloads, every cell of the download comes out neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings

from checkpoint.models import PathwayReferral, ServiceProvider
from tests.checkpoint.test_spreadsheet import OWASP_PAYLOADS, looks_safe
from tests.factories import disclose

pytestmark = pytest.mark.usefixtures("population")


def test_provider_names_with_formulas_are_neutralised_in_the_csv(client, analyst):
    pks = sorted(set(PathwayReferral.objects.values_list("provider_id", flat=True)))
    assert len(pks) >= 5, "the population refers people to several providers"
    # The ones a check of the first character alone misses come first.
    missed_before = [p for p in OWASP_PAYLOADS if p[0] not in "=+-@\t\r"]
    payloads = (missed_before + OWASP_PAYLOADS)[: len(pks)]
    for pk, payload in zip(pks, payloads, strict=False):
        ServiceProvider.objects.filter(pk=pk).update(name=payload)
    client.force_login(analyst)
    with override_settings(REPORTS_MIN_CELL_COUNT=1):
        response = disclose(client, "/reports/referrals/referrals-by-provider.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    labels = {row[0] for row in rows[1:]}
    assert {"'" + p for p in payloads} <= labels, labels
    assert all(looks_safe(cell) for row in rows for cell in row), rows
