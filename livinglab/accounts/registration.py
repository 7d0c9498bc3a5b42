"""Registration by e-mailed link, so the form never tells whether an address already has an account."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from livinglab.accounts.queries import find_user_by_email
from livinglab.i18n import force_locale
from livinglab.mail import send_mail, site_link

REGISTRATION_SALT = "livinglab-registration"


@dataclass(frozen=True)
class Registration:
    """What the registration form collected; it travels signed in the e-mailed link."""

    email: str
    name: str
    regency_code: str | None
    locale: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=REGISTRATION_SALT)


def make_registration_token(registration: Registration) -> str:
    data = registration
    return _serializer().dumps([data.email.strip().lower(), data.name.strip(), data.regency_code or None, data.locale])


def registration_from_token(token: str) -> Registration | None:
    """The registration a valid, unexpired link carries, else None."""
    try:
        email, name, regency_code, locale = _serializer().loads(
            token, max_age=current_app.config["REGISTRATION_MAX_AGE"])
    except (BadSignature, ValueError, TypeError):
        return None
    return Registration(str(email), str(name), regency_code or None, str(locale))


def send_registration_mail(registration: Registration) -> None:
    """A link to finish the account, or, when the address is taken, a note to its owner instead."""
    owner = find_user_by_email(registration.email)
    if owner is not None:
        with force_locale(owner.locale):
            subject = _("Someone tried to register with your address")
            body = _(
                "Hello %(name)s,\n\nSomeone, perhaps you, tried to create a new Livinglab account with this e-mail "
                "address. You already have an account. Sign in here:\n\n%(login)s\n\n"
                "If you forgot your password, choose a new one here:\n\n%(forgot)s\n\n"
                "If this was not you, you can ignore this message; nothing has changed.",
                name=owner.name, login=site_link("accounts.login"), forgot=site_link("accounts.forgot_password"),
            )
        send_mail(owner.email, subject, body)
        return
    hours = current_app.config["REGISTRATION_MAX_AGE"] // 3600
    with force_locale(registration.locale):
        subject = _("Finish creating your Livinglab account")
        body = _(
            "Hello %(name)s,\n\nTo finish creating your Livinglab account, open this link within %(hours)d hours "
            "and choose your password:\n\n%(url)s\n\n"
            "If you did not ask for an account, you can ignore this message.",
            name=registration.name, hours=hours,
            url=site_link("accounts.finish_registration", token=make_registration_token(registration)),
        )
    send_mail(registration.email, subject, body)
