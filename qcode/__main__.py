"""Allow `python -m qcode`."""

from qcode.cli.main import main

main()
