"""Reading YAML that people upload or edit: safe, without aliases, without NUL characters.

Pure (PyYAML only, no Django), so pure cores such as ``icdc.programmes.definition`` can use it.
Callers turn the exceptions into their own Chinese messages.
"""

import yaml


class AliasRefused(yaml.composer.ComposerError):
    """The text uses an alias (``*name``); refused before anything is expanded."""


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors/aliases: our documents never need them, and nested aliases in
    a small file can expand to gigabytes when the document is walked or stored ("billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise AliasRefused(None, None, "alias", self.peek_event().start_mark)
        return super().compose_node(parent, index)


def has_nul(value):
    """Any NUL in a string, key or value, however deep (iterative: nesting is the attacker's).

    A ``"\\0"`` escape gives a NUL character, which PostgreSQL refuses in text (a 500, not a message)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list | tuple | set | frozenset):
            pending += item
    return False
