"""Issue 16, item 3: a served app refuses the built-in or a short SECRET_KEY; `make run` makes its own."""
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from onestop import create_app, secret_key

ROOT = Path(__file__).resolve().parent.parent
STRONG = "k" * secret_key.MINIMUM_BYTES


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """The environment of a production start: no debug, no testing, a database of its own."""
    for name in ("FLASK_DEBUG", "FLASK_TESTING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite'}")
    return monkeypatch


@pytest.mark.parametrize("key", [secret_key.DEFAULT, "production", "x" * 31, "khóa-bí-mật-ngắn-quá"])
def test_a_served_app_refuses_the_default_or_a_short_key(production_env, key):
    production_env.setenv("FLASK_SECRET_KEY", key)
    with pytest.raises(secret_key.InsecureSecretKey, match="refuses to start: SECRET_KEY"):
        create_app()


def test_a_key_of_32_bytes_is_accepted_and_counted_in_bytes(production_env):
    production_env.setenv("FLASK_SECRET_KEY", STRONG)
    assert create_app().config["SECRET_KEY"] == STRONG
    assert secret_key.weakness("đ" * 16) is None  # 16 letters, 32 bytes in UTF-8


@pytest.mark.parametrize("flag", ["FLASK_DEBUG", "FLASK_TESTING"])
def test_debug_and_testing_may_keep_the_default(production_env, flag):
    production_env.setenv("FLASK_SECRET_KEY", secret_key.DEFAULT)
    production_env.setenv(flag, "1" if flag == "FLASK_DEBUG" else "true")
    assert create_app().config["SECRET_KEY"] == secret_key.DEFAULT


def _serve(command, key, tmp_path, timeout=30):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite'}", "FLASK_SECRET_KEY": key,
           "ONESTOP_BIND": f"127.0.0.1:{_free_port()}", "ONESTOP_WORKERS": "1"}
    for name in ("FLASK_DEBUG", "FLASK_TESTING"):
        env.pop(name, None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_gunicorn_exits_non_zero_with_the_reason_when_the_key_is_the_default(tmp_path):
    done = _serve([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                  secret_key.DEFAULT, tmp_path)
    assert done.returncode != 0
    assert "refuses to start: SECRET_KEY is the built-in default" in done.stderr


def test_flask_run_exits_non_zero_with_the_reason_when_the_key_is_short(tmp_path):
    done = _serve([sys.executable, "-m", "flask", "--app", "onestop", "run", "--port", str(_free_port())],
                  "short", tmp_path)
    assert done.returncode != 0
    assert "refuses to start: SECRET_KEY is 5 bytes long, shorter than 32" in done.stderr


def test_other_flask_commands_still_work_without_a_key(tmp_path):
    # `flask db upgrade` and the like serve nothing; `make run` runs them before it has a key.
    done = _serve([sys.executable, "-m", "flask", "--app", "onestop", "db", "heads"], secret_key.DEFAULT, tmp_path)
    assert done.returncode == 0, done.stderr


def test_make_run_writes_a_random_key_on_first_run_and_keeps_it(tmp_path, production_env):
    config = tmp_path / "instance" / "config.py"
    first = subprocess.run([sys.executable, "-m", "onestop.secret_key", str(config)], cwd=ROOT, check=True,
                           capture_output=True, text=True)
    assert "Wrote a new random SECRET_KEY" in first.stdout
    assert first.stderr == ""  # a newcomer's `make run` shows no RuntimeWarning from runpy
    written = config.read_text()
    key = re.search(r"SECRET_KEY = '([0-9a-f]+)'", written).group(1)
    assert len(key) == 2 * secret_key.MINIMUM_BYTES and secret_key.weakness(key) is None
    assert config.stat().st_mode & 0o077 == 0  # readable by its owner only
    again = subprocess.run([sys.executable, "-m", "onestop.secret_key", str(config)], cwd=ROOT, check=True,
                           capture_output=True, text=True)
    assert again.stdout == "" and config.read_text() == written
    assert "$(PYTHON) -m onestop.secret_key" in (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n")[0]


def test_an_instance_config_with_other_settings_gets_the_key_added_not_replaced(tmp_path):
    config = tmp_path / "config.py"
    config.write_text("PUBLIC_RATE_LIMIT = '30 per minute'")
    assert secret_key.ensure_in_instance(config)
    assert secret_key.ensure_in_instance(config) is False
    settings = {}
    exec(config.read_text(), settings)  # noqa: S102 (our own file, as Flask's from_pyfile reads it)
    assert settings["PUBLIC_RATE_LIMIT"] == "30 per minute" and secret_key.weakness(settings["SECRET_KEY"]) is None


def test_the_key_make_run_writes_is_the_key_the_served_app_signs_with(tmp_path, production_env):
    """instance/config.py is read from the instance folder (it was once looked for beside the package)."""
    import onestop

    production_env.delenv("FLASK_SECRET_KEY", raising=False)
    production_env.setattr(onestop, "ROOT", tmp_path)  # create_app's instance folder: tmp_path/instance
    assert secret_key.ensure_in_instance(tmp_path / "instance" / "config.py")
    app = create_app()  # as gunicorn creates it: it would refuse to start with the built-in key
    assert secret_key.weakness(app.config["SECRET_KEY"]) is None
    assert repr(app.config["SECRET_KEY"]) in (tmp_path / "instance" / "config.py").read_text()
