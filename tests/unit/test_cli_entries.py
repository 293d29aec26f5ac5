"""The top-level help is written in one place; it must say what each group says of itself."""

from podium.cli.app import ENTRIES, load


def test_each_listed_help_line_is_the_commands_own() -> None:
    for name, (_, _, line) in ENTRIES.items():
        command = load(name)
        own = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
        assert own.startswith(line), f"podium {name}: {line!r} vs {own!r}"
        assert command.name == name
