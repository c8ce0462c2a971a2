"""``manage.py score_demo_run``: the demo's scoring runs (综合型 and 特色型), idempotent."""

from django.core.management.base import BaseCommand, CommandError

from icdc.accounts.models import Role, User
from icdc.rankings.adapters import RunInputError
from icdc.rankings.demo import create_demo_run, demo_systems


class Command(BaseCommand):
    help = "为演示数据生成评分运行（综合型和特色型）；已存在则不重复生成。"

    def add_arguments(self, parser):
        parser.add_argument("--system", default="all", help="指标体系代码（默认申报项目各类型所用的全部体系）")
        parser.add_argument("--cities", type=int, default=None,
                            help="参评城市数（默认演示数据的数目；其他数目另建一次运行）")
        parser.add_argument("--user", default="ministry", help="以此工信部业务管理员账号创建（默认 ministry）")

    def handle(self, *args, system, user, cities, **options):
        officer = User.objects.filter(username=user, role=Role.MINISTRY_OFFICER, is_active=True).first()
        if officer is None:
            raise CommandError(f"没有用户名为 {user} 的有效工信部业务管理员账号")
        if cities is not None and cities < 1:
            raise CommandError("参评城市数须为正整数")
        systems = demo_systems()
        if system != "all" and system not in systems:
            raise CommandError(f"没有指标体系 {system}；可选：{'、'.join(systems)}")
        for code in (systems if system == "all" else [system]):
            try:
                run, created = create_demo_run(officer, system_code=code, n_cities=cities)
            except RunInputError as exc:
                raise CommandError(exc.message) from exc
            state = "新建" if created else "已存在"
            self.stdout.write(f"{state}「{run.label}」：{run.city_results.count()} 条结果，输入摘要 {run.input_hash}")
