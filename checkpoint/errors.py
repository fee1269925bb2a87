"""The domain's errors: each carries a message a user can act on.

The web layer turns ``CaseNotFound`` into a 404 and ``NotPermitted`` into a 403, and shows the
others beside the form that caused them."""

from __future__ import annotations


class CaseError(Exception):
    """A rule of the domain refused the action. ``message`` is shown to the user."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class NotFound(CaseError):
    """What was asked for does not exist, or is out of the user's reach (shown as 404)."""


class CaseNotFound(NotFound):
    """The case does not exist or is out of the user's reach."""

    def __init__(self) -> None:
        super().__init__("Case not found.")


class RecordNotFound(NotFound):
    """A record of a case (an appointment, a scan...) is not one of that case's."""

    def __init__(self, what: str = "Record") -> None:
        super().__init__(f"{what} not found.")


class NotPermitted(CaseError):
    """The user's role does not allow this action on a case they can see."""


class TransitionBlocked(CaseError):
    """The case is in the wrong state, or a guard's condition is not met."""


class StaleEdit(CaseError):
    """The record changed since the form was opened (optimistic locking). ``current_version``
    is the version a form resubmitted now would expect."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class NeedsConfirmation(CaseError):
    """Allowed, but worth a second look (a clash, a bank holiday): ``warnings`` say why; the
    caller asks the person and calls again with ``confirm=True``."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("Check before you save:", problems=warnings)
        self.warnings = warnings


class InvalidInput(CaseError):
    """A value breaks a domain rule; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
