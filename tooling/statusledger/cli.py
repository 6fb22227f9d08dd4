"""The command line: parse arguments, call one core function, map errors to exit codes.

Subcommands live one per module in `statusledger.commands`; this module only assembles them
and owns the single place where a StatusledgerError becomes a message and an exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from statusledger import __version__
from statusledger.errors import StatusledgerError, UsageError
from statusledger.loading import find_root, owning_process
from statusledger.records.types import printable


class Env:
    """What every command needs to find the repository."""

    def __init__(self, root: Path | None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        """The repository root: --root, else the nearest folder above holding services.yaml."""
        if self._root is not None:
            if not self._root.is_dir():
                raise UsageError(f"--root {self._root}: no such folder")
            services = self._root / "services.yaml"
            # A link (even a looping one) is the loader's to judge: it reports it as a finding.
            if not services.is_file() and not services.is_symlink():
                # As without --root, and as validate's file/missing: the repository is
                # incomplete (exit 1), the option itself was fine.
                raise StatusledgerError(
                    f"--root {self._root}: no services.yaml there; create it with page, "
                    "components and slas (statusledger init), or name the folder that holds it"
                )
            return self._root.resolve()
        return find_root(Path.cwd())


class _Commands(click.Group):
    """A group whose subcommands are imported when first used (see statusledger.commands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from statusledger.commands import COMMAND_MODULES

        return list(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from statusledger.commands import command

        return command(cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Repository folder (the one holding services.yaml). Default: found upward.",
)
@click.version_option(__version__, prog_name="statusledger")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Incident records as code, and the public status page built from them."""
    ctx.obj = Env(root)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 findings or failure, 2 usage error)."""
    try:
        with owning_process():  # the CLI owns its process (loading.owning_process)
            result = cli.main(
                args=list(argv) if argv is not None else None,
                prog_name="statusledger",
                standalone_mode=False,
            )
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except StatusledgerError as exc:
        # Messages may quote record text: control characters are escaped, line by line.
        lines = str(exc).split("\n")
        click.echo("statusledger: " + "\n".join(printable(line) for line in lines), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        if os.environ.get("STATUSLEDGER_DEBUG"):
            raise
        click.echo(
            f"statusledger: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in statusledger, not in your records; rerun with "
            "STATUSLEDGER_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


class Failed(click.exceptions.Exit):
    """Raised by a command to end with a given exit code after printing its own output."""


if __name__ == "__main__":  # pragma: no cover
    # `python -m statusledger.cli` runs this file as __main__, a second copy of the module
    # whose Env class is not the one the commands check for; run the real module instead.
    from statusledger.cli import main as package_main

    sys.exit(package_main())
