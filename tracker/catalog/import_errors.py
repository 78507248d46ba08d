"""The one exception family of the catalog import: anything that refuses an import.

The management command turns each of these into a CommandError (exit status 1).
"""


class ImportFailure(Exception):
    """An import was refused; nothing was written."""
