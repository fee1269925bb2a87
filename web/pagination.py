"""One way to page a list: the page the request asks for, and what the shared pagination
partial (web/_pagination.html) needs to link to the others with the same filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int) -> dict:
    """``page`` (the requested page, the last one past the end, the first for a bad number),
    ``query`` (the request's other parameters), ``page_links`` and ``ellipsis``."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "query": query.urlencode(),
        "ellipsis": Paginator.ELLIPSIS,
        "page_links": list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
    }
