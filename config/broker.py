"""The embedded broker: kombu's filesystem transport, with each message written atomically.

Kombu's own filesystem transport creates a message's file and then writes into it. A worker
polling the folder (every 0.1 s here) can take the file in between and read it empty: kombu
then raises ``JSONDecodeError`` from inside the worker's event loop, the worker stops with
"Unrecoverable error", and the message is lost (kombu issue #1551). It happened here in
about one in five local runs of the broker round-trip test, and in one stress run (a publisher
and a reader in two processes, both cores kept busy) to 1,031 of 20,000 messages; other
stress runs saw none: it needs the publisher to be preempted at that moment.

Here the message is written to a hidden partial file first, then renamed to its queue name:
a rename within one folder is atomic, so a reader sees either no file or the whole message.
The partial file's name does not match any queue's pattern (``<time>_<uuid>.<queue>.msg``),
so readers skip it. The outbox stays the truth (DESIGN: the messages only wake the worker).

Used when ``CELERY_BROKER_URL`` is ``filesystem://`` (settings ``CELERY_BROKER_TRANSPORT``).
"""

from __future__ import annotations

import os
import uuid
from contextlib import suppress
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue``: write it aside, then rename it into place."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".partial-{name}")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
