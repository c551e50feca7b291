"""Configuration classes; every setting can come from an ADVOCACY_* environment variable."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("ADVOCACY_INSTANCE_DIR", PROJECT_ROOT / "instance"))
MIN_SECRET_KEY_BYTES = 32


def env(name: str, default: str | None = None) -> str | None:
    """Read ADVOCACY_<name> from the environment."""
    return os.environ.get(f"ADVOCACY_{name}", default)


def env_int(name: str, default: int) -> int:
    """Read an integer setting."""
    return int(env(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no setting ('1', 'true', 'yes' or 'on' mean yes)."""
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url() -> str:
    """Return ADVOCACY_DATABASE_URL, or the SQLite file in instance/."""
    return env("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'advocacy.sqlite3'}"


def development_secret_key() -> str:
    """Return the development key, generated once into instance/ with mode 0600."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


# Each entry "name|what to do|link", for every language; or "es:name|what to do|link", only
# on pages in that language (templating.crisis_lines). The hotline answers in Spanish; 988
# has its own Spanish service (call and press 2, or text AYUDA).
DEFAULT_CRISIS_LINES = (
    "en:National Human Trafficking Hotline (US)|Call 1-888-373-7888|tel:+18883737888",
    "en:National Human Trafficking Hotline by text (US)|Text 233733|sms:233733",
    "es:Línea Nacional contra la Trata de Personas (EE. UU.), en español"
    "|Llama al 1-888-373-7888|tel:+18883737888",
    "es:Línea Nacional contra la Trata de Personas, por mensaje de texto (EE. UU.)"
    "|Envía un mensaje al 233733|sms:233733",
    "es:988 Línea de Prevención del Suicidio y Crisis (EE. UU.), en español"
    "|Llama al 988 y marca el 2|tel:988",
    "es:988 Línea de Prevención del Suicidio y Crisis, por mensaje de texto, en español"
    "|Envía AYUDA al 988|sms:988?body=AYUDA",
)


class Config:
    """Settings shared by every environment; secure by default."""

    ENV_NAME = "base"
    SITE_NAME = env("SITE_NAME", "Pathways")
    # Pre-filled time zone for new events (each event keeps its own).
    DEFAULT_TIMEZONE = env("DEFAULT_TIMEZONE", "America/New_York")
    # Tab title and header in discreet mode: says nothing about what the site is. Unset:
    # "Notes" in the page's language (templating.discreet_title).
    DISCREET_TITLE = env("DISCREET_TITLE", "")
    # The site's own address, for links handed to others (a completion letter's check page,
    # a calendar entry's id): never read from a request's Host header, which anyone can forge.
    BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
    # Quick exit lands on a neutral, common site.
    EXIT_URL = env("EXIT_URL", "https://www.weather.com/")
    # "name|what to do|link" entries separated by ";", each for every language, or with a
    # language before it ("es:name|what to do|link") for pages in that language only.
    CRISIS_LINES = tuple(
        line.strip() for line in (env("CRISIS_LINES") or ";".join(DEFAULT_CRISIS_LINES)).split(";")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {
        # Failed statements must never put story text or hashes into logs.
        "hide_parameters": True,
        # (A database server's connections are pinged before reuse: database.engine_options.)
    }
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Stories are the largest input; nothing legitimate comes near this.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Sessions: the cookie cannot be read by scripts and is not sent on cross-site requests.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_PATH = "/"
    # Lifetime of the signed cookie equals the absolute session limit.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
    SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
    # No remember-me cookie, ever: a shared phone must not stay signed in.
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600
    # Keep ?next= out of URLs (and so out of history and logs).
    USE_SESSION_FOR_NEXT = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # In-process counters (advocacy.extensions.LockedMemoryStorage) unless Redis is given.
    # How long a SQLite write waits for another's lock before the request answers 503.
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 10_000)
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE", "locked-memory://")
    RATELIMIT_KEY_PREFIX = env("RATELIMIT_KEY_PREFIX", "advocacy")
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "fixed-window"
    # While that storage (Redis) does not answer, count in this process's memory instead,
    # said once in the log and by /healthz (extensions.py: FallbackLimiter).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A Redis that hangs instead of refusing must fail fast too (seconds), so requests
    # fall back rather than wait (redis-py's default is to wait forever).
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # Only failures count (a success takes its count back). Sign-in and recovery failures
    # per pseudonym typed from one client (tight); per pseudonym from all clients (NIST
    # SP 800-63B: at most 100 a day), which a client the pseudonym signed in from in the
    # last LOGIN_KNOWN_CLIENT_DAYS is exempt from; and per client (a keyed hash of its
    # address) across pseudonyms, generous: shelters and phone carriers share addresses.
    LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT = env(
        "LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT", "10 per 15 minutes"
    )
    LIMIT_LOGIN_PER_ACCOUNT = env("LIMIT_LOGIN_PER_ACCOUNT", "100 per day")
    LIMIT_LOGIN_PER_CLIENT = env("LIMIT_LOGIN_PER_CLIENT", "100 per 15 minutes; 1000 per day")
    LOGIN_KNOWN_CLIENT_DAYS = env_int("LOGIN_KNOWN_CLIENT_DAYS", 30)
    # Wrong authenticator codes per account waiting for its code step (no client exempt).
    LIMIT_CODE_PER_ACCOUNT = env("LIMIT_CODE_PER_ACCOUNT", "10 per 15 minutes; 100 per day")
    LIMIT_JOIN_PER_CLIENT = env("LIMIT_JOIN_PER_CLIENT", "60 per hour")
    # Wrong password re-entries by a signed-in account (confirm, change, export, delete…).
    LIMIT_PASSWORD_CHECKS = env("LIMIT_PASSWORD_CHECKS", "10 per 15 minutes")
    # Staff reset codes stop working after this many hours.
    RESET_CODE_HOURS = env_int("RESET_CODE_HOURS", 24)
    ARGON2_PROFILE = "default"
    OPEN_JOINING = env_bool("OPEN_JOINING", False)
    SECRET_KEY: str | None = None

    # Read notices go this many days after reading (the notice rule caps them at 90 days).
    # 90, not 30: a notice is now read when opened one by one (issue 14), and a member may
    # dismiss any notice at once.
    RETENTION_NOTICE_READ_DAYS = env_int("RETENTION_NOTICE_READ_DAYS", 90)
    # On SQLite, `flask privacy purge` rests this long between batches so members' writes
    # get the lock in between (PostgreSQL locks rows, not the database: no pause).
    PURGE_PAUSE_MS = env_int("PURGE_PAUSE_MS", 10)
    # On SQLite, the purge empties the write-ahead log between batches once it holds half
    # the database or 64 MB, waiting this long at most for members' reads that began
    # before (privacy/services.py: fold_log).
    PURGE_CHECKPOINT_WAIT_MS = env_int("PURGE_CHECKPOINT_WAIT_MS", 1000)
    # After this many decisions in a day (the site's date), the moderation queue suggests a
    # break, once that day; 0 turns it off. Mentors are survivors too (issue 15).
    MODERATION_BREAK_AFTER = env_int("MODERATION_BREAK_AFTER", 10)
    # Number of trusted proxies in front of the app (0: none, trust no X-Forwarded-*).
    PROXY_COUNT = env_int("PROXY_COUNT", 0)

    def __init__(self) -> None:
        # Read at start-up, not import, so the environment of the running process counts.
        self.SQLALCHEMY_DATABASE_URI = default_database_url()
        # Retention periods (see advocacy/privacy/rules.py), e.g. ADVOCACY_RETENTION_RSVP_DAYS.
        for name, value in os.environ.items():
            if name.startswith("ADVOCACY_RETENTION_") and name.endswith("_DAYS"):
                setattr(self, name.removeprefix("ADVOCACY_"), int(value))


class DevelopmentConfig(Config):
    """Local use with `make run`: plain HTTP on 127.0.0.1, generated secret key."""

    ENV_NAME = "development"
    # __Host- cookies need HTTPS; the local server speaks plain HTTP.
    SESSION_COOKIE_NAME = "advocacy_session"
    SESSION_COOKIE_SECURE = False

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = env("SECRET_KEY") or development_secret_key()
        # Where `make run` serves (gunicorn.conf.py binds 127.0.0.1:$PORT): a completion
        # letter printed from `PORT=8001 make run` names the address that answers.
        port = os.environ.get("PORT", "8000")
        self.BASE_URL = env("BASE_URL") or f"http://127.0.0.1:{port}"


class TestConfig(Config):
    """Tests: a temporary database chosen by the fixtures, cheap password hashing."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-hmac-0123456789"  # noqa: S105
    SESSION_COOKIE_NAME = "advocacy_session"
    SESSION_COOKIE_SECURE = False
    # Only for tests: argon2's cheapest parameters keep the suite fast.
    ARGON2_PROFILE = env("ARGON2_PROFILE", "cheapest")
    # A test waits for a lock as long as for anything a loaded machine makes slow
    # (tests/support/ceiling.py): a 503 from a busy machine is not a failure of the code.
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 300_000)
    # The security tests turn CSRF back on; most tests post without tokens.
    WTF_CSRF_ENABLED = False
    # Tests sign in many times from one address; the limit tests set their own values.
    LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT = env(
        "LIMIT_LOGIN_PER_ACCOUNT_AND_CLIENT", "1000 per minute"
    )
    LIMIT_LOGIN_PER_ACCOUNT = env("LIMIT_LOGIN_PER_ACCOUNT", "1000 per minute")
    LIMIT_LOGIN_PER_CLIENT = env("LIMIT_LOGIN_PER_CLIENT", "1000 per minute")
    LIMIT_CODE_PER_ACCOUNT = env("LIMIT_CODE_PER_ACCOUNT", "1000 per minute")
    LIMIT_JOIN_PER_CLIENT = env("LIMIT_JOIN_PER_CLIENT", "1000 per minute")
    LIMIT_PASSWORD_CHECKS = env("LIMIT_PASSWORD_CHECKS", "1000 per minute")


class ProductionConfig(Config):
    """Production: refuses to start without a strong secret key or a public https address."""

    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        key = env("SECRET_KEY")
        if not key or len(key.encode()) < MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                "ADVOCACY_SECRET_KEY must be set to at least "
                f"{MIN_SECRET_KEY_BYTES} bytes of random text (python -c "
                "'import secrets; print(secrets.token_urlsafe(48))')."
            )
        self.SECRET_KEY = key
        self.BASE_URL = public_base_url(env("BASE_URL"))


def public_base_url(value: str | None) -> str:
    """Return ADVOCACY_BASE_URL if it is a site's public address: https, a host, nothing
    after it (no user, path, query or fragment); else RuntimeError. Completion letters
    handed to employers name it, so the local default must never reach them."""
    parts = urlsplit(value or "")
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise RuntimeError(
            "ADVOCACY_BASE_URL must be the site's public address, like https://example.org."
        )
    return value.rstrip("/")


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def config_from_environment() -> Config:
    """Pick the config named by ADVOCACY_ENV; production unless told otherwise."""
    name = env("ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"ADVOCACY_ENV must be one of {', '.join(sorted(CONFIGS))}.")
    return CONFIGS[name]()
