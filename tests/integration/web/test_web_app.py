"""The app factory: defaults, XJSEARCH_* environment, then the test config."""

from decimal import Decimal

import pytest

from web import create_app
from web.params import BadConfig, Limits, limits_from_config


def test_defaults():
    app = create_app()
    assert app.config["DEBUG"] is False
    assert app.config["INDEX"] is None
    assert (app.config["MAX_QUERY_LENGTH"], app.config["MAX_PAGE"], app.config["PER_PAGE"],
            app.config["MAX_PER_PAGE"]) == (500, 1000, 10, 100)


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("XJSEARCH_INDEX", str(tmp_path))
    monkeypatch.setenv("XJSEARCH_MAX_QUERY_LENGTH", "50")
    app = create_app()
    assert app.config["INDEX"] == str(tmp_path)
    assert app.config["MAX_QUERY_LENGTH"] == 50
    assert app.extensions["xjsearch.limits"].max_query_length == 50


def test_test_config_overrides_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XJSEARCH_INDEX", "/elsewhere")
    app = create_app({"INDEX": str(tmp_path), "TESTING": True})
    assert app.config["INDEX"] == str(tmp_path)
    assert app.testing


def test_per_page_can_never_exceed_100():
    app = create_app({"MAX_PER_PAGE": 1000})
    assert app.extensions["xjsearch.limits"].max_per_page == 100


def test_each_configured_limit_is_used():
    config = {"MAX_QUERY_LENGTH": 40, "MAX_PAGE": 7, "PER_PAGE": 3, "MAX_PER_PAGE": 30, "MAX_EXPORTS": 5}
    assert limits_from_config(config) == Limits(max_query_length=40, max_page=7, per_page=3, max_per_page=30,
                                                max_exports=5)


def test_one_is_the_least_of_each_limit_and_a_page_may_hold_the_most_allowed():
    ones = {"MAX_QUERY_LENGTH": "1", "MAX_PAGE": 1, "PER_PAGE": 1, "MAX_PER_PAGE": 1, "MAX_EXPORTS": 1}
    assert limits_from_config(ones) == Limits(max_query_length=1, max_page=1, per_page=1, max_per_page=1,
                                              max_exports=1)
    full = {**ones, "PER_PAGE": 20, "MAX_PER_PAGE": 20}
    assert (limits_from_config(full).per_page, limits_from_config(full).max_per_page) == (20, 20)


def test_a_configured_last_page_is_the_bound_of_page(web_index):
    client = create_app({"TESTING": True, "INDEX": str(web_index), "MAX_PAGE": 3}).test_client()
    assert client.get("/api/search?q=援疆&page=3").status_code == 200
    response = client.get("/api/search?q=援疆&page=4")
    assert (response.status_code, response.get_json()) == (
        400, {"error": "page 必须是 1 到 3 之间的整数（收到：4）", "status": 400})


def test_limits_are_capped_by_what_the_service_allows():
    limits = create_app({"MAX_QUERY_LENGTH": 5000, "MAX_PAGE": 10**6}).extensions["xjsearch.limits"]
    assert (limits.max_query_length, limits.max_page) == (500, 1000)


@pytest.mark.parametrize(
    "config, message",
    [
        ({"PER_PAGE": 0}, "PER_PAGE (XJSEARCH_PER_PAGE) must be a whole number of at least 1, not 0"),
        ({"MAX_PAGE": "ten"}, "MAX_PAGE (XJSEARCH_MAX_PAGE) must be a whole number of at least 1, not 'ten'"),
        ({"MAX_QUERY_LENGTH": True},
         "MAX_QUERY_LENGTH (XJSEARCH_MAX_QUERY_LENGTH) must be a whole number of at least 1, not True"),
        ({"MAX_EXPORTS": Decimal("2")}, "MAX_EXPORTS (XJSEARCH_MAX_EXPORTS) must be a whole number of at least 1, "
                                        "not Decimal('2')"),
        ({"PER_PAGE": 50, "MAX_PER_PAGE": 20},
         "PER_PAGE (XJSEARCH_PER_PAGE) must be at most 20, the most results a page may hold; not 50"),
    ],
)
def test_a_bad_limit_stops_the_app_at_start(config, message):
    with pytest.raises(BadConfig) as info:
        create_app(config)
    assert str(info.value) == message


def test_a_bad_limit_in_the_environment_is_one_line_from_serve(monkeypatch, web_index):
    from click.testing import CliRunner

    from web.cli import cli

    monkeypatch.setenv("XJSEARCH_PER_PAGE", "0")
    result = CliRunner().invoke(cli, ["serve", "--index", str(web_index)])
    assert result.exit_code == 1
    assert result.stderr == "Error: PER_PAGE (XJSEARCH_PER_PAGE) must be a whole number of at least 1, not 0\n"
