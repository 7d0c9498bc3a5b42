"""Pages run a fixed number of SQL statements, whatever the number of pieces, indicators or tags."""

import pytest


def _populate(make_piece, make_indicator, make_user, pieces: int, indicators_per_piece: int) -> list:
    author = make_user("official")
    made = []
    for number in range(pieces):
        indicators = [make_indicator() for _ in range(indicators_per_piece)]
        made.append(make_piece(author=author, indicators=indicators, tags=[f"tag{number}", "umum"]))
    return made


def _count(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        assert client.get(url, follow_redirects=True).status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/", "/pieces", "/pieces?tag=umum&domain=1", "first-piece", "/regencies/{regency}",
                                 "/indicators/{indicator}"])
def test_query_count_does_not_grow_with_data(client, make_piece, make_indicator, make_user, count_queries, url):
    small = _populate(make_piece, make_indicator, make_user, pieces=2, indicators_per_piece=1)
    first = small[0]

    def resolve(target):
        if target == "first-piece":
            return f"/pieces/{first.id}/{first.slug}"
        return target.format(regency=first.regency_code, indicator=first.targets[0].indicator.code)

    few = _count(client, count_queries, resolve(url))
    for piece in _populate(make_piece, make_indicator, make_user, pieces=20, indicators_per_piece=4):
        piece.regency_code = first.regency_code
        for target in piece.targets[:1]:
            target.indicator_id = first.targets[0].indicator_id
    from livinglab.extensions import db

    db.session.commit()
    many = _count(client, count_queries, resolve(url))
    assert many == few, f"{url}: {few} queries with 2 pieces, {many} with 22"


def test_piece_page_query_count_does_not_grow_with_its_indicators_tags_and_revisions(
        client, make_piece, make_indicator, count_queries):
    from livinglab.extensions import db
    from livinglab.pieces.services import PieceInput, update_piece

    small = make_piece(indicators=[make_indicator()], tags=["satu"])
    big = make_piece(indicators=[make_indicator() for _ in range(8)], tags=[f"t{n}" for n in range(8)])
    for round_ in range(5):
        update_piece(big, big.author, PieceInput(kind=big.kind, title=big.title, summary=big.summary,
                     body=f"isi {round_}", language="id", indicator_ids=[t.indicator_id for t in big.targets]))
    db.session.commit()
    assert _count(client, count_queries, f"/pieces/{small.id}/{small.slug}") == _count(
        client, count_queries, f"/pieces/{big.id}/{big.slug}")
