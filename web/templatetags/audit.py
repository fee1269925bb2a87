"""Display helpers for the administrator's audit screens."""

from __future__ import annotations

from django import template

from web.page_titles import page_title as title_of

register = template.Library()


@register.filter
def page_title(view_name: str) -> str:
    """``navigators:case`` -> "Case page" (web/page_titles.py)."""
    return title_of(view_name)
