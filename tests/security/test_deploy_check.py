"""`manage.py check --deploy` with the production settings the README documents."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_production_env() -> dict[str, str]:
    """The variables of the `export` in the README's "Running in production" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running in production", 1)[1]
    export = re.search(r"export (.*?)\n\s*bin/setup", section, re.S)
    assert export, "README: no export block in the production section"
    words = export[1].replace("\\\n", " ").split()
    values = dict(word.split("=", 1) for word in words)
    values["SECRET_KEY"] = secrets.token_urlsafe(50)  # documented as "..."
    return values


def test_documented_production_settings_pass_the_deploy_check(tmp_path) -> None:
    documented = documented_production_env()
    assert documented["DEBUG"] == "false"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "DJANGO_"))
        and key not in {"DEBUG", "DATABASE_URL", "TASKS_BACKEND", "ALLOWED_HOSTS"}
    }
    env |= documented | {"ALGOKADER_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
