"""The real publication standard and example entry from ../shared/algoritmeregister."""

import copy
import json
from pathlib import Path

import pytest

SHARED_REGISTER = Path(__file__).resolve().parents[3] / "shared" / "algoritmeregister"


def shared_file(name: str) -> Path:
    path = SHARED_REGISTER / name
    if not path.is_file():
        pytest.skip(f"real register data not found at {path} (needs ../shared/)")
    return path


@pytest.fixture
def standard_file() -> Path:
    return shared_file("standard-v1_0.json")


@pytest.fixture
def standard(standard_file):
    from tracker.register.standard import parse_standard

    return parse_standard(json.loads(standard_file.read_text()), source=str(standard_file))


@pytest.fixture
def example() -> dict:
    """The real example entry (the object inside the list of one)."""
    return copy.deepcopy(json.loads(shared_file("example-gemeente-amsterdam.json").read_text())[0])


@pytest.fixture
def register_standard(db, standard_file):
    from tracker.register.importer import import_standard

    return import_standard(standard_file)[0]
