"""The `ofsted-reader` command: opens the app, and offers each capability as a scriptable subcommand.

Each command group is a module of this package, which adds its subcommands in `register` and runs them in its
`cmd_*` functions; this module builds the parser and says errors. Errors a user can cause (a bad file, an unknown
id) print one line, `ofsted-reader: <what>`, and exit 2.

Only what every command needs is imported at the top of each module; a command imports its own (rich, tinydb, the
importers) when it runs. `search` must answer in well under 0.2 s, and those imports alone were 0.1 s.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType

from ofsted_reader.importers.errors import ReportError
from ofsted_reader.store.errors import StoreError

from .common import EXIT_USAGE, UserError, say_error, say_store_notices


def cmd_app(args: argparse.Namespace) -> int:
    from ofsted_reader.tui.app import run

    return run()


class _Version(argparse.Action):
    """--version, the version read only when asked for (core/about.py)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from ofsted_reader.core.about import version

        print(f"ofsted-reader {version()}")
        parser.exit()


# Each command group's module and the commands it adds, in the order help lists them. A command's parser is built
# with its own group alone: importing and registering all five was most of what `search` took to answer (argparse
# looks up translations for every subparser). tests/test_cli_parse.py checks this table against the modules.
GROUPS: dict[str, tuple[str, ...]] = {
    "library": ("parse", "list", "import", "fetch", "open"),
    "search": ("search",),
    "notes": ("note", "tag", "backup"),
    "grades": ("compare", "grades", "map"),
    "research": ("export", "codebook", "memo"),
}


def _group(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{name}")


def _groups_for(argv: list[str]) -> list[str]:
    """The groups the parser needs for these arguments: the command's own, or all of them (help, no command, a
    command misspelt: argparse then lists every one)."""
    command = next((word for word in argv if not word.startswith("-")), None)
    for group, commands in GROUPS.items():
        if command in commands:
            return [group]
    return list(GROUPS)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, with only the command group they name (all groups for help)."""
    parser = argparse.ArgumentParser(
        prog="ofsted-reader",
        description="Read, search, annotate and compare Ofsted children's services reports. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _groups_for(argv) if argv is not None else list(GROUPS):
        _group(group).register(sub)
    p = sub.add_parser("app", help="open the app (the default)")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv)
    finally:
        say_store_notices()


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `search fostering -adoption -region:london`: an exclusion reads as an unknown option to argparse.
        if args.command == "search" and all(e.startswith("-") and not e.startswith("--") for e in extra):
            args.query += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    func = getattr(args, "func", cmd_app)
    try:
        return func(args)
    except (UserError, StoreError) as error:
        say_error(str(error))
        return EXIT_USAGE
    except ReportError as error:
        say_error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output stopped (`| head`): not an error. Python's own flush at exit would fail again on
        # the closed pipe and print a traceback, so standard output is pointed at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # A write that failed (disk full, read-only folder, a path that is a directory): one line, nothing half done.
        where = f"{error.filename}: " if error.filename else ""
        say_error(
            f"{where}{error.strerror or error}; nothing was changed there. Check the path, its permissions and "
            "the free space, then try again"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
