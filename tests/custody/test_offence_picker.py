"""The offence picker finds offences by the words people use ("shoplifting", "cannabis",
"drink driving"), not only by their catalogue titles and codes (issue 16, point 10).

The matching itself runs in the browser (web/static/checkpoint/init.js, tested in
tests/browser/test_misc_fixes.py); here: the catalogue holds the everyday names and every
option of the picker carries them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from checkpoint.models import OffenceType

pytestmark = pytest.mark.django_db

EVERYDAY = [
    ("shoplifting", "THEFT-SHOP"),
    ("cannabis", "POSS-B"),
    ("drink driving", "DRINK-DRIVE"),
    ("vandalism", "CRIM-DAMAGE"),
    ("knife", "BLADED-ARTICLE"),
    ("mugging", "ROBBERY"),
]


@pytest.mark.parametrize("words, code", EVERYDAY)
def test_the_catalogue_knows_the_everyday_name(words, code):
    assert words in OffenceType.objects.get(code=code).keywords


def test_every_offence_in_the_catalogue_has_everyday_names():
    assert not OffenceType.objects.filter(keywords="").exists()


def test_each_option_of_the_picker_carries_its_everyday_names(client, dm, team):
    client.force_login(dm)
    body = client.get(reverse("custody:case-new")).content.decode()

    shop = OffenceType.objects.get(code="THEFT-SHOP")
    option = re.search(rf'<option value="{shop.pk}"[^>]*>', body)
    assert option, "the offence is offered"
    assert 'data-keywords="shoplifting, ' in option.group(0)
    assert "everyday name such as shoplifting" in body  # the hint says so
