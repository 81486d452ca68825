"""Typed settings: every environment variable declared once (akhbar/core/environment.py), bad
values stopping start-up with a message that names them, and apps reading the settings through
one typed object (akhbar.core.conf.akhbar_settings) that tests can still override."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from akhbar.core import conf
from akhbar.core.conf import akhbar_settings
from akhbar.core.environment import BY_NAME, VARIABLES, read_environment, reference_markdown

REPO = Path(__file__).resolve().parents[2]
DEPLOY_DOC = REPO / "docs" / "deploy.md"
NAME = re.compile(r"\b(?:AKHBAR_[A-Z0-9_]*[A-Z0-9]|AKISMET_[A-Z_]*[A-Z]|DATABASE_URL|REDIS_URL)\b")


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A process environment without the test run's Akhbar variables (nor pytest's marker)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not NAME.fullmatch(k) and k not in ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DJANGO_SETTINGS_MODULE="akhbar.settings", AKHBAR_DATA_DIR=str(tmp_path))
    env.update(extra)
    return env


def _start(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=_clean_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Bad values stop start-up ------------------------------------------------------------------

BAD_VALUES = [
    # variable, bad value, part of what the message says is accepted
    ("AKHBAR_VARNISH_TIMEOUT", "abc", "a number greater than 0"),
    ("AKHBAR_LOGIN_FAILURE_LIMIT", "-3", "a whole number, 1 or more"),
    ("AKHBAR_TASKS_BACKEND", "celery", "one of database, redis, immediate"),
    ("AKHBAR_CACHE", "bogus", "one of file, locmem"),
    ("DATABASE_URL", "postgres://akhbar@db:port/akhbar", "the port is not a number"),
    ("DATABASE_URL", "mysql://akhbar@db/akhbar", "postgres://user:password@host:5432/name"),
    ("DATABASE_URL", "postgres://akhbar@db:5432/", "names no database"),
    ("AKHBAR_DEBUG", "perhaps", "1 or 0 (also true/false, yes/no, on/off)"),
    ("AKHBAR_SPAM_PURGE_DAYS", "3", "a whole number, 15 or more"),
    ("AKHBAR_TIME_ZONE", "Mars/Olympus", "an IANA time zone name"),
    ("AKHBAR_TRUSTED_PROXIES", "10.0.0.0/8,proxy", "each item an address or network"),
    ("AKHBAR_VARNISH_URLS", "varnish:6081", "each item an URL starting with http://"),
    ("AKHBAR_LOG_LEVEL", "loud", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("AKHBAR_NOTES_POSITION", "middle", "one of top, bottom"),
    ("AKISMET_TIMEOUT", "0", "a number greater than 0"),
]


@pytest.mark.parametrize(("name", "value", "accepted"), BAD_VALUES)
def test_a_bad_value_is_refused_naming_the_variable_value_and_what_is_accepted(
    name, value, accepted
):
    with pytest.raises(ImproperlyConfigured) as caught:
        read_environment({name: value})
    message = str(caught.value)
    assert f"{name}={value!r}: use " in message
    assert accepted in message


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [BAD_VALUES[0], BAD_VALUES[1], BAD_VALUES[2], BAD_VALUES[3], BAD_VALUES[4], BAD_VALUES[7]],
)
def test_django_does_not_start_with_a_bad_value(tmp_path, name, value, accepted):
    """What an operator sees: the process stops at start-up, with the message, in English."""
    out = _start(tmp_path, "-c", "import django; django.setup()", **{name: value})
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()
    assert any(line.startswith("django.core.exceptions.ImproperlyConfigured: ") for line in last)
    assert f"{name}={value!r}: use " in out.stderr and accepted in out.stderr
    assert "docs/deploy.md" in out.stderr


def test_manage_py_check_fails_and_lists_every_bad_variable_at_once(tmp_path):
    out = _start(
        tmp_path,
        "manage.py",
        "check",
        AKHBAR_DEBUG="perhaps",
        AKHBAR_VARNISH_TIMEOUT="abc",
        AKHBAR_PAGE_CACHE_SECONDS="10m",
    )
    assert out.returncode != 0
    assert "3 environment variables have bad values" in out.stderr
    for name in ("AKHBAR_DEBUG", "AKHBAR_VARNISH_TIMEOUT", "AKHBAR_PAGE_CACHE_SECONDS"):
        assert f"\n  {name}=" in out.stderr
    assert "System check identified" not in out.stdout
    assert out.returncode == 2 and "Traceback" not in out.stderr  # the message alone


def test_the_akhbar_command_says_it_without_a_traceback_too(tmp_path):
    code = "import sys; from akhbar.cli import main; sys.argv = ['akhbar', 'status']; main()"
    out = _start(tmp_path, "-c", code, AKHBAR_CACHE="bogus")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("Akhbar cannot start: 1 environment variable has a bad value")
    assert "AKHBAR_CACHE='bogus'" in out.stderr


def test_gunicorn_config_refuses_a_bad_value_too(tmp_path):
    conf_file = REPO / "deploy" / "gunicorn" / "akhbar.conf.py"
    code = f"import runpy; runpy.run_path({str(conf_file)!r})"
    assert _start(tmp_path, "-c", code).returncode == 0
    out = _start(tmp_path, "-c", code, AKHBAR_THREADS="many")
    assert out.returncode == 1 and "AKHBAR_THREADS='many': use a whole number" in out.stderr


def test_a_password_in_a_bad_url_is_not_written_to_the_log():
    with pytest.raises(ImproperlyConfigured) as caught:
        read_environment({"DATABASE_URL": "postgres://akhbar:hunter2@db:port/akhbar"})
    assert "hunter2" not in str(caught.value)
    assert "postgres://akhbar:***@db:port/akhbar" in str(caught.value)


# --- Good values and defaults ------------------------------------------------------------------


def test_unset_variables_take_their_declared_default():
    env = read_environment({})
    assert {name: env[name] for name in BY_NAME} == {v.name: v.default for v in VARIABLES}
    assert env["AKHBAR_VARNISH_TIMEOUT"] == 3.0
    assert env["AKHBAR_LOGIN_FAILURE_LIMIT"] == 5
    assert env["AKHBAR_PAGE_CACHE"] is True
    assert env["AKHBAR_API_CORS_ORIGINS"] == ["*"]


def test_values_parse_to_their_type():
    env = read_environment(
        {
            "AKHBAR_DEBUG": "Yes",
            "AKHBAR_PAGE_CACHE": "off",
            "AKHBAR_VARNISH_TIMEOUT": "0.5",
            "AKHBAR_LOGIN_FAILURE_LIMIT": " 7 ",
            "AKHBAR_LOG_LEVEL": "warning",
            "AKHBAR_ALLOWED_HOSTS": " news.example.org, ,www.news.example.org ",
            "AKHBAR_TRUSTED_PROXIES": "127.0.0.1/32, ::1",
            "DATABASE_URL": "postgres://akhbar:secret@db.internal:5432/akhbar",
            "AKHBAR_DATA_DIR": "/srv/akhbar/var",
            # Empty: the default for a number, an empty list for a list.
            "AKHBAR_HSTS_SECONDS": "",
            "AKHBAR_CSP_FRAME_SOURCES": "",
        }
    )
    assert env["AKHBAR_DEBUG"] is True and env["AKHBAR_PAGE_CACHE"] is False
    assert env["AKHBAR_VARNISH_TIMEOUT"] == 0.5 and env["AKHBAR_LOGIN_FAILURE_LIMIT"] == 7
    assert env["AKHBAR_LOG_LEVEL"] == "WARNING"
    assert env["AKHBAR_ALLOWED_HOSTS"] == ["news.example.org", "www.news.example.org"]
    assert env["AKHBAR_TRUSTED_PROXIES"] == ["127.0.0.1/32", "::1"]
    assert env["DATABASE_URL"] == "postgres://akhbar:secret@db.internal:5432/akhbar"
    assert env["AKHBAR_DATA_DIR"] == Path("/srv/akhbar/var")
    assert env["AKHBAR_HSTS_SECONDS"] == 31_536_000
    assert env["AKHBAR_CSP_FRAME_SOURCES"] == []


def test_a_default_list_is_a_fresh_copy_each_time():
    read_environment({})["AKHBAR_ALLOWED_HOSTS"].append("evil.example")
    assert "evil.example" not in read_environment({})["AKHBAR_ALLOWED_HOSTS"]


def test_a_server_started_without_variables_gets_the_declared_defaults(tmp_path):
    """settings.py passes each declared default through (and derives the others)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'akhbar': s.AKHBAR, 'api': s.AKHBAR_API, 'wire': s.AKHBAR_WIRE,"
        "'axes': s.AXES_FAILURE_LIMIT, 'tasks': s.TASKS['default']['BACKEND'],"
        "'cache': s.CACHES['default']['BACKEND'], 'db': str(s.DATABASES['default']['NAME']),"
        "'debug': s.DEBUG, 'akismet': s.AKISMET_TIMEOUT, 'tz': s.TIME_ZONE}))"
    )
    out = _start(tmp_path, "-c", code)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["akhbar"]["VARNISH_TIMEOUT"] == 3.0
    assert got["akhbar"]["PAGE_CACHE_SECONDS"] == 600
    assert got["akhbar"]["SPAM_PURGE_DAYS"] == 15
    assert got["akhbar"]["FEED_ITEMS"] == 30  # a key with no variable, set in settings.py
    assert got["api"]["CORS_ORIGINS"] == ["*"] and got["wire"]["MAX_EMBARGO_DAYS"] == 30
    assert got["wire"]["ROOT"] == str(tmp_path / "wire")
    assert got["axes"] == 5 and got["debug"] is False and got["akismet"] == 3.0
    assert got["tasks"] == "django_tasks_db.DatabaseBackend"  # not under pytest: database
    assert got["cache"] == "akhbar.core.filecache.BoundedFileCache"
    assert got["db"] == str(tmp_path / "akhbar.sqlite3") and got["tz"] == "UTC"


# --- The typed interface apps read ------------------------------------------------------------


def test_every_attribute_reads_a_setting_that_exists():
    for name in conf.attributes():
        getattr(akhbar_settings, name)  # raises ImproperlyConfigured when it is not set


def test_the_settings_fixture_and_an_in_place_change_are_seen_at_once(settings):
    settings.AKHBAR = {**settings.AKHBAR, "VARNISH_TIMEOUT": 0.25}
    assert akhbar_settings.varnish_timeout == 0.25
    settings.AKHBAR["VARNISH_TIMEOUT"] = 0.75
    assert akhbar_settings.varnish_timeout == 0.75
    settings.AKHBAR_SITE_URL = "https://news.example.org"
    assert akhbar_settings.site_url == "https://news.example.org"


def test_a_missing_key_is_a_clear_error_not_a_default(settings):
    settings.AKHBAR = {k: v for k, v in settings.AKHBAR.items() if k != "FEED_ITEMS"}
    with pytest.raises(ImproperlyConfigured, match=r"settings\.AKHBAR\['FEED_ITEMS'\] is not set"):
        akhbar_settings.feed_items  # noqa: B018


def test_attributes_are_read_only():
    with pytest.raises(AttributeError, match="read-only"):
        akhbar_settings.page_cache = False  # type: ignore[assignment]


def test_no_app_reads_settings_or_the_environment_around_the_typed_interface():
    """The rule the interface exists for: Akhbar's settings are read in akhbar.core.conf only,
    environment variables in akhbar.core.environment only (through settings.py)."""
    offenders = []
    allowed_environ = {
        "akhbar/settings.py",  # read_environment(os.environ), and the pytest marker
        "akhbar/cli.py",  # DJANGO_SETTINGS_MODULE
        "akhbar/wsgi.py",  # DJANGO_SETTINGS_MODULE
    }
    for path in sorted((REPO / "akhbar").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text()
        if rel not in ("akhbar/settings.py", "akhbar/core/conf.py") and re.search(
            r"settings\.(AKHBAR|AKISMET)|getattr\(settings, \"(AKHBAR|AKISMET)", text
        ):
            offenders.append(f"{rel}: reads an Akhbar setting without akhbar_settings")
        if rel not in allowed_environ and re.search(r"os\.environ|os\.getenv", text):
            offenders.append(f"{rel}: reads the environment (declare the variable instead)")
    assert offenders == []


# --- docs/deploy.md lists exactly the declared variables ------------------------------------


def test_every_variable_named_in_deploy_md_is_declared_and_every_declared_one_documented():
    doc = DEPLOY_DOC.read_text()
    named = set(NAME.findall(doc))
    declared = set(BY_NAME)
    assert named - declared == set(), "docs/deploy.md names variables that are not declared"
    assert declared - named == set(), "declared variables missing from docs/deploy.md"


def test_the_configuration_reference_in_deploy_md_is_the_declaration():
    """The tables are made by `python -m akhbar.core.environment`; paste its output between
    the markers when a variable changes."""
    doc = DEPLOY_DOC.read_text()
    begin, end = "<!-- reference: begin -->\n", "<!-- reference: end -->"
    assert begin in doc and end in doc
    table = doc.split(begin, 1)[1].split(end, 1)[0]
    assert table.strip() == reference_markdown().strip()
