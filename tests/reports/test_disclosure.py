"""Downloading a report's CSV is a disclosure of statistics (DPA 2018 s.62): asked and logged."""

from __future__ import annotations

from checkpoint.models import DisclosureLog
from tests.factories import disclose

CSV = "/reports/equality-sex/funnel-sex.csv"


def test_a_csv_asks_why_then_downloads_and_logs_the_table_and_filters(client, analyst, population):
    client.force_login(analyst)
    asked = client.get(CSV, {"start_day": "1", "start_month": "3", "start_year": "2026"})
    assert asked["Content-Type"].startswith("text/html")
    assert "Before you download this table" in asked.content.decode()
    assert not DisclosureLog.objects.exists()

    params = {"start_day": "1", "start_month": "3", "start_year": "2026"}
    response = disclose(client, CSV, params, justification="Quarterly board report")
    assert response["Content-Type"].startswith("text/csv")
    log = DisclosureLog.objects.get()
    assert (log.user, log.kind, log.case, log.person) == (analyst, "report_csv", None, None)
    assert log.what == "equality-sex/funnel-sex.csv?start_day=1&start_month=3&start_year=2026"
    assert log.justification == "Quarterly board report"


def test_bad_filters_are_refused_before_any_justification(client, analyst):
    client.force_login(analyst)
    response = client.post(CSV + "?start_day=40&start_month=2&start_year=2026", {})
    assert response.status_code == 400
    assert not DisclosureLog.objects.exists()
