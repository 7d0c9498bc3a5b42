"""`flask search check|sync|rebuild|common-roots`, and an index from before a schema change."""

from pathlib import Path

from whoosh import index as whoosh_index

from livinglab.search import index
from livinglab.search.documents import schema
from livinglab.search.query import SearchFilters, search_pieces


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


def test_common_roots_lists_the_roots_in_the_most_pieces(runner, make_piece):
    for n in range(3):
        make_piece(title=f"Pelayanan arsip {n}", summary="Arsip dinas dikelola.", body="Arsip dan layanan.")
    make_piece(title="Rapat koordinasi", summary="Rapat.", body="Rapat.")
    result = runner.invoke(args=["search", "common-roots", "--count", "500"])
    roots = result.output.split()
    assert result.exit_code == 0 and roots.index("arsip") < roots.index("rapat")  # in 3 pieces, in 1
    assert runner.invoke(args=["search", "common-roots", "--count", "2"]).output.split() == roots[:2]


def test_pieces_still_reach_an_index_built_before_the_pairs_field(app, make_piece):
    index.forget_searchers()
    old = schema()
    old.remove("pairs")
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(folder), old)
    make_piece(title="Tanda tangan elektronik", summary="Dokumen ditandatangani secara elektronik.")
    assert search_pieces('"tanda tangan"', SearchFilters()).total == 1
