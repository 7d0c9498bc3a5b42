"""Comment, flag and moderation forms: they check shape; the rules live in services."""

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from livinglab.comments.models import FlagReason
from livinglab.validators import INVALID_CHOICE, length, required

FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.ABUSIVE: _l("Abusive, insulting or a personal attack"),
    FlagReason.OFF_TOPIC: _l("Off-topic for this discussion"),
    FlagReason.OTHER: _l("Something else (please explain)"),
}
MARKDOWN_HINT = _l("You can use *emphasis*, **bold**, links, lists, > quotes and `code`. "
                   "Mention someone with @ and their handle.")


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[required()], description=MARKDOWN_HINT)
    parent_id = HiddenField()
    submission_key = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex


class EditCommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[required()], description=MARKDOWN_HINT)


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with this comment?"), validators=[required()], invalid_choice_message=INVALID_CHOICE,
        choices=[SelectChoice(reason.value, label) for reason, label in FLAG_REASON_LABELS.items()],
    )
    note = TextAreaField(_l("Anything a moderator should know (required for “something else”)"),
                         validators=[length(0, 500)])


AUDIT_HINT = _l("Shown to the author and kept in the audit log.")


class HideForm(FlaskForm):
    reason = StringField(_l("Why is it hidden?"), validators=[required(), length(3, 500)], description=AUDIT_HINT)


class RestoreForm(FlaskForm):
    reason = StringField(_l("Why is it shown again?"), validators=[required(), length(3, 500)],
                         description=AUDIT_HINT)


class DismissForm(FlaskForm):
    reason = StringField(_l("Note for the audit log (optional)"), validators=[length(0, 500)])


class BlockForm(FlaskForm):
    reason = StringField(_l("Why is this user blocked?"), validators=[required(), length(3, 500)],
                         description=_l("Kept in the audit log."))


class ConfirmForm(FlaskForm):
    """A bare form: a button with its CSRF token."""
