"""Sending e-mail: over SMTP when MAIL_SERVER is set, otherwise written to the application log."""

import smtplib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app

_outbox = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
_pending: set[Future] = set()


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; in development it is logged instead."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        current_app.logger.info("Mail not sent (no MAIL_SERVER).\nTo: %s\nSubject: %s\n\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def site_link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: always under SITE_URL, never from the request's Host header."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def run_after_response(job: Callable[..., None], *args) -> None:
    """Run `job(*args)` on a mail thread in its own app context, so the answer never waits for it.

    Whether an address is known, and whether SMTP is up, then changes neither the answer nor its
    timing; a failing job is logged."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                job(*args)
            except Exception:
                app.logger.exception("Background mail job %s failed", getattr(job, "__name__", job))

    future = _outbox.submit(run)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def wait_for_mail(timeout: float = 10) -> None:
    """Wait until queued mail jobs have run (tests and commands that exit right away)."""
    wait(list(_pending), timeout=timeout)
