"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from web import health, mfa
from web.admin_sign_in import admin_sign_in
from web.auth import SignInForm
from web.home import home
from web.security_txt import security_txt

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    # One sign-in page for everything, with its lockout and second factor:
    # the admin's own login form would skip the second factor. A signed-in user who is not
    # staff gets the 403 page there, not a loop back to sign-in (web/admin_sign_in.py).
    path("admin/login/", admin_sign_in),
    path("admin/", admin.site.urls),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/set-up/", mfa.SetUpView.as_view(), name="mfa-setup"),
    path("sign-in/code/", mfa.VerifyView.as_view(), name="mfa-verify"),
    path("sign-in/enrol/<str:token>/", mfa.EnrolView.as_view(), name="mfa-enrol"),
    path("", home, name="home"),
    path("team/", include("supervisors.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("web.audit_urls")),
    path("access/", include("web.access_urls")),
    path("", include("custody.urls")),
    path("", include("navigators.urls")),
]
