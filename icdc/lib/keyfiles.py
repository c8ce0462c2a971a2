"""Key files of the embedded profile (audit HMAC key, SM4 data keys), outside the database."""

import os


def read_or_create(path, make_content):
    """The file's text, writing ``make_content()`` first if it does not exist yet.

    Owner-only from the first byte (O_EXCL with mode 0600), so two processes starting together
    agree on one key instead of each writing its own.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use that key
            return path.read_text()
        with os.fdopen(fd, "w") as out:
            out.write(make_content())
    return path.read_text()
