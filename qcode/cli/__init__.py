"""The `qcode` command line: thin click commands that parse arguments, call the core and format output."""
