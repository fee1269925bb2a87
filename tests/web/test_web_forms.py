"""GOV.UK form rendering: every error-summary link points at an element on the page."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from web.forms import GovUKDateField, GovUKForm, GovUKRadioSelect


class ExampleForm(GovUKForm):
    name = forms.CharField(
        label="Name",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter a name"},
    )
    when = GovUKDateField(label="Date", what="the date it happened")
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A"), ("b", "B")],
        widget=GovUKRadioSelect,
        error_messages={"required": "Select a kind"},
    )


def _render(data) -> str:
    form = ExampleForm(data)
    form.is_valid()
    return render_to_string("govuk/forms/errors.html", {"form": form}) + str(form)


def test_every_error_link_targets_an_element_that_exists():
    html = _render({"when_day": "31", "when_month": "2", "when_year": "2026"})
    anchors = re.findall(r'href="#([^"]+)"', html)
    assert len(anchors) == 3
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_date_field_messages_are_specific():
    assert "The date it happened must be a real date" in _render(
        {"when_day": "31", "when_month": "2", "when_year": "2026"}
    )
    assert "The date it happened must include a month" in _render(
        {"when_day": "3", "when_year": "2026"}
    )
    assert "Enter the date it happened" in _render({})


def test_values_are_kept_and_width_classes_survive_the_error_class():
    html = _render({"name": "", "when_day": "3", "when_month": "x", "when_year": "2026"})
    assert 'value="3"' in html and 'value="x"' in html
    assert re.search(r'class="govuk-input govuk-input--width-10 govuk-input--error"', html)


@pytest.mark.parametrize("form_class", ["GovUKForm", "AssessmentForm"])
def test_a_refusal_from_a_service_is_a_page_not_a_form_error(form_class):
    """Every form turns a service's refusal into the 404/403 page (the custody forms once
    showed it as a form error, with their own add_service_error)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from checkpoint.errors import CaseNotFound, InvalidInput, NotPermitted
    from custody.forms.assessment import AssessmentForm
    from web.forms import GovUKForm

    form = {"GovUKForm": GovUKForm, "AssessmentForm": AssessmentForm}[form_class]
    bound = form(data={}) if form is GovUKForm else form(data={}, needs_dpp=False)
    with pytest.raises(Http404):
        bound.add_service_error(CaseNotFound())
    with pytest.raises(PermissionDenied, match="Only a decision maker"):
        bound.add_service_error(NotPermitted("Only a decision maker can do this."))
    bound.is_valid()
    bound.add_service_error(InvalidInput("Enter the reason"))
    assert "Enter the reason" in bound.non_field_errors()
