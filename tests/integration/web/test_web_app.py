"""The app factory: defaults, XJSEARCH_* environment, then the test config."""

import pytest

from web import create_app
from web.params import BadConfig


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
