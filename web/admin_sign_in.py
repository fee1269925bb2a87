"""The admin's own sign-in address.

The admin sends anyone it will not serve to ``/admin/login/``. Checkpoint has one sign-in page
(with its lockout and second factor), so a visitor who is not signed in goes there. A signed-in
member of staff who is not an administrator is refused with the 403 page: sending them to
sign in again would bounce straight back to the admin, which would send them here again (a
redirect loop between /admin/login/ and /sign-in/).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.generic import RedirectView

REFUSAL = (
    "The administration pages are for Checkpoint administrators only. Your account is "
    "signed in, but it is not an administrator's."
)


def admin_sign_in(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    if user.is_authenticated and not (user.is_active and user.is_staff):
        raise PermissionDenied(REFUSAL)
    return _to_sign_in(request)


# The query (the admin's ``next``) is passed on as it came.
_to_sign_in = RedirectView.as_view(pattern_name="login", query_string=True)
