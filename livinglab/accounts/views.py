"""Registration, sign-in, profile, passwords and user administration."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from livinglab.accounts import queries, services
from livinglab.accounts.forms import (
    ActivationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    RoleForm,
)
from livinglab.accounts.models import EmailFrequency, Role, User
from livinglab.accounts.permissions import can_edit_user, can_grant_role, can_manage_users, load_user
from livinglab.audit import queries as audit_queries
from livinglab.extensions import db, limiter, login_manager
from livinglab.pagination import paginate
from livinglab.regencies.queries import regency_choices
from livinglab.site.i18n import VISITOR_CHOICE, select_locale

bp = Blueprint("accounts", __name__)


def init_login(app: Flask) -> None:
    """Bind Flask-Login: sessions carry "id.version", so old sessions end on password change."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_session_user(session_id: str) -> User | None:
    user_id, _sep, version = session_id.partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only follow local paths after sign-in or a language switch, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def _login_key() -> str:
    return f"{request.remote_addr}|{(request.form.get('email') or '').strip().lower()}"


def _failed_login(response) -> bool:
    return request.method == "POST" and response.status_code == 200


def _regency_select(field) -> None:
    field.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(code, name, optgroup=province) for province, code, name in regency_choices()
    ]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = RegisterForm()
    _regency_select(form.regency)
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.email.data, form.name.data, form.password.data,
                locale=select_locale(), regency_code=form.regency.data,
            )
        except services.AccountError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            session.pop(VISITOR_CHOICE, None)  # the new account already took the visitor's language
            db.session.commit()
            login_user(user)
            flash(_("Welcome to Livinglab, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("site.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_login_key, methods=["POST"], deduct_when=_failed_login
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("site.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            chosen = session.pop(VISITOR_CHOICE, None)
            if chosen in current_app.config["LANGUAGES"]:
                user.locale = chosen
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in. Welcome back, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("site.index")))
        form.password.errors.append(_("The e-mail address or password is not correct."))
    return render_template("accounts/login.html", form=form)


def too_many_logins():
    """The sign-in page again, with what was typed, when failed attempts are throttled."""
    form = LoginForm()
    form.password.errors = [_("Too many failed attempts. Please wait a minute before trying again.")]
    return render_template("accounts/login.html", form=form), 429


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """GET asks for confirmation; POST (with its CSRF token) signs out."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("site.index"))
        return render_template("accounts/logout.html", form=ActivationForm())
    logout_user()
    session.pop(VISITOR_CHOICE, None)
    flash(_("You have been signed out."), "info")
    return redirect(url_for("site.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(data={"name": user.name, "handle": user.handle, "locale": user.locale,
                             "email_frequency": user.email_frequency.value})
    if form.validate_on_submit():
        try:
            services.update_profile(user, form.name.data, form.locale.data, form.handle.data,
                                    EmailFrequency(form.email_frequency.data))
        except services.AccountError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.get("/people/<handle>")
def person(handle: str):
    """The public profile a mention links to: name, handle, role and regency, nothing private."""
    user = queries.find_user_by_handle(handle)
    if user is None or not user.is_active:
        abort(404)
    return render_template("accounts/person.html", person=user)


@bp.get("/u/<int:user_id>")
def person_by_id(user_id: int):
    """Where mentions point: the profile under the person's current handle."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    return redirect(url_for("accounts.person", handle=user.handle))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            db.session.commit()
            login_user(user)  # the new session version keeps this device signed in
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_MAIL_LIMIT"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_reset_mail(
            form.email.data, lambda token: url_for("accounts.reset_password", token=token, _external=True)
        )
        flash(_("If an account uses that address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link is invalid, expired or already used. Please ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("Your new password is set. Please sign in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.get("/admin/users")
@login_required
def users():
    if not can_manage_users(current_user):
        abort(403)
    args = request.args
    query = queries.user_list_query(args.get("q", ""), args.get("role", ""), args.get("status", ""))
    page = paginate(query)
    return render_template("accounts/users.html", page=page, roles=list(Role), role_labels=services.ROLE_LABELS)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_detail(user_id: int):
    user = load_user(user_id, can_edit_user)
    form = RoleForm(data={"role": user.role.value, "regency": user.regency_code or ""})
    form.role.choices = [SelectChoice(r.value, services.ROLE_LABELS[r]) for r in Role if can_grant_role(current_user, r)]
    _regency_select(form.regency)
    if form.validate_on_submit():
        try:
            services.change_role(user, Role(form.role.data), form.regency.data or None, by=current_user)
        except services.AccountError as error:
            form.regency.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The role of %(name)s has been saved.", name=user.name), "success")
            return redirect(url_for("accounts.user_detail", user_id=user.id))
    events = audit_queries.events_for("user", user.id)
    return render_template("accounts/user_detail.html", user=user, form=form, activation=ActivationForm(),
                           events=events, role_labels=services.ROLE_LABELS)


@bp.post("/admin/users/<int:user_id>/activation")
@login_required
def user_activation(user_id: int):
    user = load_user(user_id, can_edit_user)
    form = ActivationForm()
    if form.validate_on_submit():
        activate = request.form.get("active") == "1"
        services.set_active(user, activate, by=current_user)
        db.session.commit()
        flash(_("The account has been reactivated.") if activate else _("The account has been deactivated."), "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))



@bp.app_template_global()
def role_label(role: Role) -> str:
    """The translated name of a role, for templates."""
    return str(services.ROLE_LABELS[role])
