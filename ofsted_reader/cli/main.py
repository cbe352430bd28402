"""The `ofsted-reader` command: opens the app, and offers each capability as a scriptable subcommand.

Each command group is a module of this package, which adds its subcommands in `register` and runs them in its
`cmd_*` functions; this module builds the parser and says errors. Errors a user can cause (a bad file, an unknown
id) print one line, `ofsted-reader: <what>`, and exit 2.

Only what every command needs is imported at the top of each module; a command imports its own (rich, tinydb, the
importers) when it runs. `search` must answer in well under 0.2 s, and those imports alone were 0.1 s.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ofsted_reader.store.errors import StoreError

from .common import EXIT_USAGE, UserError, say_error, say_store_notices

if TYPE_CHECKING:
    import argparse


def cmd_app(args: argparse.Namespace) -> int:
    from ofsted_reader.tui.app import run

    return run()


def _version_action() -> type[argparse.Action]:
    """--version, the version read only when asked for (core/about.py). Made with the parser: argparse is imported
    only by a command that needs it (a plain `search` does not, see search.quick_args)."""
    import argparse

    class Version(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
            from ofsted_reader.core.about import version

            print(f"ofsted-reader {version()}")
            parser.exit()

    return Version


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
    import argparse

    parser = argparse.ArgumentParser(
        prog="ofsted-reader",
        description="Read, search, annotate and compare Ofsted children's services reports. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action=_version_action(), nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _groups_for(argv) if argv is not None else list(GROUPS):
        _group(group).register(sub)
    p = sub.add_parser("app", help="open the app (the default)")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    # A search is a short process that makes tens of thousands of objects and next to no cycles: the collector's
    # passes over them, and over every module imported, were 5-8 ms of it. Paused for it alone (cmd_search resumes
    # it before indexing a library), and resumed after, for a caller that runs main in its own process.
    paused = (sys.argv[1:2] if argv is None else argv[:1]) == ["search"] and gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _run(argv)
    finally:
        if paused:
            gc.enable()
        say_store_notices()


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args: Any = None
    if argv[:1] == ["search"]:
        from .search import quick_args

        args = quick_args(argv)
    if args is None:
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
    except Exception as error:  # last: a ReportError is no OSError, and `raise` here skips the clauses above
        if not _report_error(error):
            raise
        say_error(str(error))
        return EXIT_USAGE


def _report_error(error: Exception) -> bool:
    """Whether this is a file that is not a report (importers.ReportError). Only a command that read a file can have
    raised one, and importing the importers (the domain model with them) to ask was a fifth of what `search` took."""
    errors = sys.modules.get("ofsted_reader.importers.errors")
    return errors is not None and isinstance(error, errors.ReportError)
