"""Write docs/workflows/<lifecycle>.md from each declared workflow (``--check``: exit 1 if stale)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from icdc.lib.workflow import all_workflows, diagram_document


class Command(BaseCommand):
    help = "生成各业务流程的状态图（docs/workflows/）"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查，不写入；不一致时退出码为 1")

    def handle(self, *args, check=False, **options):
        folder = Path(settings.BASE_DIR) / "docs" / "workflows"
        stale = []
        for name, workflow in all_workflows().items():
            path = folder / f"{name}.md"
            text = diagram_document(workflow)
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            stale.append(path.name)
            if not check:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"wrote {path.relative_to(settings.BASE_DIR)}")
        if check and stale:
            raise CommandError(f"stale diagrams: {', '.join(stale)}")
