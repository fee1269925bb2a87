"""How the suite is spread over the xdist workers (scripts/test: ``-n 2 --dist loadgroup``).

A module whose tests share data built once for the module (a module-scoped fixture that asks
for ``django_db_blocker``, as ``data_for_the_module`` does) is marked with its own xdist group
(tests/conftest.py), so one worker builds the data instead of each."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import _builds_module_data, _expected_seconds


@pytest.fixture(scope="module")
def _built_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield "built"


def test_a_test_using_module_data_is_grouped_with_its_module(request, _built_once):
    assert _builds_module_data(request.node)
    group = request.node.get_closest_marker("xdist_group")
    assert group is not None and group.args == ("tests/test_suite_scheduling.py",)


def test_a_test_without_module_data_is_not_grouped(request):
    assert not _builds_module_data(request.node)
    assert request.node.get_closest_marker("xdist_group") is None


def test_xdist_keeps_a_group_on_one_worker(tmp_path):
    """The pytest and pytest-xdist installed together honour ``xdist_group`` (pytest 9.2 and
    pytest-xdist 3.8 did not: the tests were spread as if unmarked; pyproject.toml pins)."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    for name in ("a", "b"):
        (tmp_path / f"test_{name}.py").write_text(
            textwrap.dedent(
                """
                import pytest

                @pytest.mark.xdist_group("together")
                @pytest.mark.parametrize("i", range(4))
                def test_grouped(i):
                    pass

                @pytest.mark.parametrize("i", range(4))
                def test_free(i):
                    pass
                """
            )
        )
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v"]
    command += ["-p", "no:django", "-p", "no:cacheprovider", str(tmp_path)]
    run = subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        command,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workers = set(re.findall(r"\[(gw\d)\] .*PASSED .*test_grouped", run.stdout))
    assert len(re.findall(r"PASSED .*test_grouped", run.stdout)) == 8, run.stdout
    assert len(workers) == 1, run.stdout


def test_the_longest_tests_are_handed_out_first():
    """A ``slow(seconds)`` test comes before the others of its kind (the Redis outage, a
    minute long, used to run last, on one worker, while the other had finished)."""
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/faults/test_overlapping_sweeps.py",
            "tests/faults/test_redis_outage.py",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    order = [line.split("::")[0] for line in collected.splitlines() if "::" in line]
    assert order[0] == "tests/faults/test_redis_outage.py", order
    assert "tests/faults/test_overlapping_sweeps.py" in order


def test_a_slow_mark_without_its_seconds_is_named(request):
    request.node.add_marker(pytest.mark.slow)
    with pytest.raises(pytest.UsageError, match=r"write slow\(seconds\), e\.g\. slow\(30\)"):
        _expected_seconds(request.node)
