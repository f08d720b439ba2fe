"""The password hasher of the test run: Argon2 still, with the cheapest parameters.

Production hashes with Argon2's defaults (tens of milliseconds, by design); the suite makes
thousands of accounts, so it uses the same algorithm (hashes still start ``argon2$``) with
one pass over 8 KiB. Set by the root ``conftest.pytest_configure``, never in settings.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
