"""The build's locks: one build at a time per output folder and cache folder, and
no live build (make publish) while a preview runs on the same output folder.
"""

import fcntl
import os
import sys
from contextlib import contextmanager

from build_log import shown


@contextmanager
def locked(paths, say):
    """Hold an exclusive lock for each folder (a `.<name>-lock` file beside it).

    A second build of the same output folder or content cache waits here, after
    saying which process holds it (written in the lock file). The lock is the
    kernel's (flock): it goes when its process ends, however it ends, so a killed
    or stuck build never keeps it. The lock file is removed on release; a waiter
    that then holds a removed file's lock tries again.

    Why not the `filelock` package: it is not installed (requirements.txt would
    grow by one package for some 30 lines), its Unix lock is this same flock,
    and it does not say who holds a lock, which the waiting editor is told here;
    nor has it the shared lock previewing() takes.
    """
    held = []
    try:
        for path in sorted(set(paths)):
            lock_file = path.with_name(f".{path.name}-lock")
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            waited = False
            while True:
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not waited:
                        say(f"Another build ({holder(lock_file)}) is using {path}/; waiting"
                            " for it to finish. Stop it with Ctrl+C, or `kill` that process"
                            " if it is stuck: its lock goes with it.")
                        waited = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.stat(lock_file).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()} {' '.join(sys.argv)}"[:500].encode())
                    held.append((lock_file, fd))
                    break
                os.close(fd)  # the holder removed it as we waited: lock the new one
        yield
    finally:
        for lock_file, fd in reversed(held):
            lock_file.unlink(missing_ok=True)
            os.close(fd)


def holder(lock_file):
    """The process holding a lock, as written in its file: `process 123: tools/build.py ...`."""
    try:
        pid, _, command = lock_file.read_text(errors="replace").partition(" ")
    except OSError:
        pid = command = ""
    return f"process {pid}: {shown(command)}" if pid.isdigit() else "process unknown"


# The preview and the live site ---------------------------------------------------

def preview_lock(output):
    return output.with_name(f".{output.name}-preview")


@contextmanager
def previewing(output):
    """Held (shared) by a preview (make devserver, make regenerate) for as long as it
    runs: it rebuilds and rewrites pages of output/ at any time. Waits for a live
    build (make publish) of the same folder to finish first."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(preview_lock(output), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"A live build (make publish) is using {output}/; the preview starts when"
                  " it is done.", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def hold_against_previews(output):
    """For a live build: a lock no preview of output can take while it is held, or
    None when a preview runs (its next save would mix preview pages into the live
    site, without their .gz and .br copies)."""
    fd = os.open(preview_lock(output), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd

