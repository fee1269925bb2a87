"""Print the current sign-in code for the demo accounts (DEBUG only).

The demo accounts share one published authenticator key (demo.staff); this prints
the code an app holding that key shows now, for trying the demo without a phone.
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.staff import demo_totp_key


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code of the demo accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo: it runs only with DEBUG on.")
        generator = TOTP(unhexlify(demo_totp_key()))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{generator.token():06d}  (valid for {left} more seconds)")
