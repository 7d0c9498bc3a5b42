"""Commitment, progress, milestone, status and import forms: shape only; rules live in services."""

from flask_babel import LazyString, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, NumberRange, Optional

from livinglab.commitments.models import CommitmentStatus
from livinglab.commitments.rules import MILESTONE_TITLE_LENGTH, TITLE_LENGTH
from livinglab.commitments.services import CommitmentInput, TargetInput
from livinglab.pieces.attachments import evidence_hint
from livinglab.validators import DATE_MESSAGE, INVALID_CHOICE, length, required

TARGET_ROWS = 5
LEVEL_CHOICES = [SelectChoice("", "—")] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]
STATUS_LABELS = {
    CommitmentStatus.PLANNED: _l("Planned"),
    CommitmentStatus.IN_PROGRESS: _l("In progress"),
    CommitmentStatus.AT_RISK: _l("At risk"),
    CommitmentStatus.ACHIEVED: _l("Achieved"),
    CommitmentStatus.VERIFIED: _l("Verified"),
    CommitmentStatus.MISSED: _l("Missed"),
    CommitmentStatus.WITHDRAWN: _l("Withdrawn"),
}
PERCENT_MESSAGE = _l("Enter a whole number from 0 to 100.")


def date_required() -> InputRequired:
    """Required, without hiding the "not a date" message when something unreadable was typed."""
    return InputRequired(message=_l("This field is required."))


class TargetRow(Form):
    """One indicator with its baseline and target level; an empty row is ignored."""

    indicator = SelectField(_l("Indicator"), validators=[Optional()], invalid_choice_message=INVALID_CHOICE)
    baseline = SelectField(_l("Baseline level"), choices=LEVEL_CHOICES, validators=[Optional()],
                           invalid_choice_message=INVALID_CHOICE)
    target = SelectField(_l("Target level"), choices=LEVEL_CHOICES, validators=[Optional()],
                         invalid_choice_message=INVALID_CHOICE)


class CommitmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[required(), length(*TITLE_LENGTH)],
                        description=_l("What your regency promises, e.g. “Adopt Sumedang's application catalogue”."))
    description = TextAreaField(_l("Description"), validators=[Optional(), length(0, 5000)], render_kw={"rows": 6},
                                description=_l("What will be done, by whom, and how you will show it was done."))
    owner = SelectField(_l("Owner"), coerce=int, invalid_choice_message=INVALID_CHOICE,
                        description=_l("The official who answers for this commitment."))
    starts_on = DateField(_l("Start date"), validators=[date_required()], invalid_value_message=DATE_MESSAGE)
    due_on = DateField(_l("Due date"), validators=[date_required()], invalid_value_message=DATE_MESSAGE)
    source = HiddenField()
    targets = FieldList(FormField(TargetRow), min_entries=TARGET_ROWS, max_entries=TARGET_ROWS)

    def target_rows(self) -> list[TargetInput]:
        """The filled-in rows; a row whose indicator is not a valid id (a tampered form) is left out."""
        rows = []
        for row in self.targets:
            indicator = _id(row.indicator.data)
            if indicator is not None:
                rows.append(TargetInput(indicator, _id(row.baseline.data) or 0, _id(row.target.data) or 0))
        return rows

    def to_input(self) -> CommitmentInput:
        return CommitmentInput(
            title=self.title.data or "", description=self.description.data or "", starts_on=self.starts_on.data,
            due_on=self.due_on.data, targets=self.target_rows(), owner_id=_id(self.owner.data),
            source_piece_id=_id(self.source.data),
        )


class RecordedCommitmentForm(CommitmentForm):
    """A coordinator records a regency's earlier commitment: the regency is chosen, the coordinator owns it."""

    regency = SelectField(_l("Regency or city"), validators=[required()], invalid_choice_message=INVALID_CHOICE)
    owner = None

    def to_input(self) -> CommitmentInput:
        return CommitmentInput(
            title=self.title.data or "", description=self.description.data or "", starts_on=self.starts_on.data,
            due_on=self.due_on.data, targets=self.target_rows(), source_piece_id=_id(self.source.data))


def _id(value) -> int | None:
    """A database id or level from form data, or None when it is not one (empty, text, absurdly large)."""
    text = str(value if value is not None else "")
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


class ProgressForm(FlaskForm):
    text = TextAreaField(_l("What was done"), validators=[required(), length(3, 5000)], render_kw={"rows": 4},
                         description=_l("The percentage below is shown with this explanation."))
    percent = IntegerField(_l("Percent complete"), validators=[InputRequired(message=PERCENT_MESSAGE),
                                                               NumberRange(0, 100, message=PERCENT_MESSAGE)],
                           invalid_value_message=PERCENT_MESSAGE, render_kw={"min": 0, "max": 100})
    reported_on = DateField(_l("Date of the update"), validators=[date_required()], invalid_value_message=DATE_MESSAGE)
    evidence_url = StringField(_l("Evidence link (optional)"), validators=[
        Optional(), length(0, 500), URL(require_tld=True, message=_l("Enter a full address starting with https://."))])
    evidence = FileField(_l("Evidence file (optional)"),
                         description=LazyString(evidence_hint))


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[required(), length(*MILESTONE_TITLE_LENGTH)])
    due_on = DateField(_l("Due date"), validators=[date_required()], invalid_value_message=DATE_MESSAGE)


class MilestoneDoneForm(FlaskForm):
    done_on = DateField(_l("Done on"), validators=[date_required()], invalid_value_message=DATE_MESSAGE)


class StatusForm(FlaskForm):
    status = RadioField(_l("New status"), validators=[required()], invalid_choice_message=INVALID_CHOICE)
    comment = TextAreaField(_l("Why?"), validators=[required(), length(3, 1000)], render_kw={"rows": 3},
                            description=_l("Shown in the timeline with your name and the date."))
    confirm_gaps = BooleanField(
        _l("Mark it achieved even though the progress reports or milestones do not show it yet"),
        description=_l("Coordinators see such commitments flagged on their dashboard."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), description=_l(
        "Columns: id, percent, last_update_on (the date), text; optional: evidence_url. See below."))
    payload = HiddenField()
