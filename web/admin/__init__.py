"""Django admin for every model.

Reference data (schemes, offences, pathways, services, teams) is edited here by
administrators. Case data is read-only here: it changes only through the services, and the
case state only through transition actions (``cases.CaseAdmin``), never by editing a field.
"""

from . import accounts, audit, cases, outbox, reference, scheduling  # noqa: F401  (registers)
