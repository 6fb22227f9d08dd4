"""Git access for the history: the only module that imports GitPython.

Everything the guard, the change summaries and the log ask of Git goes through `Repo`: the
merge base of a ref and HEAD, the record files that differ from it, a blob's content, a file at
HEAD, and the ref `diff` compares with by default. Git's failures become `StatusledgerError`s
that say what to do, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from statusledger.errors import StatusledgerError, UsageError
from statusledger.loading import INCIDENTS_DIR, POSTMORTEMS_DIR, SERVICES_FILE

_ZERO = "0" * 40
_REFRESH = "GIT_PYTHON_REFRESH"


@contextmanager
def _quiet_first_refresh() -> Iterator[None]:
    """Let GitPython be imported without git on PATH, leaving `os.environ` as it was.

    GitPython looks for a git executable once, while it is imported, and refuses to be imported
    when none is found unless GIT_PYTHON_REFRESH says "quiet"; then the first command fails, and
    `git_errors` turns that into advice instead of a traceback. The variable is read only then
    (no argument or `Git` option sets it), so it is set for the import alone and removed again:
    statusledger runs inside other programs (hooks, CI steps, a host that imports it), and
    neither they nor the processes they start should inherit a setting they did not make. A
    value the user set is left alone.
    """
    if _REFRESH in os.environ:
        yield
        return
    os.environ[_REFRESH] = "quiet"
    try:
        yield
    finally:
        os.environ.pop(_REFRESH, None)


with _quiet_first_refresh():
    import git


@dataclass(frozen=True)
class Entry:
    """One changed file between two trees, with paths relative to the ledger root."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None = None


@contextmanager
def git_errors(what: str) -> Iterator[None]:
    """Turn GitPython's errors inside the block into advice about `what` was being done."""
    try:
        yield
    except git.GitCommandNotFound:
        raise StatusledgerError(
            f"{what}: git is not installed or not on PATH; install git to use --base and log"
        ) from None
    except git.GitCommandError as err:
        detail = (err.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
        raise StatusledgerError(f"{what}: git failed: {detail or err}") from None


class Repo:
    """The git repository around a ledger, and the few commands the history needs."""

    def __init__(self, root: Path) -> None:
        try:
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StatusledgerError(
                f"{root} is not inside a git repository; the history of records is read from "
                "git (run 'git init' and commit the records, or drop --base)"
            ) from None
        if self.repo.working_tree_dir is None:
            raise StatusledgerError(f"{root}: a bare git repository has no records to check")
        top = Path(self.repo.working_tree_dir).resolve()
        try:
            inner = root.resolve().relative_to(top).as_posix()
        except ValueError:
            raise StatusledgerError(f"{root} is outside the work tree of {top}") from None
        self.prefix = "" if inner == "." else inner + "/"
        # Reading history must not write anything, not even git's opportunistic index refresh.
        self.repo.git.update_environment(GIT_OPTIONAL_LOCKS="0")

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.repo.close()  # ends GitPython's long-running cat-file processes

    def run(self, command: str, *args: str) -> str:
        """Run one git command in the work tree and return its output."""
        with git_errors(f"git {command}"):
            out: str = getattr(self.repo.git, command.replace("-", "_"))(*args)
            return out

    def pathspecs(self) -> list[str]:
        """Where records live, as git pathspecs from the top of the work tree."""
        return [self.prefix + p for p in (INCIDENTS_DIR, POSTMORTEMS_DIR, SERVICES_FILE)]

    def inside(self, path: str) -> str | None:
        """A git path made relative to the ledger root (None: outside it)."""
        return path[len(self.prefix) :] if path.startswith(self.prefix) else None

    def base(self, ref: str) -> str:
        """The commit whose records count as merged: the merge base of REF and HEAD."""
        if ref.startswith("-"):
            raise UsageError(f"--base {ref}: a git ref cannot start with '-'")
        with git_errors(f"--base {ref}"):
            try:  # git itself resolves the name, so every revision syntax git knows works
                target: str = self.repo.git.rev_parse(
                    "--verify", "--quiet", "--end-of-options", ref + "^{commit}"
                )
            except git.GitCommandError:
                raise StatusledgerError(
                    f"--base {ref}: no such branch, tag or commit in this repository; fetch it "
                    f"first (git fetch origin {ref}), and in CI check out with fetch-depth: 0"
                ) from None
            if not self.repo.head.is_valid():
                return target
            bases = self.repo.merge_base(target, "HEAD")
        if not bases:
            shallow = self.run("rev-parse", "--is-shallow-repository") == "true"
            advice = "compare with a branch this one was made from"
            if shallow:
                advice = (
                    "this clone is shallow: fetch the whole history (actions/checkout with "
                    "fetch-depth: 0, or git fetch --unshallow)"
                )
            raise StatusledgerError(f"--base {ref} shares no history with HEAD; {advice}")
        return bases[0].hexsha

    def changed(self, commit: str, *, untracked: bool = False) -> list[Entry]:
        """Record files that differ between `commit` and the working tree (staged or not)."""
        out = self.run(
            "diff",
            "--raw",
            "-z",
            "-M",
            "--no-abbrev",
            "--no-relative",
            "--no-ext-diff",
            commit,
            "--",
            *self.pathspecs(),
        )
        entries = list(self.raw_entries(out.split("\0")))
        if untracked:
            listed = self.run(
                "ls-files", "--others", "--exclude-standard", "-z", "--", *self.pathspecs()
            )
            for path in filter(None, listed.split("\0")):
                entries.append(Entry("A", None, self.inside(path), None))
        return entries

    def raw_entries(self, tokens: list[str]) -> Iterator[Entry]:
        """Parse `git diff/log --raw -z` output: status, paths and blob ids of each file."""
        position = 0
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if not token.startswith(":"):
                continue
            _, _, old_blob, new_blob, status = token[1:].split(" ")
            first = tokens[position]
            position += 1
            second = None
            if status[0] in "RC":
                second = tokens[position]
                position += 1
            yield self._entry(status[0], first, second, (old_blob, new_blob))

    def _entry(self, status: str, first: str, second: str | None, blobs: tuple[str, str]) -> Entry:
        old_path = None if status == "A" else self.inside(first)
        new_path = None if status == "D" else self.inside(second or first)
        old_blob, new_blob = (None if b == _ZERO else b for b in blobs)
        return Entry(status, old_path, new_path, old_blob, new_blob)

    def blob(self, sha: str) -> bytes:
        """The content of one blob."""
        with git_errors(f"reading blob {sha[:12]}"):
            data: bytes = self.repo.odb.stream(bytes.fromhex(sha)).read()
            return data

    def committed(self, path: str) -> bytes | None:
        """The content of a ledger-relative path at HEAD (None: not there)."""
        if not self.repo.head.is_valid():
            return None
        try:
            blob = self.repo.head.commit.tree / (self.prefix + path)
        except KeyError:
            return None
        data: bytes = blob.data_stream.read()
        return data


def default_base(root: Path) -> tuple[str, str]:
    """The ref `diff` compares with when given none, and why: the branch's upstream, else main.

    The upstream is what `git status` compares with: for a branch made from the target
    (`git switch -c fix origin/main`) it is the target, so the summary is the pull request's.
    """
    with git_errors("git"), Repo(root) as repo:
        try:
            upstream: str = repo.repo.git.rev_parse(
                "--abbrev-ref", "--symbolic-full-name", "@{upstream}"
            )
        except git.GitCommandError:  # no upstream, a detached HEAD, or no commit yet
            upstream = ""
    if upstream.strip():
        return upstream.strip(), "the upstream of the current branch"
    return "main", "the current branch has no upstream"
