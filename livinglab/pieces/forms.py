"""The piece editor form: shape only; publishing rules live in services."""

from flask_babel import LazyString, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from livinglab.pieces.attachments import attachments_hint
from livinglab.pieces.models import PieceKind, PieceStatus
from livinglab.pieces.services import PieceInput, parse_tags
from livinglab.validators import DATE_MESSAGE, INVALID_CHOICE, length, required

KIND_LABELS = {
    PieceKind.PRACTICE: _l("Practice"),
    PieceKind.CASE_STUDY: _l("Case study"),
    PieceKind.IMPROVEMENT: _l("SPBE improvement"),
}
STATUS_LABELS = {
    PieceStatus.DRAFT: _l("Draft"),
    PieceStatus.PUBLISHED: _l("Published"),
    PieceStatus.ARCHIVED: _l("Archived"),
}
KIND_HINTS = {
    PieceKind.PRACTICE: _l("A way of working others can copy."),
    PieceKind.CASE_STUDY: _l("What your regency did over a period, with the levels before and after."),
    PieceKind.IMPROVEMENT: _l("A concrete fix that raised an indicator."),
}
LEVEL_CHOICES = [SelectChoice("", "—")] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]
MAX_BODY = 100_000
INDICATOR_MESSAGE = _l("Please choose indicators from the list.")


class IndicatorField(SelectMultipleField):
    """Indicator checkboxes; the template groups them by domain and aspect."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def template_body() -> str:
    """The headings offered when a piece is started: a suggestion, not rigid fields."""
    headings = [
        _l("Problem"),
        _l("What we did"),
        _l("Results"),
        _l("Cost and team"),
        _l("Lessons"),
        _l("How to replicate"),
    ]
    return "\n\n".join(f"## {heading}\n" for heading in headings)


class PieceForm(FlaskForm):
    kind = RadioField(
        _l("Kind"), choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in PieceKind],
        default=PieceKind.PRACTICE.value, invalid_choice_message=INVALID_CHOICE,
    )
    title = StringField(_l("Title"), validators=[required(), length(5, 160)])
    summary = TextAreaField(
        _l("Summary"), validators=[Optional(), length(0, 600)], render_kw={"rows": 4},
        description=_l("Two or three sentences: what changed, and for whom. Shown in lists and search results."),
    )
    body = TextAreaField(
        _l("Text"), validators=[Optional(), length(0, MAX_BODY)], render_kw={"rows": 24},
        description=_l("Markdown: ## for headings, - for lists, **bold**, [text](https://link)."),
    )
    language = SelectField(
        _l("Language of the text"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        invalid_choice_message=INVALID_CHOICE,
    )
    indicators = IndicatorField(
        _l("Indicators it aims to raise"), coerce=int, invalid_choice_message=INDICATOR_MESSAGE,
        invalid_value_message=INDICATOR_MESSAGE,
        description=_l("At least one before publishing."),
    )
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), length(0, 400)],
        description=_l("Separated by commas, e.g. perizinan, tte, satu data."),
    )
    period_start_on = DateField(
        _l("Period from"), validators=[Optional()], invalid_value_message=DATE_MESSAGE
    )
    period_end_on = DateField(_l("Period until"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)
    attachments = MultipleFileField(
        _l("Attach files"),
        description=LazyString(attachments_hint),
    )
    note = StringField(
        _l("What did you change? (optional)"), validators=[Optional(), length(0, 200)],
        description=_l("Kept in the history of this piece."),
    )

    version = HiddenField()  # the version the editor was loaded with, for optimistic locking

    def loaded_version(self) -> int:
        """The version this form was based on; 0 (never a real version) when missing or altered."""
        value = str(self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else 0

    def levels(self, formdata) -> dict[int, tuple[int | None, int | None]]:
        """Levels before/after per chosen indicator, read from `level_before-<id>` fields (1–5 or empty)."""

        def level(name: str) -> int | None:
            value = (formdata.get(name) or "").strip()
            return int(value) if value in {"1", "2", "3", "4", "5"} else None

        return {i: (level(f"level_before-{i}"), level(f"level_after-{i}")) for i in self.indicators.data or []}

    def to_input(self, formdata) -> PieceInput:
        return PieceInput(
            kind=PieceKind(self.kind.data),
            title=self.title.data or "",
            summary=self.summary.data or "",
            body=self.body.data or "",
            language=self.language.data,
            indicator_ids=list(self.indicators.data or []),
            tags=parse_tags(self.tags.data or ""),
            period_start_on=self.period_start_on.data,
            period_end_on=self.period_end_on.data,
            levels=self.levels(formdata),
        )
