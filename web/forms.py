"""Django forms that render as GOV.UK Design System components.

The page components (tags, summary lists, tables, buttons) render through the template tags in
``web/templatetags/components.py``; form fields render through these templates: a label (or a
fieldset legend for radios, checkboxes and dates), a hint, the error message, and the input with
its error modifier.
Every bound field knows the anchor the error summary links to.

Usage: subclass ``GovUKForm``; render with ``{% include "govuk/forms/errors.html" %}`` above the
``<h1>`` and ``{{ form }}`` (or ``{{ form.field.as_field_group }}``) inside the ``<form>``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.renderers import DjangoTemplates
from django.http import Http404, QueryDict

from checkpoint.errors import NeedsConfirmation, NotFound, NotPermitted

WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.NumberInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.URLInput: "govuk-input",
    forms.PasswordInput: "govuk-input",
    forms.DateTimeInput: "govuk-input",
    forms.TimeInput: "govuk-input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovUKFormRenderer(DjangoTemplates):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovUKRadioSelect(forms.RadioSelect):
    template_name = "govuk/widgets/radios.html"

    def __init__(self, *args, inline: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline = inline

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        return context


class GovUKCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "govuk/widgets/checkboxes.html"


class GovUKDateInput(forms.MultiWidget):
    """GOV.UK date input: day, month and year text boxes (numeric keyboard on phones)."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        part = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets = {
            "day": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
            "month": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
            "year": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovUKDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK's specific error messages.

    ``what`` names the date in messages: "Enter the date the contract starts".
    """

    widget = GovUKDateInput

    def __init__(self, *, what: str = "the date", **kwargs):
        self.what = what
        # Parts are optional here so that compress() can say which part is missing.
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must include a {' and '.join(missing)}"
            )
        if not all(p.isascii() and p.isdigit() for p in (day, month, year)) or len(year) != 4:
            raise forms.ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real date"
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real date"
            ) from None


class GovUKBoundField(forms.BoundField):
    """Adds GOV.UK classes, error modifiers and aria-describedby to each widget."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        base = next((c for w, c in WIDGET_CLASSES.items() if type(widget) is w), None)
        if base:
            # Keep the widget's own modifiers (e.g. govuk-input--width-5) and any passed in.
            classes = [base, widget.attrs.get("class", ""), attrs.get("class", "")]
            if self.errors:
                classes.append(ERROR_CLASSES[base])
            attrs["class"] = " ".join(c for c in classes if c).strip()
        described = [self.hint_id] if self.help_text else []
        if self.errors:
            described.append(self.error_id)
        if described and not self.is_grouped:
            attrs["aria-describedby"] = " ".join(described)
        if self.is_grouped:
            attrs.pop("aria-describedby", None)  # the fieldset carries it
            attrs["errored"] = bool(self.errors)
        return attrs

    @property
    def is_grouped(self) -> bool:
        """Rendered in a fieldset with a legend (radios, checkboxes, dates)."""
        return isinstance(
            self.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)
        )

    @property
    def is_single_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the first input of a group."""
        if isinstance(self.field.widget, GovUKDateInput):
            return f"{self.auto_id}_0"  # MultiWidget ids are numbered; names use the suffixes
        if isinstance(self.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{self.auto_id}_0"
        return self.auto_id


def raise_refusal(err: Exception) -> None:
    """A refusal is not a form error: a case out of reach is a 404 page and a role that may not
    act a 403 page, whatever screen called the service."""
    if isinstance(err, NotFound):
        raise Http404(err.message) from err
    if isinstance(err, NotPermitted):
        raise PermissionDenied(err.message) from err


class GovUKForm(forms.Form):
    """Base form: GOV.UK rendering, and a place for errors raised by services."""

    bound_field_class = GovUKBoundField
    template_name = "govuk/forms/form.html"

    def add_service_error(self, err) -> None:
        """Attach a ``CaseError`` to its field when it names one, else to the whole form
        (a refusal is a 404 or 403 page instead: ``raise_refusal``)."""
        raise_refusal(err)
        if isinstance(err, NeedsConfirmation) and CONFIRM in self.fields:
            self.ask_to_confirm()
        field = getattr(err, "field", None)
        self.add_error(field if field in self.fields else None, err.message)
        for problem in getattr(err, "problems", []):
            self.add_error(None, problem)

    def ask_to_confirm(self) -> None:
        """Show the form's ``confirm`` box: the service found something to check (a clash, a
        bank holiday); ticking it and saving again goes ahead."""
        field = self.fields[CONFIRM]
        field.widget = forms.CheckboxInput()
        field.label = "I have checked: save it anyway"
        # Bound before (when the form was checked), it would keep the old label.
        getattr(self, "_bound_fields_cache", {}).pop(CONFIRM, None)
        # Bound to request.POST, a QueryDict (django-stubs types a form's data as a Mapping);
        # asked afresh each time, so the box starts unticked.
        data = cast(QueryDict, self.data).copy()
        data.pop(CONFIRM, None)
        self.data = data


CONFIRM = "confirm"


def confirm_field() -> forms.BooleanField:
    """A form's "save it anyway" box, hidden until the service asks (``NeedsConfirmation``)."""
    return forms.BooleanField(required=False, widget=forms.HiddenInput, initial=False)


if TYPE_CHECKING:
    # A form mixin is checked as the GOV.UK form it is mixed into; at run time it is a plain
    # class, so the form's own class decides the method order.
    FormMixinBase = GovUKForm
else:
    FormMixinBase = object


class ConditionalRadiosMixin(FormMixinBase):
    """Radios whose options reveal more fields (GOV.UK conditional reveal; all shown without JS).

    ``reveals`` maps an option's value to the fields shown under it.
    """

    radio_field: str = ""
    reveals: dict[str, tuple[str, ...]] = {}

    @property
    def radio_group(self):
        return self[self.radio_field]

    def radio_options(self) -> list[dict]:
        return [
            {
                "option": option,
                "reveal": [self[name] for name in self.reveals.get(str(option.data["value"]), ())],
            }
            for option in self[self.radio_field]
        ]
