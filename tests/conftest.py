from __future__ import annotations

import os

# Git in tests never depends on the machine's identity or config.
os.environ.setdefault("GIT_AUTHOR_NAME", "Test Author")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "author@example.com")
os.environ.setdefault("GIT_COMMITTER_NAME", "Test Author")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "author@example.com")
os.environ.pop("SOURCE_DATE_EPOCH", None)
