"""The tests' client posts a form as a browser would: urlencoded unless it carries a file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from tests.conftest import StaffClient


def _sent(data):
    request = StaffClient().post("/healthz", data).wsgi_request
    return request.content_type, list(request.POST.lists())


def test_a_form_without_a_file_is_urlencoded_with_every_value():
    kind, fields = _sent(MultiValueDict({"name": ["Ní Bhriain"], "pathway": ["1", "3"]}))
    assert kind == "application/x-www-form-urlencoded"
    assert dict(fields) == {"name": ["Ní Bhriain"], "pathway": ["1", "3"]}
    assert _sent({"reason": "O'Shea", "ids": [1, 2]})[1] == [
        ("reason", ["O'Shea"]),
        ("ids", ["1", "2"]),
    ]


def test_a_form_with_a_file_is_multipart():
    kind, _ = _sent({"scan": SimpleUploadedFile("consent.pdf", b"%PDF-1.4"), "reason": "x"})
    assert kind == "multipart/form-data"
