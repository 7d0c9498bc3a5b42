"""Registration, sign-in, profile, passwords and user administration."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from wtforms.fields.choices import SelectChoice

from livinglab import panels
from livinglab.accounts import queries, services, sessions, signins, throttling
from livinglab.accounts.forms import (
    ActivationForm,
    ChoosePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    RoleForm,
)
from livinglab.accounts.models import EmailFrequency, User
from livinglab.accounts.permissions import can_edit_user, can_grant_role, can_manage_users, load_user
from livinglab.accounts.registration import Registration, registration_from_token, send_registration_mail
from livinglab.audit import queries as audit_queries
from livinglab.extensions import db, limiter
from livinglab.i18n import VISITOR_CHOICE, select_locale
from livinglab.mail import run_after_response
from livinglab.pagecache import public_page
from livinglab.pagination import paginate
from livinglab.regencies.queries import regency_choices
from livinglab.roles import ROLE_LABELS, Role

bp = Blueprint("accounts", __name__)
init_login = sessions.init_login


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only follow local paths after sign-in or a language switch, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def _regency_select(field) -> None:
    field.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(code, name, optgroup=province) for province, code, name in regency_choices()
    ]


def _config(name: str):
    return lambda: current_app.config[name]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_config("REGISTER_LIMIT"), methods=["POST"])
@limiter.limit(_config("REGISTER_TARGET_LIMIT"), key_func=throttling.target_key, methods=["POST"])
def register():
    """Same answer and same mail-after-response whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = RegisterForm()
    _regency_select(form.regency)
    if form.validate_on_submit():
        data = Registration(form.email.data.strip().lower(), form.name.data.strip(), form.regency.data or None,
                            select_locale())
        run_after_response(send_registration_mail, data)
        flash(_("We have sent a message to %(email)s. Open the link in it to finish creating your account.",
                email=data.email), "info")
        return redirect(url_for("site.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/finish/<token>", methods=["GET", "POST"])
def finish_registration(token: str):
    """The e-mailed link: choose a password, and the account exists and is signed in."""
    data = registration_from_token(token)
    if data is None:
        flash(_("This link is invalid or expired. Please register again."), "error")
        return redirect(url_for("accounts.register"))
    if queries.find_user_by_email(data.email):
        flash(_("This account already exists. Please sign in."), "info")
        return redirect(url_for("accounts.login"))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        user = services.register_user(data.email, data.name, form.password.data, locale=data.locale,
                                      regency_code=data.regency_code)
        session.pop(VISITOR_CHOICE, None)  # the new account already took the visitor's language
        sessions.sign_in_browser(user, remember=False)
        flash(_("Welcome to Livinglab, %(name)s. Your account is ready.", name=user.name), "success")
        return throttling.remember_device(redirect(url_for("site.index")), user.email)
    return render_template("accounts/finish_registration.html", form=form, registration=data)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_config("LOGIN_FAILURE_LIMIT"), key_func=throttling.login_key, methods=["POST"],
               deduct_when=throttling.failed_login)
@limiter.limit(_config("LOGIN_ADDRESS_LIMIT"), key_func=throttling.login_address_key, methods=["POST"],
               deduct_when=throttling.failed_login, exempt_when=throttling.is_trusted_device)
@limiter.limit(_config("LOGIN_ACCOUNT_LIMIT"), key_func=throttling.login_account_key, methods=["POST"],
               deduct_when=throttling.failed_login, exempt_when=throttling.is_trusted_device,
               on_breach=throttling.note_account_limit)
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
            sessions.sign_in_browser(user, remember=bool(form.remember.data))
            flash(_("You are signed in. Welcome back, %(name)s.", name=user.name), "success")
            response = redirect(safe_next(request.args.get("next"), url_for("site.index")))
            return throttling.remember_device(response, user.email)
        form.password.errors.append(_("The e-mail address or password is not correct."))
    return render_template("accounts/login.html", form=form)


def too_many_requests():
    """The form again, with what was typed and a message in the user's language, when throttled."""
    if request.endpoint == "accounts.login":
        form, template = LoginForm(), "accounts/login.html"
        message = _("Too many failed attempts. Please wait a minute before trying again.")
        if g.get("account_throttled"):
            message = _("This account has had many failed sign-ins. Sign in from a device you used before, "
                        "or choose a new password with “Forgot your password?”.")
        form.password.errors = [message]
    else:
        form, template = (RegisterForm(), "accounts/register.html") if request.endpoint == "accounts.register" \
            else (ForgotPasswordForm(), "accounts/forgot_password.html")
        if isinstance(form, RegisterForm):
            _regency_select(form.regency)
        form.email.errors = [_("Too many requests. Please wait an hour before trying again.")]
    return render_template(template, form=form), 429


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """GET asks for confirmation; POST (with its CSRF token) ends this browser's sign-in."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("site.index"))
        return render_template("accounts/logout.html", form=ActivationForm())
    if (sign_in := sessions.current_sign_in()) is not None:
        signins.end_sign_in(sign_in)
        db.session.commit()
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
    return render_template("accounts/profile.html", form=form, sign_ins=signins.open_sign_ins(user),
                           this_sign_in=sessions.current_sign_in())


@bp.get("/people/<handle>")
@public_page
def person(handle: str):
    """The public profile a mention links to: name, handle, role and regency, nothing private."""
    user = queries.find_user_by_handle(handle)
    if user is None or not user.is_active:
        abort(404)
    return render_template("accounts/person.html", person=user, panels=panels.collect("person", user))


@bp.get("/u/<int:user_id>")
def person_by_id(user_id: int):
    """Where mentions point: the profile under the person's current handle."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    return redirect(url_for("accounts.person", handle=user.handle))


@bp.get("/admin/users")
@login_required
def users():
    if not can_manage_users(current_user):
        abort(403)
    args = request.args
    query = queries.user_list_query(args.get("q", ""), args.get("role", ""), args.get("status", ""))
    page = paginate(query)
    return render_template("accounts/users.html", page=page, roles=list(Role), role_labels=ROLE_LABELS)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_detail(user_id: int):
    user = load_user(user_id, can_edit_user)
    form = RoleForm(data={"role": user.role.value, "regency": user.regency_code or ""})
    form.role.choices = [
        SelectChoice(r.value, ROLE_LABELS[r]) for r in Role if can_grant_role(current_user, r)
    ]
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
                           events=events, role_labels=ROLE_LABELS)


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
    return str(ROLE_LABELS[role])
