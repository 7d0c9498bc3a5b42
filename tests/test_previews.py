"""Signed upload previews: applied only as shown, only by the user who saw them, and only once."""

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden

from livinglab import previews


def _opener(claimed: set[str]):
    def claim(digest: str) -> bool:
        if digest in claimed:
            return False
        claimed.add(digest)
        return True

    def open_preview(token: str, salt: str = "uji"):
        return previews.open_preview(salt, token, claim=claim, upload_endpoint="scores.index",
                                     done_endpoint="coordinator.index")
    return open_preview


def test_a_preview_opens_once_for_the_user_who_saw_it(app, make_user):
    ani, budi = make_user("coordinator"), make_user("coordinator")
    open_preview = _opener(set())
    with app.test_request_context():
        login_user(ani)
        token = previews.sign_preview("uji", {"rows": [1, 2]})
        payload, digest = open_preview(token)
        assert payload["rows"] == [1, 2] and len(digest) == 64
        with pytest.raises(previews.PreviewRefused) as again:
            open_preview(token)
        assert again.value.response.location == "/coordinator"
        login_user(budi)
        with pytest.raises(Forbidden):
            open_preview(token)


def test_a_tampered_or_foreign_preview_goes_back_to_the_upload(app, make_user):
    open_preview = _opener(set())
    with app.test_request_context():
        login_user(make_user("coordinator"))
        token = previews.sign_preview("uji", {"rows": []})
        tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
        for attempt in (lambda: open_preview(tampered), lambda: open_preview(token, salt="lain")):
            with pytest.raises(previews.PreviewRefused) as refused:
                attempt()
            assert refused.value.response.location == "/coordinator/scores"
