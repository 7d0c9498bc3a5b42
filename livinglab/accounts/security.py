"""Routes that keep an account safe: changing and resetting the password, ending sign-ins."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, logout_user

from livinglab.accounts import services, sessions, signins, throttling
from livinglab.accounts.forms import ActivationForm, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm
from livinglab.accounts.permissions import can_end_sign_in, load_sign_in
from livinglab.extensions import db, limiter
from livinglab.mail import run_after_response
from livinglab.routing import RouteTable

routes = RouteTable()


@routes.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        remember = bool((sign_in := sessions.current_sign_in()) and sign_in.is_remembered)
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            sessions.sign_in_browser(user, remember=remember)  # a new sign-in keeps this browser signed in
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@routes.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_MAIL_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_MAIL_TARGET_LIMIT"], key_func=throttling.target_key,
               methods=["POST"])
def forgot_password():
    """The same answer, at once, for known and unknown addresses: the lookup and the mail come after."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        run_after_response(services.send_reset_mail, form.email.data.strip().lower())
        flash(_("If an account uses that address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@routes.route("/password/reset/<token>", methods=["GET", "POST"])
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
        # The link proved the mailbox: this browser may sign in even while the account is under attack.
        return throttling.remember_device(redirect(url_for("accounts.login")), user.email)
    return render_template("accounts/reset_password.html", form=form)


@routes.post("/account/sign-ins/<int:sign_in_id>/end")
@login_required
def end_sign_in(sign_in_id: int):
    sign_in = load_sign_in(sign_in_id, can_end_sign_in)
    if ActivationForm().validate_on_submit():
        is_this_browser = sign_in is sessions.current_sign_in()
        signins.end_sign_in(sign_in)
        db.session.commit()
        if is_this_browser:
            logout_user()
            flash(_("You have been signed out."), "info")
            return redirect(url_for("site.index"))
        flash(_("That device has been signed out."), "success")
    return redirect(url_for("accounts.profile"))


@routes.post("/account/sign-ins/end-others")
@login_required
def end_other_sign_ins():
    if ActivationForm().validate_on_submit():
        count = signins.end_sign_ins(current_user._get_current_object(), keep=sessions.current_sign_in())
        db.session.commit()
        flash(ngettext("%(num)d other device has been signed out.", "%(num)d other devices have been signed out.",
                       count), "success")
    return redirect(url_for("accounts.profile"))

