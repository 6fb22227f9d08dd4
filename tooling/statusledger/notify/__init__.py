"""Notifications on publish: tell chat, webhooks and e-mail of the public updates a push added.

events (what there is to tell) -> payloads (each channel type's body) -> sending (HTTP, SMTP,
retries), with channels (secrets from the environment) and state (what was sent) beside them;
dispatch ties them together for `statusledger notify`.
"""

from __future__ import annotations
