"""The app factory: defaults, XJSEARCH_* environment, then the test config."""

from web import create_app


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
