"""The project's own content pack in content/: format, keys and links into the Algoritmekader."""

import re
from pathlib import Path

import frontmatter
import yaml

PACK = Path(__file__).resolve().parents[1] / "content"
DOCS = PACK / "docs"
CRITERIA = DOCS / "voldoen-aan-wetten-en-regels" / "criteria"

GO_LIVE_KEYS = {
    "output-interpretatie",
    "werkinstructies",
    "service-en-incidentbeheer",
    "verantwoordelijkheden",
    "restrisicos",
    "betrokkenen-geinformeerd",
}
MANDATORY_FOR = ["impactvol", "hoog-risico-ai-systeem"]
REQUIRED_FIELDS = (
    "title",
    "id",
    "toelichting",
    "stap",
    "criterium",
    "levenscyclus",
    "onderwerp",
    "rollen",
    "vereiste",
    "maatregel",
    "bewijs",
)
LIST_FIELDS = ("levenscyclus", "onderwerp", "rollen", "vereiste", "maatregel", "bewijs")
SECTIONS = ["Criterium", "Toelichting", "Hoe toon je het aan?", "Risico", "Bronnen"]
CODE_PREFIX_BY_STAGE = {"pilot": "pil", "productie": "gl"}
FILE_NAME = re.compile(r"^6-(?P<code>(?:pil|gl)-\d{2})-(?P<slug>[a-z0-9-]+)$")
MIN_COPIED_WORDS = 10
BRONNEN_LINK = re.compile(r"\]\(\.\./(?P<kind>maatregelen|vereisten)/(?P<slug>[^)#]+)\.md\)")


def load_criteria() -> dict[str, frontmatter.Post]:
    return {path.stem: frontmatter.load(path) for path in sorted(CRITERIA.glob("*.md"))}


def ak_slugs(release: Path, kind: str) -> set[str]:
    folder = release / "docs" / "voldoen-aan-wetten-en-regels" / kind
    return {path.stem for path in folder.glob("*.md") if path.name != "index.md"}


def section_body(content: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", content, re.M | re.S)
    assert match, f"section '## {heading}' missing"
    return match.group(1)


def test_manifest_parses_with_the_agreed_fields():
    manifest = yaml.safe_load((PACK / "tracker-pack.yaml").read_text(encoding="utf-8"))

    assert manifest["label"] == "tracker-pack-1.1"
    assert manifest["title"] == "Algokader Tracker — pilot- en go-livecriteria"
    assert str(manifest["version"]) == "1.1"
    assert manifest["description"].strip()


def test_every_criterion_has_the_required_fields():
    criteria = load_criteria()
    assert criteria, "no criteria found"

    for name, post in criteria.items():
        missing = [field for field in REQUIRED_FIELDS if not post.get(field)]
        assert not missing, f"{name}: missing or empty {missing}"
        for field in LIST_FIELDS:
            values = post[field]
            assert isinstance(values, list), f"{name}: {field} is not a list"
            assert all(isinstance(v, str) and v.strip() for v in values), f"{name}: empty {field}"
        assert post["stap"] in CODE_PREFIX_BY_STAGE, f"{name}: unknown stap {post['stap']!r}"
        assert post["levenscyclus"] == ["implementatie"], name


def test_ids_are_own_urns_matching_the_file_name_and_stage():
    criteria = load_criteria()
    ids = [post["id"] for post in criteria.values()]
    assert len(ids) == len(set(ids)), "duplicate ids"

    for name, post in criteria.items():
        match = FILE_NAME.match(name)
        assert match, f"{name}: file name is not 6-<code>-<slug>"
        assert post["id"] == f"urn:nl:tracker:crit:{match['code']}", name
        assert match["code"].startswith(CODE_PREFIX_BY_STAGE[post["stap"]] + "-"), name
        assert match["slug"] == post["criterium"], f"{name}: slug differs from criterium key"


def test_criterium_keys_are_unique_and_cover_the_six_go_live_criteria():
    criteria = load_criteria().values()
    keys = [post["criterium"] for post in criteria]
    assert len(keys) == len(set(keys)), "duplicate criterium keys"

    go_live = [post["criterium"] for post in criteria if post["stap"] == "productie"]
    assert sorted(go_live) == sorted(GO_LIVE_KEYS)

    pilot = [post["criterium"] for post in criteria if post["stap"] == "pilot"]
    assert 5 <= len(pilot) <= 8
    assert all(key.startswith("pilot-") for key in pilot)


def test_only_informing_affected_persons_is_mandatory_for_impactful_and_high_risk():
    mandatory = [post for post in load_criteria().values() if "verplicht-bij" in post.metadata]

    assert len(mandatory) == 1
    assert mandatory[0]["criterium"] == "betrokkenen-geinformeerd"
    assert mandatory[0]["verplicht-bij"] == MANDATORY_FOR


def test_bodies_have_the_sections_in_order_without_mkdocs_syntax():
    for name, post in load_criteria().items():
        headings = re.findall(r"^## (.+)$", post.content, re.M)
        assert headings == SECTIONS, f"{name}: sections {headings}"
        for mkdocs_only in ("!!!", "???", "<!--", "{ data-"):
            assert mkdocs_only not in post.content, f"{name}: contains {mkdocs_only}"


def test_bronnen_cite_exactly_the_linked_items():
    for name, post in load_criteria().items():
        cited = {
            (m["kind"], m["slug"])
            for m in BRONNEN_LINK.finditer(section_body(post.content, "Bronnen"))
        }
        linked = {("vereisten", slug) for slug in post["vereiste"]} | {
            ("maatregelen", slug) for slug in post["maatregel"]
        }
        assert cited == linked, f"{name}: cited {cited ^ linked} differ from front matter"


def test_taxonomy_pages_exist_exactly_for_the_slugs_used():
    criteria = load_criteria().values()
    for field, folder in (
        ("levenscyclus", "levenscyclus"),
        ("onderwerp", "onderwerpen"),
        ("rollen", "rollen"),
    ):
        used = {slug for post in criteria for slug in post[field]}
        pages = {path.stem for path in (DOCS / folder).glob("*.md")}
        assert pages == used, f"{folder}: pages {sorted(pages)} vs used {sorted(used)}"
        for slug in pages:
            assert frontmatter.load(DOCS / folder / f"{slug}.md")["title"], f"{folder}/{slug}"

    phase = frontmatter.load(DOCS / "levenscyclus" / "implementatie.md")
    assert phase["title"] == "Fase 6, implementatie"


def test_taxonomy_slugs_are_those_of_the_algoritmekader(v251):
    for folder in ("levenscyclus", "onderwerpen", "rollen"):
        ours = {path.stem for path in (DOCS / folder).glob("*.md")}
        theirs = {path.stem for path in (v251 / "docs" / folder).glob("*.md")}
        assert ours <= theirs, f"{folder}: unknown slugs {sorted(ours - theirs)}"


def test_every_linked_slug_exists_in_release_2_5_1(v251):
    requirements = ak_slugs(v251, "vereisten")
    measures = ak_slugs(v251, "maatregelen")
    assert len(requirements) == 63, "unexpected v2.5.1 layout"
    assert len(measures) == 108, "unexpected v2.5.1 layout"

    for name, post in load_criteria().items():
        assert not set(post["vereiste"]) - requirements, f"{name}: unknown vereiste"
        assert not set(post["maatregel"]) - measures, f"{name}: unknown maatregel"


def test_pack_text_is_not_copied_from_the_algoritmekader(v251):
    """Our own words: no sentence of ten words or more appears verbatim upstream."""
    upstream = " ".join(
        " ".join(path.read_text(encoding="utf-8").split()) for path in (v251 / "docs").rglob("*.md")
    )
    copied = []
    for path in sorted(DOCS.rglob("*.md")):
        post = frontmatter.load(path)
        text = " ".join([post.get("toelichting", ""), post.content])
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", text):
            sentence = " ".join(sentence.strip(" -*#").split())
            if sentence == post.get("title"):
                continue  # a topic's name is the Algoritmekader's on purpose
            if len(sentence.split()) >= MIN_COPIED_WORDS and sentence in upstream:
                copied.append(f"{path.name}: {sentence}")
    assert not copied, "\n".join(copied)


def test_pack_topics_carry_the_algoritmekader_names(v251) -> None:
    """One name per topic: the pack's topic pages share slug *and* title with the
    Algoritmekader, so no topic is listed twice ("Governance" and "Governance van ...")."""
    pages = sorted((DOCS / "onderwerpen").glob("*.md"))
    assert pages
    for page in pages:
        ours = frontmatter.load(page)["title"]
        theirs = frontmatter.load(v251 / "docs" / "onderwerpen" / page.name)["title"]
        assert ours == theirs, page.name
