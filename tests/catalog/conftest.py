"""Builders for small content trees and archives, and a snapshot of the catalog tables."""

import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon

RULES = "docs/voldoen-aan-wetten-en-regels"


def vereiste(code: str, title: str, *, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\nid: urn:nl:ak:ver:{code}\n"
        f"toelichting: Uitleg bij {title}.\nlevenscyclus:\n- implementatie\n"
        f"onderwerp:\n- transparantie\nrollen:\n- jurist\nrisicogroep:\n- hoog-risico-ai-systeem\n"
        f"{extra}---\n\n## Vereiste\n\n{title}, met é en ’.\n"
    )


def maatregel(code: str, title: str, vereisten: list[str], *, extra: str = "") -> str:
    links = "".join(f"- {slug}\n" for slug in vereisten)
    return (
        f"---\ntitle: {title}\nid: urn:nl:ak:mtr:{code}\ntoelichting: Doe {title}.\n"
        f"vereiste:\n{links}levenscyclus:\n- implementatie\n- ontwerp\nonderwerp:\n"
        f"- transparantie\nrollen:\n- projectleider\n{extra}---\n\n## Maatregel\n\n{title}\n"
    )


def mini_files() -> dict[str, str | bytes]:
    """A small but complete release: 2 vereisten, 2 maatregelen, 1 hulpmiddel."""
    return {
        "LICENSE.md": "EUPL-1.2\n",
        "includes/begrippenlijst.md": "*[AVG]: Algemene verordening gegevensbescherming.\n"
        "*[AIA]: AI-verordening\n*[term]: Een begrip.\n",
        "docs/levenscyclus/index.md": "# Levenscyclus\n",
        "docs/levenscyclus/over-de-levenscyclus.md": "# Over\n",
        "docs/levenscyclus/implementatie.md": "---\ntitle: Fase 6, implementatie\n---\n# Impl\n",
        "docs/levenscyclus/ontwerp.md": "# Fase 2: Ontwerp\n\nTekst.\n",
        "docs/onderwerpen/transparantie.md": "---\ntitle: Transparantie\n---\n",
        "docs/rollen/jurist.md": "# Jurist\n",
        "docs/rollen/projectleider.md": "# Projectleider\n",
        f"{RULES}/index.md": "# not an item\n",
        f"{RULES}/vereisten/index.md": "# not an item\n",
        f"{RULES}/vereisten/avg-01-rechtmatig.md": vereiste("avg-01", "Rechtmatig verwerken"),
        f"{RULES}/vereisten/aia-09-menselijk-toezicht.md": vereiste(
            "aia-09",
            "Menselijk toezicht",
            extra="uitzondering:\n- risicogroep-uitzondering-van-toepassing\n",
        ),
        f"{RULES}/maatregelen/6-imp-01-werkinstructies.md": maatregel(
            "imp-01",
            "Werkinstructies",
            ["aia-09-menselijk-toezicht", "avg-01-rechtmatig"],
            extra="sources:\n  ARK: 3.10\n  ADR:\n  - DM.3\n",
        ),
        f"{RULES}/maatregelen/6-imp-02-uitleg.md": maatregel(
            "imp-02", "Uitleg", ["aia-09-menselijke-toezicht"]
        ),
        f"{RULES}/hulpmiddelen/DPIA.md": (
            "---\ntitle: DPIA\ntoelichting: Een hulpmiddel.\nvereiste:\n- avg-01-rechtmatig\n"
            "maatregel:\n-\n- 6-imp-01-werkinstructies\nlevenscyclus:\n- ontwerp\n"
            "onderwerp:\n- privacy\nrollen:\n- jurist\n---\nBody\n"
        ),
        "relatie-ak-tot-toetsingskaders.csv": (
            "nummer,bron,maatregelen-ak,urn:nl:ak:mtr:imp-01\n"
            "DM.3,ADR,['urn:nl:ak:mtr:imp-01'],1\n"
            "3.10,ARK,\"['urn:nl:ak:mtr:imp-01', 'urn:nl:ak:mtr:imp-02']\",1\n"
        ),
    }


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def mini_release(tmp_path: Path) -> Callable[..., Path]:
    """mini_release(name, **changes): a mini release folder; a change of None drops a file."""

    def build(name: str = "v9.9", changes: dict[str, str | bytes | None] | None = None) -> Path:
        files = mini_files()
        for key, value in (changes or {}).items():
            if value is None:
                files.pop(key, None)
            else:
                files[key] = value
        return write_tree(tmp_path / name, files)

    return build


def tar_gz(path: Path, entries: list[tarfile.TarInfo | tuple[str, bytes]]) -> Path:
    """A .tar.gz with the given (name, data) files or ready TarInfo entries (links...)."""
    with tarfile.open(path, "w:gz") as tar:
        for entry in entries:
            if isinstance(entry, tarfile.TarInfo):
                tar.addfile(entry)
            else:
                name, data = entry
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def zip_archive(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def folder_entries(root: Path, top: str) -> list[tuple[str, bytes]]:
    """Every file under root, named under one top folder (as GitHub archives are)."""
    return [
        (f"{top}/{p.relative_to(root).as_posix()}", p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def catalog_snapshot() -> dict[str, int]:
    """Row counts of every catalog table, including the many-to-many tables."""
    models = [
        ContentRelease,
        Taxon,
        Law,
        CatalogItem,
        AuditNorm,
        CatalogItem.phases.through,
        CatalogItem.topics.through,
        CatalogItem.roles.through,
        CatalogItem.links.through,
        AuditNorm.measures.through,
    ]
    return {model._meta.db_table: model.objects.count() for model in models}
