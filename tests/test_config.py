"""Configuration: production refuses weak secrets; development makes its own key."""

import stat

import pytest

from advocacy import config as config_module
from advocacy.config import DevelopmentConfig, ProductionConfig, config_from_environment


@pytest.mark.parametrize("key", [None, "", "short", "x" * 31])
def test_production_refuses_missing_or_short_secret_key(monkeypatch, key):
    if key is None:
        monkeypatch.delenv("ADVOCACY_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("ADVOCACY_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="ADVOCACY_SECRET_KEY"):
        ProductionConfig()


def test_production_accepts_a_long_secret_key(monkeypatch):
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("ADVOCACY_BASE_URL", "https://pathways.example.org/")
    config = ProductionConfig()
    assert config.BASE_URL == "https://pathways.example.org"
    assert config.SECRET_KEY == "k" * 32
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_NAME.startswith("__Host-")


@pytest.mark.parametrize(
    "address",
    [
        None,
        "",
        "http://127.0.0.1:8000",
        "http://pathways.example.org",
        "https://",
        "https://user@pathways.example.org",
        "https://pathways.example.org/app",
        "https://pathways.example.org/?x=1",
        "https://pathways.example.org/#top",
    ],
)
def test_production_refuses_an_address_that_is_not_a_public_https_site(monkeypatch, address):
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "k" * 32)
    if address is None:
        monkeypatch.delenv("ADVOCACY_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("ADVOCACY_BASE_URL", address)
    with pytest.raises(RuntimeError, match="ADVOCACY_BASE_URL"):
        ProductionConfig()


def test_environment_defaults_to_production(monkeypatch):
    monkeypatch.delenv("ADVOCACY_ENV", raising=False)
    monkeypatch.delenv("ADVOCACY_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        config_from_environment()


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("ADVOCACY_ENV", "staging")
    with pytest.raises(RuntimeError, match="ADVOCACY_ENV"):
        config_from_environment()


def test_development_key_is_generated_once_with_private_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("ADVOCACY_SECRET_KEY", raising=False)
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path / "instance")
    first = DevelopmentConfig().SECRET_KEY
    second = DevelopmentConfig().SECRET_KEY
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADVOCACY_DATABASE_URL", "postgresql+psycopg://db.example/advocacy")
    assert (
        config_module.TestConfig().SQLALCHEMY_DATABASE_URI
        == "postgresql+psycopg://db.example/advocacy"
    )


def test_cookies_and_limits_are_safe_by_default():
    config = config_module.TestConfig()
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.MAX_CONTENT_LENGTH <= 2 * 1024 * 1024
    assert config.OPEN_JOINING is False


@pytest.mark.parametrize(
    ("port", "base_url", "expected"),
    [
        (None, None, "http://127.0.0.1:8000"),  # make run's own address
        ("8123", None, "http://127.0.0.1:8123"),  # PORT=8123 make run (a newcomer's find)
        ("8123", "http://localhost:9000", "http://localhost:9000"),  # said outright wins
    ],
)
def test_development_names_the_address_make_run_serves(monkeypatch, port, base_url, expected):
    for name, value in (("PORT", port), ("ADVOCACY_BASE_URL", base_url)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "k" * 32)
    config = DevelopmentConfig()
    assert expected == config.BASE_URL
