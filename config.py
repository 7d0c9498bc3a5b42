"""Default settings for Livinglab; each can be overridden by an environment variable of the same name."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


DEBUG = _env_bool("FLASK_DEBUG", False)
SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)

SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'livinglab.db'}")
SEARCH_INDEX_DIR = _env("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
UPLOAD_DIR = _env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))

# Search. SEARCH_DRAIN: "background" (a thread per process drains after each commit), "inline"
# (drain before the request returns; tests) or "off" (only `flask search sync` indexes).
SEARCH_DRAIN = _env("SEARCH_DRAIN", "background")
SEARCH_DRAIN_INTERVAL = float(_env("SEARCH_DRAIN_INTERVAL", "5"))
# /healthz says "degraded" when the oldest queued piece has waited longer than this many seconds.
SEARCH_QUEUE_MAX_AGE = _env_int("SEARCH_QUEUE_MAX_AGE", 300)
SEARCH_DRAIN_BATCH = _env_int("SEARCH_DRAIN_BATCH", 1000)
SEARCH_WRITER_TIMEOUT = float(_env("SEARCH_WRITER_TIMEOUT", "2"))
# Indexing processes of `search rebuild`, each forked to write one segment (and holding up to 256 MB of
# postings before it spills them to disk); on a machine with more cores, more processes build faster.
SEARCH_BUILD_PROCS = _env_int("SEARCH_BUILD_PROCS", min(4, os.cpu_count() or 1))
SEARCH_PER_PAGE = _env_int("SEARCH_PER_PAGE", 20)
SEARCH_ATTACHMENT_TEXT_LIMIT = _env_int("SEARCH_ATTACHMENT_TEXT_LIMIT", 200_000)
# Attachment text is extracted in a child process with these limits (address space MB, CPU s, wall s).
SEARCH_EXTRACT_MEMORY_MB = _env_int("SEARCH_EXTRACT_MEMORY_MB", 512)
SEARCH_EXTRACT_CPU_SECONDS = _env_int("SEARCH_EXTRACT_CPU_SECONDS", 10)
SEARCH_EXTRACT_TIMEOUT = float(_env("SEARCH_EXTRACT_TIMEOUT", "30"))
CONTENT_DIR = _env("CONTENT_DIR", str(BASE_DIR / "content"))

# Languages: Indonesian first, English second.
BABEL_DEFAULT_LOCALE = "id"
BABEL_DEFAULT_TIMEZONE = _env("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta")
LANGUAGES = ("id", "en")

# Sessions and cookies. Secure cookies are switched off only in debug and testing (see create_app).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
REMEMBER_COOKIE_DURATION = _env_int("REMEMBER_COOKIE_DURATION", 30 * 24 * 3600)
PERMANENT_SESSION_LIFETIME = _env_int("PERMANENT_SESSION_LIFETIME", 12 * 3600)

# A sign-in without "keep me signed in" ends after this many seconds without a request; its
# last-seen time is written at most once per SIGN_IN_TOUCH_INTERVAL seconds.
SIGN_IN_IDLE_TIMEOUT = _env_int("SIGN_IN_IDLE_TIMEOUT", 12 * 3600)
SIGN_IN_TOUCH_INTERVAL = _env_int("SIGN_IN_TOUCH_INTERVAL", 300)
# Browsers that signed in to an account before may keep trying when it is under attack.
DEVICE_COOKIE_DURATION = _env_int("DEVICE_COOKIE_DURATION", 365 * 24 * 3600)

# Host names this site answers to; any other Host header gets 400. Production: the public name.
TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS", "127.0.0.1,localhost")
# Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
PROXY_COUNT = _env_int("PROXY_COUNT", 0)
# Strict-Transport-Security: "auto" sends it whenever cookies are Secure (not in debug or tests);
# "1" always, "0" never.
HSTS_ENABLED = _env("HSTS_ENABLED", "auto")

# Throttling (Flask-Limiter). Use a redis:// URL when several processes serve the app.
# Only failed sign-ins count; trusted browsers of the account are exempt from the address and account limits.
RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
LOGIN_FAILURE_LIMIT = _env("LOGIN_FAILURE_LIMIT", "5 per minute;20 per hour")
LOGIN_ADDRESS_LIMIT = _env("LOGIN_ADDRESS_LIMIT", "20 per 10 minutes;100 per day")
LOGIN_ACCOUNT_LIMIT = _env("LOGIN_ACCOUNT_LIMIT", "30 per hour")
REGISTER_LIMIT = _env("REGISTER_LIMIT", "10 per hour")
REGISTER_TARGET_LIMIT = _env("REGISTER_TARGET_LIMIT", "3 per hour")
RESET_MAIL_LIMIT = _env("RESET_MAIL_LIMIT", "5 per hour")
RESET_MAIL_TARGET_LIMIT = _env("RESET_MAIL_TARGET_LIMIT", "3 per hour")
# Searches per client: per address for visitors, per account (a higher limit) for signed-in users.
SEARCH_RATE_LIMIT = _env("SEARCH_RATE_LIMIT", "30 per minute;300 per hour")
SEARCH_RATE_LIMIT_SIGNED_IN = _env("SEARCH_RATE_LIMIT_SIGNED_IN", "120 per minute")
RATELIMIT_HEADERS_ENABLED = False

# Accounts.
PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 10)
PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)
REGISTRATION_MAX_AGE = _env_int("REGISTRATION_MAX_AGE", 24 * 3600)
PASSWORD_HASH_METHOD = _env("PASSWORD_HASH_METHOD", "scrypt")

# Mail: without MAIL_SERVER, messages are written to the application log.
MAIL_SERVER = _env("MAIL_SERVER", "")
MAIL_PORT = _env_int("MAIL_PORT", 587)
MAIL_USERNAME = _env("MAIL_USERNAME", "")
MAIL_PASSWORD = _env("MAIL_PASSWORD", "")
MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Livinglab <no-reply@livinglab.example.org>")
# The public address every link in an e-mail points to (never the request's Host header).
SITE_URL = _env("SITE_URL", "http://127.0.0.1:5000")
# Notification e-mails only carry unread items younger than this, so switching to e-mail never floods.
NOTIFICATION_MAIL_MAX_AGE_DAYS = _env_int("NOTIFICATION_MAIL_MAX_AGE_DAYS", 7)

# Discussion: the longest comment, and how many comments one user may post per minute and per hour.
COMMENT_MAX_LENGTH = _env_int("COMMENT_MAX_LENGTH", 5000)
COMMENTS_PER_MINUTE = _env_int("COMMENTS_PER_MINUTE", 5)
COMMENTS_PER_HOUR = _env_int("COMMENTS_PER_HOUR", 40)

# Commitments: one under way with no progress update for this many days counts as at risk; milestones due
# within REMINDER_DAYS_AHEAD days get a reminder (`flask commitments remind`). Pages and exports state these numbers.
STALE_AFTER_DAYS = _env_int("STALE_AFTER_DAYS", 90)
REMINDER_DAYS_AHEAD = _env_int("REMINDER_DAYS_AHEAD", 7)

# Attachments: per file and per piece. The request limit leaves room for a full set of files plus
# the form, so an oversized file is refused by the form (which keeps what was typed), not by Flask.
MAX_ATTACHMENT_BYTES = _env_int("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
MAX_ATTACHMENTS = _env_int("MAX_ATTACHMENTS", 10)
# DOCX, XLSX and PPTX are zip archives: refused when they unpack to more than this in total, to more
# than MAX_ZIP_RATIO times their size (once above 10 MB), or hold more parts (zip bombs).
MAX_UNZIPPED_BYTES = _env_int("MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
MAX_ZIP_RATIO = _env_int("MAX_ZIP_RATIO", 100)
MAX_ZIP_ENTRIES = _env_int("MAX_ZIP_ENTRIES", 5000)

# Requests and pages.
MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 110 * 1024 * 1024)
MAX_FORM_MEMORY_SIZE = _env_int("MAX_FORM_MEMORY_SIZE", 2 * 1024 * 1024)
PER_PAGE = _env_int("PER_PAGE", 25)
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
# Whole public pages kept per process for visitors who are not signed in, up to this many bytes with their
# compressed forms (0: none; see livinglab/pagecache.py). Off in debug, where templates change under you.
PAGE_CACHE_BYTES = _env_int("PAGE_CACHE_BYTES", 32 * 1024 * 1024)
# Responses compressed with Flask-Compress (the best the browser accepts), static files included.
COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                      "image/svg+xml", "text/csv", "text/plain"]
WTF_CSRF_TIME_LIMIT = None

# Shows a banner saying the data is invented; `make run` sets it because it loads demo content.
DEMO_MODE = _env_bool("DEMO_MODE", False)
