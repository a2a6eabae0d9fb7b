"""Reading a checkpoint folder's files without trusting them: only regular files (a FIFO would block forever, a
symlink to /dev/zero never ends, a directory named config.json is not a file), JSON with a size cap, and names
from an index that stay inside the folder."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path, PurePosixPath

from engine.errors import CheckpointError

JSON_LIMIT = 64 * 2**20   # config, tokenizer and index files; real ones are kilobytes (tokenizer.json: ~10 MiB)


def regular_file(path: Path, what: str = "") -> Path:
    """`path` when it is (or links to) a regular file; a CheckpointError saying what it is otherwise. Symlinks
    are followed, as in the Hugging Face cache, whose snapshot files link to blobs."""
    what = what or path.name
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise CheckpointError(f"{what} is missing from {path.parent}.") from None
    except OSError as error:
        raise CheckpointError(f"{what} cannot be read ({error.strerror}).") from None
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        raise CheckpointError(f"{what} in {path.parent} is {kind}, not a file: refused.")
    return path


def read_json(path: Path, what: str = "", limit: int = JSON_LIMIT):
    """The parsed JSON of a regular file no larger than `limit` bytes."""
    what = what or path.name
    regular_file(path, what)
    size = os.stat(path).st_size
    if size > limit:
        raise CheckpointError(f"{what} is {size / 2**20:.0f} MiB; a JSON file of a checkpoint is at most "
                              f"{limit / 2**20:.0f} MiB here: refused.")
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read(limit + 1).decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{what} is not valid JSON ({error}).") from None
    except OSError as error:
        raise CheckpointError(f"{what} cannot be read ({error.strerror}).") from None


def inside(folder: Path, name: object, what: str) -> Path:
    """A file name listed by an index, kept inside the folder: no absolute paths, no '..', no other folder."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise CheckpointError(f"{what} lists {name!r}, which is not a file name.")
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if PurePosixPath(name).is_absolute() or name.startswith(("/", "\\")) or ".." in parts or len(parts) != 1 \
            or ":" in name:
        raise CheckpointError(f"{what} lists {name!r}, which points outside the checkpoint folder: refused.")
    return folder / name


def writable_target(path: str | Path, suffix: str = "") -> Path:
    """Where a file asked for at `path` will go (with `suffix` added when it lacks it), or an ExportError saying
    why it cannot: a folder given instead of a file, a missing folder, a name too long."""
    from engine.errors import ExportError

    if "\x00" in str(path):
        raise ExportError("A file name cannot hold a NUL character. Choose another name.")
    path = Path(path).expanduser()
    size = len((path.name + suffix).encode("utf-8", "surrogateescape"))
    if size > 255:
        raise ExportError(f"The file name is {size} bytes long; file systems allow 255. Choose a shorter name.")
    if str(path) in ("", ".") or path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name inside it.")
    if suffix and path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    parent = path.parent
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        raise ExportError(f"Cannot write {path.name}: the folder {parent} {what}.")
    return path


def atomic_write(path: str | Path, write, suffix: str = "") -> Path:
    """Write through `write(temporary_path)` next to the target, then rename it into place: a failed or
    interrupted export never leaves half a file under the real name. Returns the path written."""
    import tempfile

    from engine.errors import ExportError

    target = writable_target(path, suffix)
    try:
        handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name[:100]}.",
                                             suffix=".part" + (suffix or target.suffix), delete=False)
        handle.close()
    except OSError as error:
        raise ExportError(f"Cannot write into {target.parent}: {error.strerror}.") from None
    temporary = Path(handle.name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)   # as an ordinary new file would be (a temporary one starts as 0600)
    try:
        written = write(temporary)
        if written is False or not temporary.exists() or temporary.stat().st_size == 0:
            raise ExportError(f"Nothing was written to {target}.")
        os.replace(temporary, target)
    except (OSError, ValueError) as error:
        raise ExportError(f"Cannot write {target}: {getattr(error, 'strerror', None) or error}.") from None
    finally:
        if temporary.exists():
            temporary.unlink()
    return target
