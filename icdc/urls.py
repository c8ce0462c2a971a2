from captcha import views as captcha_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("信息消费示范城市建设管理平台 · 系统管理")
admin.site.site_title = _("ICDC 系统管理")

urlpatterns = [
    path("", include("icdc.home.urls")),
    path("accounts/", include("icdc.accounts.urls")),
    path("audit/", include("icdc.audit.urls")),
    path("indicators/", include("icdc.indicators.urls")),
    path("rankings/", include("icdc.rankings.urls")),
    path("batches/", include("icdc.batches.urls")),
    path("preliminary/", include("icdc.applications.urls_review")),
    path("formal-review/", include("icdc.review.urls_formal")),
    path("review/scoring/", include("icdc.review.urls_scoring")),
    path("review/defence/", include("icdc.review.urls_defence")),
    path("review/", include("icdc.review.urls")),
    path("notifications/", include("icdc.notifications.urls")),
    path("applications/", include("icdc.applications.urls")),
    path("workdays/", include("icdc.workdays.urls")),
    path("titles/", include("icdc.titles.urls")),
    path("decisions/", include("icdc.decisions.urls")),
    path("portal/notices/", include("icdc.decisions.urls_public")),
    # django-simple-captcha's image (the objection form; drawn here with a local font). Only the image:
    # no audio (no flite on the servers) and no refresh (JavaScript) URLs.
    re_path(r"^captcha/image/(?P<key>\w+)/$", captcha_views.captcha_image, {"scale": 1}, name="captcha-image"),
    re_path(r"^captcha/image/(?P<key>\w+)@2/$", captcha_views.captcha_image, {"scale": 2}, name="captcha-image-2x"),
    path("portal/", include("icdc.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if getattr(settings, "ICDC_BENCH_VIEWS", False):  # icdc.settings_bench only: see icdc/lib/bench_views.py
    urlpatterns.append(path("_bench/", include(("icdc.lib.bench_views", "bench"))))

handler403 = "icdc.home.errors.permission_denied"
