"""The screen that emails the participant their signed contract, with their consent (issue 18
point 6): the consent is asked for and recorded; without it nothing is sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from checkpoint.models import ContractCopy
from notifications.models import Message
from tests.notifications.test_contract_copy import EMAIL, paper_signed_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.NOTIFY_API_KEY = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-uploads"


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


def form_data(page, **fields):
    form = page.context["form"]
    return {
        "lock_version": form.initial["lock_version"],
        "opened_at": form.initial["opened_at"].isoformat(),
        **fields,
    }


def test_the_copy_is_sent_only_with_the_participants_consent(nav_client, dm, team, navigator):
    case = paper_signed_case(dm, team, navigator)
    scans = reverse("navigators:consent-documents", args=[case.reference])
    assert "Email the participant a copy of their signed contract" in nav_client.get(scans).text
    url = reverse("navigators:contract-copy", args=[case.reference])
    page = nav_client.get(url)
    assert page.status_code == 200
    assert "They will need to type this address to open the file" in page.text
    assert "The link works for 182 days" in page.text

    refused = nav_client.post(url, form_data(page, email=EMAIL))

    assert refused.status_code == 200
    assert "Confirm that the participant agrees to be sent their contract by email" in (
        refused.text
    )
    assert refused.context["form"]["email"].value() == EMAIL  # nothing typed is lost
    assert not ContractCopy.objects.exists()

    sent = nav_client.post(url, form_data(page, email=EMAIL, consent="on"), follow=True)

    assert sent.redirect_chain[-1][0] == scans
    assert f"The signed contract will be emailed to {EMAIL}" in sent.text
    copy = ContractCopy.objects.get()
    assert (copy.email, copy.consent_recorded_by) == (EMAIL, navigator)
    assert Message.objects.get(template="contract_copy").document == copy.document


def test_nothing_to_send_before_a_scan_goes_back_to_the_scans_page(nav_client, dm, team, navigator):
    case = paper_signed_case(dm, team, navigator, scan=False)
    page = nav_client.get(reverse("navigators:contract-copy", args=[case.reference]))
    assert page.status_code == 302
    assert page["Location"] == reverse("navigators:consent-documents", args=[case.reference])
