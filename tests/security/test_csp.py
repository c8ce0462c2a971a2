"""Content-Security-Policy on every page: our own origin only, no plugins, no <base> elsewhere,
no framing, forms posting only to us."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("url_name", ["home:index", "accounts:login"])
def test_the_policy_names_every_restrictive_directive(client, db, url_name):
    policy = client.get(reverse(url_name))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
