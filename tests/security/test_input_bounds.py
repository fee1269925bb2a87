"""Bounded, plain input (issue 17 point 3): ids parsed strictly, every text field bounded,
names and references free of control and hidden text-direction characters, and an overlong
sign-in refused cleanly and counted as a failure.

The whole URLconf under hostile values is ``test_hostile_inputs.py``; these are the rules it
relies on, one by one.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, QueryDict
from django.test import Client
from django.urls import reverse

from checkpoint import roles, services
from checkpoint.errors import InvalidInput
from checkpoint.text import PlainText, has_hidden_characters, hidden_characters_message
from tests import factories
from web import params
from web.auth import SignInForm

OUR_PACKAGES = ("checkpoint", "custody", "navigators", "supervisors", "reports", "web")

# -- Strict integers (web.params) ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "١٢٣",  # Arabic-Indic digits: int() takes them, no link of ours holds them
        "１２",  # noqa: RUF001 (full-width digits, on purpose)
        "⁴²",
        " 12",
        "12 ",
        "+12",
        "-1",
        "1_000",
        "0x10",
        "1e3",
        "",
        "0",
        "1\x00",
        "9" * 20,
        str(2**63),
        None,
        True,
        1.0,
        ["1"],
    ],
)
def test_a_value_that_is_not_an_id_is_none(value):
    assert params.parse_id(value) is None


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), ("042", 42), (str(2**63 - 1), 2**63 - 1), (7, 7)]
)
def test_an_id_is_parsed(value, expected):
    assert params.parse_id(value) == expected


def test_the_helpers_answer_not_found_or_bad_request():
    assert params.query_id(QueryDict("disclosure=%C2%B2"), "disclosure") is None
    assert params.query_id(QueryDict("disclosure=12"), "disclosure") == 12
    assert params.parse_ids(["3", "²", "3", "x", "4"]) == [3, 4]
    assert params.parse_int("0") == 0
    assert params.parse_int("11", maximum=10) is None
    with pytest.raises(Http404):
        params.id_or_404("²")
    with pytest.raises(BadRequest):
        params.id_or_400("")
    assert params.id_or_404("5") == 5


def test_str_isdigit_is_what_went_wrong():
    """The reason for the helper: ``isdigit`` says yes, ``int`` says no."""
    assert "²".isdigit()
    with pytest.raises(ValueError, match="invalid literal"):
        int("²")


# -- Hidden characters (checkpoint.text) -----------------------------------------------------

HIDDEN = [
    "\u202eevil",  # right-to-left override
    "a\u202ab",
    "a\u202bb",
    "a\u202cb",
    "a\u202db",
    "a\u2066b",
    "a\u2067b",
    "a\u2068b",
    "a\u2069b",
    "a\u200eb",  # left-to-right mark
    "a\u200fb",
    "a\u061cb",  # Arabic letter mark
    "a\x00b",
    "a\x07b",
    "a\x1bb",
    "a\x7fb",
    "a\x85b",  # C1 (next line)
    "a\x9bb",
    "a\nb",
    "a\rb",
    "a\tb",
    "a\u2028b",
    "a\u2029b",
]
PLAIN = [
    "Siobhán Ní Bhriain",
    "O'Shea-Smith",
    "محمد",
    "José María",
    "李小龙",
    "क्षत्रिय",  # Devanagari, with a virama
    "می\u200cخواهم",  # noqa: RUF001 (Persian: the zero-width non-joiner is in the spelling)
    "DU/012345/26",
    "",
]


@pytest.mark.parametrize("value", HIDDEN)
def test_hidden_characters_are_found(value):
    assert has_hidden_characters(value)


@pytest.mark.parametrize("value", PLAIN)
def test_names_in_any_script_are_plain(value):
    assert not has_hidden_characters(value)


def test_line_breaks_and_tabs_are_allowed_in_several_lines_only():
    assert not has_hidden_characters("First line\r\nsecond\tline", multiline=True)
    assert has_hidden_characters("First line\u202e", multiline=True)
    assert has_hidden_characters("a\x00b", multiline=True)


def test_the_validator_says_which_field_and_why():
    with pytest.raises(ValidationError) as refused:
        PlainText("Family name")("Smith\u202e")
    assert refused.value.messages == [
        "Family name must not contain control characters or hidden text-direction characters"
    ]
    PlainText("Family name")("Smith")
    assert hidden_characters_message("the victim's name").startswith("The victim's name must")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["given_name", "family_name"])
def test_the_service_refuses_a_hidden_character_in_a_person_name(team, dm, field):
    person = factories.PersonFactory.build(**{field: "Smith\u202egpj"})
    with pytest.raises(InvalidInput) as refused:
        factories.open_case(dm=dm, team=team, person=person)
    assert refused.value.field == field
    assert "hidden text-direction characters" in str(refused.value)


@pytest.mark.django_db
def test_the_service_refuses_a_line_break_in_a_custody_reference(team, dm, now):
    with pytest.raises(InvalidInput) as refused:
        services.case_open(
            by=dm,
            person=factories.PersonFactory.build(),
            team=team,
            now=now,
            custody_reference="DU/1/26\nDU/2/26",
            arrested_at=now - timedelta(hours=1),
            offences=[factories.offence()],
        )
    assert refused.value.field == "custody_reference"


def test_the_custody_form_names_the_field_refused():
    from custody.forms.case_open import CaseOpenForm

    for name, label in [
        ("given_name", "Given name"),
        ("family_name", "Family name"),
        ("custody_reference", "Custody reference"),
    ]:
        field = CaseOpenForm.base_fields[name]
        with pytest.raises(ValidationError) as refused:
            field.clean("Smith\u202e")
        assert refused.value.messages == [hidden_characters_message(label)], name


# -- Every text field is bounded -------------------------------------------------------------


def _our_form_classes() -> list[type[forms.BaseForm]]:
    for package in OUR_PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in OUR_PACKAGES and sub not in found:
                found.append(sub)
    return found


def test_every_text_field_of_every_form_has_a_max_length():
    """Every CharField (and subclass) declared on our forms, the sign-in's included, has a
    ``max_length``. (Fields added in a form's ``__init__``, such as the needs page's notes,
    are covered by the hostile-input test, which posts very long values to every page.)"""
    classes = _our_form_classes()
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert not unbounded, unbounded
    assert len(classes) > 50
    assert SignInForm in classes


# -- Sign-in ---------------------------------------------------------------------------------


def _sign_in(username: str, password: str):
    """A browser's sign-in: a urlencoded form body."""
    body = urlencode({"username": username, "password": password})
    return Client().post(reverse("login"), body, content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password"),
    [("x" * 100_000, "anything"), ("nav", "p" * 100_000), ("x" * 151, "p" * 1025)],
)
def test_an_overlong_sign_in_is_refused_and_counted(username, password):
    factories.make_user(roles.NAVIGATOR, username="nav")
    response = _sign_in(username, password)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a correct username and password" in content
    assert "characters" not in content  # the same answer as a wrong password
    # The failure is on record against the username as far as a username can go.
    assert AccessFailureLog.objects.filter(username=username[:150]).count() == 1
    assert AccessAttempt.objects.get(username=username[:150]).failures_since_start == 1


@pytest.mark.django_db
def test_overlong_sign_ins_lead_to_the_lockout(settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("x" * 100_000, "y")
    response = _sign_in("x" * 100_000, "y")
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_normal_sign_in_still_works():
    user = factories.make_user(roles.NAVIGATOR, username="nav")
    user.set_password("a long enough password")
    user.save()
    assert _sign_in("nav", "a long enough password").status_code == 302
