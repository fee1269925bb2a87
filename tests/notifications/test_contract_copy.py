"""A copy of the signed contract for the participant by email, with their consent (issue 18
point 6): GOV.UK Notify's file sending (``prepare_upload``: the recipient confirms their email
address before downloading; the file kept for NOTIFY_FILE_RETENTION_DAYS), behind the same
gateway interface, recorded by the fake gateway."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from checkpoint import services
from checkpoint.models import ConsentDocument, ConsentMethod, ContractCopy, Language
from checkpoint.services import InvalidInput, TransitionBlocked
from notifications import outbox
from notifications.gateway import (
    Attachment,
    FakeNotifyGateway,
    GovNotifyGateway,
    PermanentDeliveryError,
    retention_period,
)
from notifications.models import Audience, Channel, FakeDelivery, Message, Status
from tests import factories
from tests.supervisors.helpers import live_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EMAIL = "daithi@example.org"


@pytest.fixture(autouse=True)
def no_real_notify(settings, tmp_path):
    settings.NOTIFY_API_KEY = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-uploads"


def paper_signed_case(dm, team, navigator, *, scan: bool = True, language=Language.ENGLISH):
    person = factories.PersonFactory(given_name="Dáithí O'Shea", preferred_language=language)
    case = live_case(
        days_ago=0,
        builder=factories.accepted_case,
        dm=dm,
        team=team,
        navigator=navigator,
        person=person,
    )
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    services.consent_record(
        case_id=case.pk,
        by=navigator,
        method=ConsentMethod.PAPER_SIGNED,
        given_on=timezone.localdate(),
    )
    case = services.contract_sign(case_id=case.pk, by=navigator, starts_on=timezone.localdate())
    if scan:
        services.consent_document_add(
            case_id=case.pk,
            by=navigator,
            upload=SimpleUploadedFile("my scan.pdf", PDF, content_type="application/pdf"),
        )
    return case


@pytest.mark.parametrize(
    ("language", "hello", "link"),
    [
        (Language.ENGLISH, "Hello Dáithí O'Shea,", "confirm your email address"),
        (Language.WELSH, "Helo Dáithí O'Shea,", "chadarnhewch eich cyfeiriad e-bost"),
    ],
)
def test_with_consent_the_signed_contract_is_emailed_as_a_notify_file(
    dm, team, navigator, language, hello, link
):
    case = paper_signed_case(dm, team, navigator, language=language)
    before = timezone.now()

    copy = services.contract_copy_send(case_id=case.pk, by=navigator, email=EMAIL, consent=True)

    # The consent: to which address, who recorded it and when, and which scan was sent.
    assert (copy.email, copy.consent_recorded_by, copy.document) == (
        EMAIL,
        navigator,
        ConsentDocument.objects.get(contract__case=case),
    )
    assert before <= copy.consent_given_at <= timezone.now()
    message = Message.objects.get(dedupe_key=f"contract-copy:{copy.pk}")
    assert (message.channel, message.audience, message.recipient, message.document) == (
        Channel.EMAIL,
        Audience.PARTICIPANT,
        EMAIL,
        copy.document,
    )

    outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))

    delivery = FakeDelivery.objects.get(reference=message.reference)
    assert (delivery.channel, delivery.recipient) == ("email", EMAIL)
    assert delivery.file_name == "checkpoint-signed-contract.pdf"
    assert delivery.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert delivery.file_confirm_email is True
    assert delivery.file_retention_period == "26 weeks"
    assert delivery.body.startswith(hello)
    assert link in delivery.body
    assert Message.objects.get(pk=message.pk).status == Status.SENT


def test_the_participant_need_not_have_agreed_to_reminders(dm, team, navigator):
    case = paper_signed_case(dm, team, navigator)
    assert not case.person.email_reminders
    services.contract_copy_send(case_id=case.pk, by=navigator, email=EMAIL, consent=True)
    assert outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))["sent"] == 1


def test_retention_is_configured_in_days(dm, team, navigator, settings):
    settings.NOTIFY_FILE_RETENTION_DAYS = 28
    case = paper_signed_case(dm, team, navigator)
    services.contract_copy_send(case_id=case.pk, by=navigator, email=EMAIL, consent=True)
    outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))
    delivery = FakeDelivery.objects.get()
    assert delivery.file_retention_period == "4 weeks"
    until = (timezone.localdate() + timedelta(days=28)).strftime("%-d")
    assert f"The link works until {until} " in delivery.body


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"consent": False}, "consent", "Confirm that the participant agrees"),
        ({"email": ""}, "email", "Enter the participant's email address"),
        ({"email": "daithi@"}, "email", "Enter an email address in the correct format"),
    ],
)
def test_no_consent_or_no_valid_address_sends_nothing(dm, team, navigator, kwargs, field, message):
    case = paper_signed_case(dm, team, navigator)
    with pytest.raises(InvalidInput, match=message) as raised:
        services.contract_copy_send(
            case_id=case.pk, by=navigator, **{"email": EMAIL, "consent": True, **kwargs}
        )
    assert raised.value.field == field
    assert not ContractCopy.objects.exists()
    assert not Message.objects.filter(template="contract_copy").exists()


def test_nothing_to_send_without_a_scan_or_before_signing(dm, team, navigator):
    case = paper_signed_case(dm, team, navigator, scan=False)
    with pytest.raises(TransitionBlocked, match="upload the scan first"):
        services.contract_copy_send(case_id=case.pk, by=navigator, email=EMAIL, consent=True)
    unsigned = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    with pytest.raises(TransitionBlocked, match="not signed yet"):
        services.contract_copy_send(case_id=unsigned.pk, by=navigator, email=EMAIL, consent=True)


def test_a_lost_file_fails_the_message_with_why(dm, team, navigator):
    case = paper_signed_case(dm, team, navigator)
    copy = services.contract_copy_send(case_id=case.pk, by=navigator, email=EMAIL, consent=True)
    copy.document.file.delete(save=False)
    assert outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))["failed"] == 1
    assert Message.objects.get().last_error == "The file to send could not be read"


# --- the gateway ----------------------------------------------------------------------------
def test_gov_notify_is_given_the_file_with_the_email_check_and_retention():
    gateway = GovNotifyGateway(
        api_key=f"checkpoint-{uuid.uuid4()}-{uuid.uuid4()}",
        sms_template_id="sms-template",
        email_template_id="email-template",
        email_file_template_id="file-template",
    )
    attachment = Attachment(content=PDF, filename="contract.pdf", retention_days=182)
    with mock.patch.object(
        gateway.client, "send_email_notification", return_value={"id": "n-1"}
    ) as send:
        receipt = gateway.send(
            channel="email", to=EMAIL, subject="s", body="b", reference="r",
            attachment=attachment,
        )  # fmt: skip
    assert receipt.provider_id == "n-1"
    kwargs = send.call_args.kwargs
    assert kwargs["template_id"] == "file-template"
    assert kwargs["personalisation"]["link_to_file"] == {
        "file": base64.b64encode(PDF).decode("ascii"),
        "filename": "contract.pdf",
        "confirm_email_before_download": True,
        "retention_period": "26 weeks",
    }
    assert (kwargs["personalisation"]["subject"], kwargs["personalisation"]["body"]) == ("s", "b")


def test_gov_notify_without_a_file_template_refuses_for_good():
    gateway = GovNotifyGateway(
        api_key=f"checkpoint-{uuid.uuid4()}-{uuid.uuid4()}",
        sms_template_id="sms-template",
        email_template_id="email-template",
    )
    attachment = Attachment(content=PDF, filename="contract.pdf", retention_days=182)
    with pytest.raises(PermanentDeliveryError, match="NOTIFY_EMAIL_FILE_TEMPLATE_ID"):
        gateway.send(
            channel="email", to=EMAIL, subject="s", body="b", reference="r",
            attachment=attachment,
        )  # fmt: skip


def test_a_file_over_2_mb_is_refused_for_good():
    big = Attachment(content=b"x" * (2 * 1024 * 1024 + 1), filename="a.pdf", retention_days=7)
    with pytest.raises(PermanentDeliveryError, match="larger than 2MB"):
        FakeNotifyGateway().send(
            channel="email", to=EMAIL, subject="s", body="b", reference="r", attachment=big
        )


@pytest.mark.parametrize(("days", "period"), [(7, "1 week"), (182, "26 weeks"), (546, "78 weeks")])
def test_retention_days_become_notify_weeks(days, period):
    assert retention_period(days) == period


@pytest.mark.parametrize("days", [0, 6, 10, 553])
def test_retention_outside_notify_limits_is_a_configuration_error(days):
    with pytest.raises(ImproperlyConfigured, match="whole weeks from 7 to 546 days"):
        retention_period(days)
