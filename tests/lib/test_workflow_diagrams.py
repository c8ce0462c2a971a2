"""docs/workflows/ is generated from the declarations: it fails when a diagram and its code differ."""

from pathlib import Path

from django.conf import settings

from icdc.lib.workflow import all_workflows, diagram_document


def test_every_declared_lifecycle_has_its_current_diagram_in_docs():
    workflows = all_workflows()
    assert {"applications.application", "batches.batch", "indicators.version"} <= set(workflows)
    folder = Path(settings.BASE_DIR) / "docs" / "workflows"
    for name, workflow in workflows.items():
        path = folder / f"{name}.md"
        assert path.exists(), f"{path} missing: run manage.py workflow_diagrams"
        assert path.read_text(encoding="utf-8") == diagram_document(workflow), \
            f"{path} is stale: run manage.py workflow_diagrams"


def test_the_diagram_names_every_transition_of_the_declaration():
    workflow = all_workflows()["applications.application"]
    text = workflow.mermaid()
    for transition in workflow.transitions.values():
        for source in transition.sources:
            assert f"{source} --> {transition.target}: {transition.label}" in text
