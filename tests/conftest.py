from __future__ import annotations

import os

# Git in tests never depends on the machine's identity or config.
os.environ.setdefault("GIT_AUTHOR_NAME", "Test Author")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "author@example.com")
os.environ.setdefault("GIT_COMMITTER_NAME", "Test Author")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "author@example.com")
os.environ.pop("SOURCE_DATE_EPOCH", None)

# The parse cache normally lives in ~/.cache; tests keep theirs in a folder of their own.
if "STATUSLEDGER_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _cache = tempfile.mkdtemp(prefix="statusledger-test-cache-")
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
    os.environ["STATUSLEDGER_CACHE_DIR"] = _cache
