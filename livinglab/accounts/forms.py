"""Account forms: they check shape; account rules live in services."""

from flask import current_app
from flask_babel import LazyString, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Optional, ValidationError

from livinglab.accounts.models import EmailFrequency
from livinglab.accounts.services import password_problem
from livinglab.roles import ROLE_LABELS, Role
from livinglab.validators import INVALID_CHOICE, length, required, valid_email

LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]
def _password_hint() -> str:
    """The password field's help text with the minimum length in force."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    return ngettext("At least %(num)d character. Avoid common passwords.",
                    "At least %(num)d characters. Avoid common passwords.", minimum)


PASSWORD_HINT = LazyString(_password_hint)  # the minimum in force (PASSWORD_MIN_LENGTH), read when shown


def same_as(field: str) -> EqualTo:
    return EqualTo(field, message=_l("The passwords do not match."))


def strong_password(form: FlaskForm, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[required(), length(3, 254)])
    password = PasswordField(_l("Password"), validators=[required()])
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[required(), length(2, 120)])
    email = EmailField(_l("E-mail address"), validators=[required(), valid_email(), length(3, 254)])
    regency = SelectField(
        _l("Your regency or city (optional)"),
        validators=[Optional()],
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )


EMAIL_FREQUENCY_LABELS = {
    EmailFrequency.IMMEDIATELY: _l("Immediately, one e-mail per notification"),
    EmailFrequency.DAILY: _l("Once a day, as a digest"),
    EmailFrequency.NEVER: _l("Never (only here in Livinglab)"),
}


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[required(), length(2, 120)])
    handle = StringField(
        _l("Handle"), validators=[required(), length(3, 30)],
        description=_l("Others mention you with @ and this handle. Lower-case letters, digits and underscores."),
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, invalid_choice_message=INVALID_CHOICE)
    email_frequency = SelectField(
        _l("E-mail me about notifications"),
        choices=[SelectChoice(item.value, label) for item, label in EMAIL_FREQUENCY_LABELS.items()],
        invalid_choice_message=INVALID_CHOICE,
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    password = PasswordField(_l("New password"), validators=[required(), strong_password], description=PASSWORD_HINT)
    confirm = PasswordField(_l("Repeat the new password"), validators=[required(), same_as("password")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[required(), valid_email(), length(3, 254)])


class ChoosePasswordForm(FlaskForm):
    """The last step of registration, reached from the e-mailed link."""

    password = PasswordField(_l("Password"), validators=[required(), strong_password], description=PASSWORD_HINT)
    confirm = PasswordField(_l("Repeat the password"), validators=[required(), same_as("password")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[required(), strong_password], description=PASSWORD_HINT)
    confirm = PasswordField(_l("Repeat the new password"), validators=[required(), same_as("password")])


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role], invalid_choice_message=INVALID_CHOICE
    )
    regency = SelectField(
        _l("Regency or city"),
        validators=[Optional()],
        default="",
        invalid_choice_message=INVALID_CHOICE,
        description=_l("Required for officials: they publish and commit on behalf of this regency."),
    )


class ActivationForm(FlaskForm):
    """An empty form: its CSRF token protects the activate and deactivate buttons."""
