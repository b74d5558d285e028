"""`workbench frameworks import|weights|delete` and `export --oscal`: formats, previews, refusals.

Every refused file: exit 2, one line naming the problem on stderr, the workspace unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import content_hash
from tests.helpers.catalogs import CISO_YAML, OSCAL_JSON, OSCAL_YAML
from workbench.catalogs.detect import MAX_FILE_BYTES
from workbench.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A workspace that already holds an engagement and an imported framework."""
    path = str(tmp_path / "cli.db")
    assert run(capsys, "--db", path, "new", "--client", "Acme", "--title", "Audit")[0] == 0
    assert run(capsys, "--db", path, "frameworks", "import", str(CISO_YAML))[0] == 0
    return path


def test_import_each_format_and_list_sources(capsys, db) -> None:
    code, out, _ = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON))
    assert code == 0
    assert out.splitlines() == ["imported framework example-ml-operations-control-catalog 1.2 (OSCAL catalog, "
                                "oscal_ml_catalog.json): 3 dimensions, 5 checklist items",
                                "  note: 1 withdrawn control was left out"]
    code, out, _ = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_YAML), "--json")
    imported = json.loads(out)
    assert code == 0 and imported["source"] == "OSCAL resolved-profile catalog" and imported["items"] == 2
    listed = {e["id"]: e for e in json.loads(run(capsys, "--db", db, "frameworks", "list", "--json")[1])}
    assert listed["ml-ops-checklist"]["source"] == "CISO Assistant library"
    assert listed["mlops-architecture"]["source"] == "Built-in" and listed["mlops-architecture"]["engagements"] == 1
    assert listed["example-resolved-data-controls"]["items"] == 2
    code, out, _ = run(capsys, "--db", db, "frameworks", "show", "ml-ops-checklist")
    assert "source: CISO Assistant library, version 3" in out and "GOVERN-1.1" in out


def test_preview_writes_nothing(capsys, db) -> None:
    before = content_hash(Path(db))
    code, out, _ = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON), "--preview", "--weights", "gv=2")
    assert code == 0 and out.startswith("would import framework example-ml-operations-control-catalog")
    assert content_hash(Path(db)) == before


def test_weights_at_import_and_before_first_use(capsys, db) -> None:
    code, out, _ = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON), "--weights", "gv=2,mo=1",
                       "--json")
    assert code == 0 and [d["weight"] for d in json.loads(out)["dimensions"]] == [0.5, 0.25, 0.25]
    code, out, _ = run(capsys, "--db", db, "frameworks", "weights", "ml-ops-checklist", "--weights", "MONITOR=3")
    assert code == 0 and out.strip() == "GOVERN 20.0%, MONITOR 60.0%, DEPLOY 20.0%"
    run(capsys, "--db", db, "new", "--client", "Acme", "--title", "Uses it", "--framework", "ml-ops-checklist")
    before = content_hash(Path(db))
    code, _, err = run(capsys, "--db", db, "frameworks", "weights", "ml-ops-checklist", "--weights", "MONITOR=1")
    assert code == 2 and "used by 1 engagement; it cannot be re-weighted" in err
    assert content_hash(Path(db)) == before


def test_delete_only_unused_imported_frameworks(capsys, db) -> None:
    run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON))
    assert run(capsys, "--db", db, "frameworks", "delete", "example-ml-operations-control-catalog")[0] == 0
    ids = {e["id"] for e in json.loads(run(capsys, "--db", db, "frameworks", "list", "--json")[1])}
    assert "example-ml-operations-control-catalog" not in ids
    run(capsys, "--db", db, "new", "--client", "Acme", "--title", "Uses it", "--framework", "ml-ops-checklist")
    before = content_hash(Path(db))
    for target, message in (("ml-ops-checklist", "used by 1 engagement"), ("mlops-architecture", "built-in"),
                            ("nope", "no imported framework 'nope'")):
        code, out, err = run(capsys, "--db", db, "frameworks", "delete", target)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and out == ""
    assert content_hash(Path(db)) == before


def test_import_under_a_chosen_id_and_refuse_a_second_copy_under_the_same(capsys, db) -> None:
    code, out, err = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON), "--id", "mlops-controls")
    assert code == 0, err
    assert "imported framework mlops-controls 1.2" in out
    run(capsys, "--db", db, "new", "--client", "Acme", "--title", "Chosen id", "--framework", "mlops-controls")
    before = content_hash(Path(db))
    for extra, message in (
            (["--id", "mlops-controls"], "framework 'mlops-controls' version 1.2 is already imported; give this "
                                         "one another id"),
            (["--id", "MLOps Controls"], "id 'MLOps Controls' must be 1 to 64 lowercase letters"),
            (["--id", "mlops-architecture"], "belongs to a built-in framework")):
        code, out, err = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON), *extra)
        assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert content_hash(Path(db)) == before
    code, out, _ = run(capsys, "--db", db, "frameworks", "import", str(OSCAL_JSON), "--id", "other", "--preview")
    assert code == 0 and out.startswith("would import framework other 1.2")


ALIAS_BOMB = "urn: x\nobjects:\n  framework:\n    a: &a [lol, lol, lol]\n    b: &b [*a, *a, *a]\n    c: [*b, *b]\n"


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    catalog = json.loads(OSCAL_JSON.read_text(encoding="utf-8"))
    duplicate = json.loads(json.dumps(catalog))
    duplicate["catalog"]["groups"][1]["controls"].append({"id": "gv-2", "title": "Twice"})
    no_groups = json.loads(json.dumps(catalog))
    no_groups["catalog"]["controls"] = no_groups["catalog"].pop("groups")[0]["controls"]
    files = {
        "neither.json": ('{"controls": []}', "is neither a workbench framework, an OSCAL catalog nor a CISO"),
        "neither.yaml": ("- just\n- a list\n", "is neither a workbench framework"),
        "bomb.yaml": (ALIAS_BOMB, "YAML aliases (*name) are not accepted"),
        "tagged.yaml": ("urn: !custom x\nobjects: {framework: {}}\n", "YAML tag '!custom' is not accepted"),
        "object.yaml": ("catalog: !!python/object/apply:os.system [true]\n", "only plain data is read"),
        "duplicate.json": (json.dumps(duplicate), "duplicate id 'gv-2'"),
        "no-groups.json": (json.dumps(no_groups), "it has no groups"),
        "broken.json": ('{"catalog": ', "not valid JSON"),
        "deep.json": ("[" * 100_000 + "]" * 100_000, "the JSON nests too deeply"),
        "deep.yaml": ("a:\n" + "- " * 5000 + "x\n", "the YAML document nests deeper than"),
        "catalog.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">'
                        "<metadata><title>Baseline</title></metadata></catalog>\n",
                        "catalog.xml is XML; only the JSON and YAML forms of OSCAL catalogs are read"),
    }
    result = {}
    for name, (text, message) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result[name] = (tmp_path / name, message)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, refused before a byte is read
        handle.truncate(MAX_FILE_BYTES)
    result["huge.json"] = (huge, "huge.json is 50.0 MB; framework files must be under 50 MB")
    return result


@pytest.mark.parametrize("case", ["neither.json", "neither.yaml", "bomb.yaml", "tagged.yaml", "object.yaml",
                                  "duplicate.json", "no-groups.json", "broken.json", "huge.json",
                                  "deep.json", "deep.yaml", "catalog.xml"])
def test_bad_input_exit_2_one_line_workspace_unchanged(capsys, db, tmp_path: Path, case: str) -> None:
    path, message = _bad_files(tmp_path)[case]
    before = content_hash(Path(db))
    code, out, err = run(capsys, "--db", db, "frameworks", "import", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err
    assert content_hash(Path(db)) == before


def test_export_oscal_assessment_results(capsys, db, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--db", db, "export", _ref(capsys, db), "--oscal",
                         "-o", str(tmp_path / "ar.json"))
    assert code == 0, err
    document = json.loads((tmp_path / "ar.json").read_text(encoding="utf-8"))
    assert set(document) == {"assessment-results"}
    assert document["assessment-results"]["metadata"]["oscal-version"]


def _ref(capsys, db: str) -> str:
    return json.loads(run(capsys, "--db", db, "list", "--json")[1])[0]["ref"]
