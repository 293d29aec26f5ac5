"""``python -m podium.cli``: the ``podium`` command."""

from podium.cli.app import main

main()
