"""tools/optimize/python-helper.py on its own: the analysis of one source, as testpace-optimize reads it."""

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HELPER = Path(__file__).resolve().parents[3] / "tools" / "optimize" / "python-helper.py"
spec = importlib.util.spec_from_file_location("python_helper", HELPER)
helper = importlib.util.module_from_spec(spec)
spec.loader.exec_module(helper)


@pytest.fixture
def analyse(tmp_path):
    def run(source, name="test_sample.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        result = helper.analyse(str(path))
        result["file"] = name
        return result

    return run


def places(result):
    return sorted((h["rule"], h["line"], h["detail"].get("kind"), h["detail"].get("name"), h["restore"]) for h in result["hits"])


def test_reads_tests_fixtures_and_imports(analyse):
    result = analyse(
        """
        import time
        import pytest

        @pytest.fixture(scope="module")
        def shared():
            time.sleep(1)

        class TestGroup:
            def test_one(self, shared):
                time.sleep(0.2)
        """
    )
    assert [t["name"] for t in result["tests"]] == ["TestGroup::test_one"]
    assert result["tests"][0]["fixtures"] == ["shared"]
    assert [(f["name"], f["scope"], f["autouse"]) for f in result["fixtures"]] == [("shared", "module", False)]
    assert result["imports"] == ["pytest", "time"]
    assert [(h["rule"], h["line"], h["detail"]["seconds"]) for h in result["hits"]] == [("sleep", 7, 1.0), ("sleep", 11, 0.2)]


def test_a_write_in_finally_is_a_restore(analyse):
    result = analyse(
        """
        import os

        def test_x():
            os.environ["A"] = "1"
            try:
                pass
            finally:
                del os.environ["A"]
        """
    )
    assert places(result) == [("parallel-unsafe", 5, "env", "A", False), ("parallel-unsafe", 9, "env", "A", True)]


def test_a_file_that_does_not_parse_is_reported_with_its_line(analyse):
    assert analyse("def test_x(:\n    pass\n")["error"]["line"] == 1


def test_the_program_answers_json_on_stdout(tmp_path):
    path = tmp_path / "test_a.py"
    path.write_text("def test_a():\n    pass\n")
    request = json.dumps({"files": [str(path)]})
    out = subprocess.run([sys.executable, "-I", str(HELPER)], input=request, capture_output=True, text=True, check=True)
    assert [t["name"] for t in json.loads(out.stdout)[0]["tests"]] == ["test_a"]


def test_bodies_with_none_in_lists_hash(analyse):
    # {**a} has a None key, a bare `global` holds strings, lambda defaults may be absent: all must hash.
    result = analyse(
        """
        def test_merge():
            a = {"x": 1}
            assert {**a, "y": 2}

        def test_names():
            global counter
            assert (lambda x, *, y: x)(1, y=2)
        """
    )
    assert [bool(t["hash"]) for t in result["tests"]] == [True, True]


def test_fixed_paths_are_resolved_in_the_project_and_pathlib_writes_need_a_path(analyse, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = analyse(
        """
        import os
        import shutil
        import subprocess
        from pathlib import Path

        HERE = Path(__file__).parent
        OUT = os.path.join(os.path.dirname(__file__), "out")

        def test_writes(tmp_path):
            (HERE / "data" / "x.txt").write_text("x")
            shutil.rmtree(OUT)
            subprocess.run("mkdir -p build/a 2>/dev/null && cp a.txt build/b", shell=True)
            subprocess.run(["touch", "c.txt"], cwd=tmp_path)
            "a-b".replace("-", "_")
            (tmp_path / "mine").mkdir()
        """
    )
    assert [(h["line"], h["detail"]["name"]) for h in result["hits"] if h["rule"] == "parallel-unsafe"] == [
        (11, "data/x.txt"),
        (12, "out"),
        (13, "build/a"),
        (13, "build/b"),
    ]


def test_a_shell_command_line_writes_its_operands_and_redirections():
    assert helper.command_writes(helper.shell_words("rm -rf test/tmp; echo hi > log.txt 2>&1 | tee -a out.txt")) == [
        "test/tmp",
        "log.txt",
        "out.txt",
    ]
    assert helper.command_writes(["FOO=1", "rm", "$TMP/x", "/dev/null"]) == []
