"""``python -m detente.cli``: the same as the ``detente`` command."""

from . import main

main()
