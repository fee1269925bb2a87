"""The search box of the case lists (caseload, custody list, team cases): one field, read by
``checkpoint.selectors.search``, so each list accepts the same things and says the same thing
about what it cannot read."""

from __future__ import annotations

from django import forms

from checkpoint.selectors.search import CaseQuery, parse_case_query

LABEL = "Search by name, reference, PNC ID or date of birth"
HINT = "For example, Ní Bhriain, CP-7KQ4-M2XD, 26/123456A or 3/12/1990"


class CaseSearchField(forms.CharField):
    """Cleans to a ``CaseQuery``; a date that is not a real one is an error on the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", LABEL)
        kwargs.setdefault("help_text", HINT)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "error_messages", {"max_length": "The search must be 100 characters or fewer"}
        )
        super().__init__(**kwargs)

    def clean(self, value) -> CaseQuery:  # a query, not a str
        text = super().clean(value)
        query = parse_case_query(text)
        if query.error:
            raise forms.ValidationError(query.error)
        return query
