"""Every command of the project answers ``--help`` (a lazily translated help text made argparse
raise TypeError: ``manage.py load_divisions --help`` crashed)."""

import pytest
from django.core.management import get_commands, load_command_class

PROJECT_COMMANDS = sorted((name, app) for name, app in get_commands().items() if app.startswith("icdc."))


def test_the_project_has_commands():
    assert {"load_divisions", "build_portal_map", "load_demo", "verify_audit"} <= {n for n, _ in PROJECT_COMMANDS}


@pytest.mark.parametrize(("name", "app"), PROJECT_COMMANDS)
def test_help_is_printed(name, app):
    command = load_command_class(app, name)
    text = command.create_parser("manage.py", name).format_help()
    assert f"manage.py {name}" in text and "--help" in text
    if command.help:
        assert str(command.help).split("（")[0][:8] in " ".join(text.split())
