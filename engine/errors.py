"""Errors meant for the user: the message says what is wrong and what to do; the GUI shows it as it is."""


class PLMError(Exception):
    """Base of every error the app explains to the user instead of showing a traceback."""


class InputError(PLMError, ValueError):
    """Text or ids the model cannot take (empty, too long, unknown ids)."""


class CheckpointError(PLMError, ValueError):
    """A folder or file that is not a checkpoint we can read safely."""


class DeviceError(PLMError, RuntimeError):
    """A device that is not there, or a model that does not fit on it."""


class UnknownModelError(PLMError, KeyError):
    def __str__(self) -> str:   # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ExportError(PLMError, OSError):
    """A file that could not be written; the message names the path and the reason."""
