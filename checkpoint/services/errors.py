"""The domain's errors, as the services raise them (defined in ``checkpoint.errors``)."""

from checkpoint.errors import (
    CaseError,
    CaseNotFound,
    InvalidInput,
    NeedsConfirmation,
    NotFound,
    NotPermitted,
    RecordNotFound,
    StaleEdit,
    TransitionBlocked,
)

__all__ = [
    "CaseError",
    "CaseNotFound",
    "InvalidInput",
    "NeedsConfirmation",
    "NotFound",
    "NotPermitted",
    "RecordNotFound",
    "StaleEdit",
    "TransitionBlocked",
]
