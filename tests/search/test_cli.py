"""`flask search check|sync|rebuild`."""

from livinglab.search import index


def test_check_reports_drift_and_sync_repairs_it(app, runner, make_piece):
    indexed = make_piece(title="Sudah terindeks")
    app.config["SEARCH_DRAIN"] = "off"
    try:
        missing = make_piece(title="Belum terindeks")
    finally:
        app.config["SEARCH_DRAIN"] = "inline"
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and str(missing.id) in result.output
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "none" in result.output
    assert index.indexed_ids() == {indexed.id, missing.id}


def test_rebuild_recreates_the_index(runner, make_piece):
    pieces = {make_piece().id for _ in range(3)}
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "3" in result.output
    assert index.indexed_ids() == pieces


def test_rebuild_reports_progress_in_a_log(runner, make_piece, monkeypatch):
    monkeypatch.setattr(index, "BATCH", 2)
    for _ in range(3):
        make_piece()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Indexed 2/3 pieces (66%)", "Indexed 3/3 pieces (100%)"]
