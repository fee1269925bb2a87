"""The admin: every model registered and browsable; case state changes only by transitions."""

from __future__ import annotations

import warnings

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from checkpoint.models import Case, CaseState, CaseTransition, ServiceProvider
from tests import factories


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x" * 16)


def test_every_checkpoint_model_is_registered():
    missing = [
        m.__name__
        for m in apps.get_app_config("checkpoint").get_models()
        if m not in admin.site._registry
    ]
    assert missing == []


def test_every_changelist_renders(client, superuser, dm, navigator, team, now):
    factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)
    client.force_login(superuser)
    for model in apps.get_app_config("checkpoint").get_models():
        url = reverse(f"admin:checkpoint_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_state_field_is_read_only_in_the_case_form(client, superuser, dm, team, now):
    case = factories.CaseFactory(opened_by=dm, team=team, now=now)
    client.force_login(superuser)
    page = client.get(reverse("admin:checkpoint_case_change", args=[case.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    # Posting a state value directly changes nothing.
    client.post(reverse("admin:checkpoint_case_change", args=[case.pk]), {"state": "active"})
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_admin_transition_goes_through_the_service(client, superuser, dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)
    client.force_login(superuser)
    page = client.get(reverse("admin:checkpoint_case_change", args=[case.pk]))
    assert "Record the offer" in page.content.decode()
    url = reverse("admin:checkpoint_case_transition", args=[case.pk, "make_offer"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.OFFERED
    last = CaseTransition.objects.filter(case=case).last()
    assert (last.transition, last.by) == ("make_offer", superuser)


def test_admin_transition_refused_by_a_guard_shows_why(client, superuser, dm, navigator, team, now):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    client.force_login(superuser)
    url = reverse("admin:checkpoint_case_transition", args=[case.pk, "sign_contract"])
    response = client.post(url, {"starts_on": now.date().isoformat()}, follow=True)
    assert "Start the contract first" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_case_data_cannot_be_added_or_edited_in_the_admin(client, superuser, dm, team, now):
    case = factories.CaseFactory(opened_by=dm, team=team, now=now)
    client.force_login(superuser)
    assert client.get(reverse("admin:checkpoint_person_add")).status_code == 403
    assert client.get(reverse("admin:checkpoint_case_add")).status_code == 403
    transition_rows = reverse("admin:checkpoint_casetransition_changelist")
    assert client.get(transition_rows).status_code == 200
    delete = reverse("admin:checkpoint_person_delete", args=[case.person_id])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_published_scheme_version_is_frozen_in_the_admin(client, superuser):
    from checkpoint.models import SchemeVersion

    version = SchemeVersion.objects.get(scheme__code="durham-checkpoint", version=1)
    client.force_login(superuser)
    url = reverse("admin:checkpoint_schemeversion_change", args=[version.pk])
    page = client.get(url).content.decode()
    assert 'name="hours_max"' not in page  # read-only once published
    client.post(
        reverse("admin:checkpoint_schemeversion_changelist"),
        {"action": "copy_as_new_draft", "_selected_action": [version.pk]},
    )
    draft = SchemeVersion.objects.get(scheme__code="durham-checkpoint", version=2)
    assert draft.published_at is None
    assert set(draft.excluded_categories.all()) == set(version.excluded_categories.all())
    assert (
        'name="hours_max"'
        in client.get(
            reverse("admin:checkpoint_schemeversion_change", args=[draft.pk])
        ).content.decode()
    )


def test_a_published_scheme_version_is_read_only_not_a_server_error(client, superuser):
    """Saving a published version raised ValueError in the model: a 500 (access matrix)."""
    from checkpoint.models import SchemeVersion

    version = SchemeVersion.objects.filter(published_at__isnull=False).first()
    client.force_login(superuser)
    url = reverse("admin:checkpoint_schemeversion_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"change_note": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["not-a-transition", "delete", "save"])
def test_an_unknown_transition_in_the_url_is_not_found(client, superuser, dm, team, now, name):
    """django-fsm-2 raised AttributeError/ValueError for these: a 500 (access matrix)."""
    case = factories.CaseFactory(opened_by=dm, team=team, now=now)
    client.force_login(superuser)
    url = f"/admin/checkpoint/case/{case.pk}/transition/{name}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_provider_website_typed_without_a_scheme_is_saved_as_https(superuser, rf):
    model_admin = admin.site._registry[ServiceProvider]
    request = rf.get("/")
    request.user = superuser
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Django 6.0 "default scheme" deprecation warning
        form_class = model_admin.get_form(request)
    field = form_class.base_fields["website"]
    assert field.clean("www.example.org") == "https://www.example.org"
