"""Expected failures: each carries a message written for the user.

Anything else that escapes is a bug and is logged loudly with its traceback.
"""


class UserError(Exception):
    """An expected failure whose ``str()`` is a clear message for the user."""


class DocumentError(UserError):
    """A document cannot be opened (empty, junk, unknown type, damaged...)."""


class PasswordRequired(DocumentError):
    """An encrypted document needs a password (``wrong`` is True after a failed try)."""

    def __init__(self, message: str, wrong: bool = False):
        super().__init__(message)
        self.wrong = wrong


class Cancelled(UserError):
    """Long work was cancelled by the user."""

    def __init__(self, message: str = "Cancelled."):
        super().__init__(message)


class StoreError(UserError):
    """An annotation file cannot be opened or written (not ours, too new, damaged, locked, disk full)."""


class ExportError(UserError):
    """An export or import failed (unwritable path, malformed input...)."""
