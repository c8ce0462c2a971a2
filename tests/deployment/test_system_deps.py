"""`make test` makes sure of the system packages the suite uses, or stops before running
anything with one message naming the command (issue 11, item 1). Tested by hiding Chromium
(through PATH or ICDC_CHROMIUM) and apt-get, so nothing is ever installed by the suite."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "system_deps.sh"
HIDDEN = {"chromium", "chromium-browser", "apt-get", "apt", "sudo"}


@pytest.fixture
def path_without_chromium(tmp_path):
    """A PATH with every program of this machine except Chromium and the means to install it."""
    shim = tmp_path / "bin"
    shim.mkdir()
    for directory in ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = shim / name
            if name not in HIDDEN and not target.exists() and not target.is_symlink():
                target.symlink_to(os.path.join(directory, name))
    return str(shim)


def run(args, *, env_changes, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if k not in {"ICDC_CHROMIUM", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ARGS"}}
    env.update(env_changes)
    return subprocess.run(args, env=env, cwd=cwd or settings.BASE_DIR, capture_output=True, text=True, timeout=120)


def test_check_passes_where_everything_is_installed():
    result = run(["bash", str(SCRIPT), "--check"], env_changes={})
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_check_names_chromium_and_the_command_when_it_is_missing():
    result = run(["bash", str(SCRIPT), "--check"], env_changes={"ICDC_CHROMIUM": "/nonexistent/chromium"})
    assert result.returncode == 1
    assert "missing here: chromium\n" in result.stderr
    assert "sudo apt-get update && sudo apt-get install -y chromium\n" in result.stderr


def test_without_a_way_to_install_it_stops_with_the_message(path_without_chromium):
    # Default (install) mode, but apt-get and sudo are out of reach: it must stop, not skip.
    result = run(["bash", str(SCRIPT)], env_changes={"PATH": path_without_chromium})
    assert result.returncode == 1
    assert "missing here: chromium\n" in result.stderr
    assert "sudo apt-get install -y chromium" in result.stderr
    assert "installing" not in result.stdout + result.stderr


def test_make_test_stops_before_running_anything(path_without_chromium):
    result = run(["make", "test", "PYTEST_ARGS=--collect-only -q"], env_changes={"PATH": path_without_chromium})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "missing here: chromium" in output and "sudo apt-get install -y chromium" in output
    assert "pytest" not in output and "pip" not in output  # neither the suite nor the dependencies ran
