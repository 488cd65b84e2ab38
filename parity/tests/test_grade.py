"""``python -m parity grade``: planted student ports, each with one classic mistake, are
failed and the mistake named; correct ones in two styles pass every function; the
one-ulp rule judges a chaotic input; --json is strict JSON; points come from TOML.

The ports live in parity/tests/ports/. R's answers are computed once per process
(``parity.grade.inputs_for``); most tests grade only the function a port gets wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import run_module

from parity.compare import TOLERANCE
from parity.grade import FUNCTIONS, PASS, grade, main

pytestmark = pytest.mark.usefixtures("r_session")  # a loud skip without R

PORTS = Path(__file__).parent / "ports"

# port -> (the function it gets wrong, the mistake the grader must name)
PLANTED = {
    "star_forward": ("forward", "elementwise"),
    "matmul_for_star": ("backprop", "matmul"),
    "missing_transpose": ("backprop", "transpose"),
    "c_order": ("init_weights", "c_order"),
    "one_d": ("cost", "one_d"),
    "exp_sign": ("sigmoid", "exp_sign"),
    "reversed_residual": ("backprop", "residual"),
    "off_by_one": ("train", "off_by_one"),
    "cost_after_update": ("train", "off_by_one"),
    "one_too_many": ("train", "off_by_one"),
    "np_random_train": ("train", "np_random"),
    "aliasing": ("train", "aliasing"),
    "np_random": ("init_weights", "np_random"),
    "int_div": ("scale_target", "int_div"),
    "mean_cost": ("cost", "mean"),
}


def _reject(constant: str) -> None:
    raise AssertionError(f"not strict JSON: {constant}")


@pytest.mark.parametrize("port", sorted(PLANTED))
def test_each_planted_mistake_is_failed_and_named(port: str) -> None:
    function, mistake = PLANTED[port]
    report = grade(PORTS / f"{port}.py", only=[function])
    (g,) = report.grades
    assert g.status == "fail", (g.status, g.detail)
    assert g.hint is not None, f"{port}: failed ({g.detail}) but no mistake named"
    assert g.hint.mistake == mistake, (g.hint.mistake, g.hint.title)
    assert g.hint.r_line and g.hint.py_line  # the two lines that differ in meaning
    assert report.exit_status == 1


@pytest.mark.parametrize("port", ["correct", "correct_loops"])
def test_the_correct_ports_pass_every_function_within_the_tolerance(port: str) -> None:
    """correct_loops adds in another order than R (loops, np.dot, classes, nested
    lists): it passes within the harness's tolerance, and the ulps are shown."""
    report = grade(PORTS / f"{port}.py")
    assert [g.name for g in report.grades] == list(FUNCTIONS)
    assert [g.status for g in report.grades] == [PASS] * len(FUNCTIONS), [
        (g.name, g.detail) for g in report.grades if g.status != PASS
    ]
    assert all(g.hint is None for g in report.grades)
    for g in report.grades:
        assert isinstance(g.max_ulps, int) and g.max_rel is not None
        assert g.max_rel <= TOLERANCE.rtol
    assert report.exit_status == 0


def test_a_mistake_outside_the_catalogue_fails_without_a_guessed_hint(tmp_path: Path) -> None:
    source = (PORTS / "correct.py").read_text()
    port = tmp_path / "steeper.py"
    port.write_text(source.replace("np.exp(-Z))\n", "np.exp(-1.0001 * Z))\n", 1))
    (g,) = grade(port, only=["sigmoid"]).grades
    assert g.status == "fail" and g.hint is None
    assert g.detail.startswith("on lecture's Z_2 (3 x 3): sigmoid()[0, 0]: R ")


def test_a_port_right_until_iteration_700_of_the_chaotic_input_is_not_failed() -> None:
    """The chaotic input (study, step 10): one ulp of the starting weights moves the
    cost from about iteration 666, so parting from R after that is not a failure."""
    (g,) = grade(PORTS / "right_until_700.py", only=["train"]).grades
    assert g.status == PASS, g.detail
    chaotic = [i for i in g.inputs if "chaotic" in i.label]
    assert [i.status for i in chaotic] == ["ill-conditioned"]
    assert "ill-conditioned" in g.notes[0] and "not failed" in g.notes[0]


def test_a_port_that_parts_from_r_before_one_ulp_matters_fails() -> None:
    (g,) = grade(PORTS / "slips_early.py", only=["train"]).grades
    assert g.status == "fail"
    assert "chaotic" in g.detail and "(iteration 302)" in g.detail
    assert "before one ulp of the starting weights matters" in g.detail
    assert [i.status for i in g.inputs[:2]] == [PASS, PASS]  # the well-conditioned ones


def test_missing_functions_are_named_and_fail_the_grade() -> None:
    report = grade(PORTS / "partial.py", only=["sigmoid", "cost", "forward"])
    assert [(g.name, g.status) for g in report.grades] == [
        ("sigmoid", PASS),
        ("cost", PASS),
        ("forward", "missing"),
    ]
    assert report.exit_status == 1


def test_json_is_strict_and_says_status_hint_ulps_and_points(capsys, tmp_path: Path) -> None:
    weights = tmp_path / "points.toml"
    weights.write_text("# the instructor's weights\n[points]\nforward = 3\ntrain = 5\n")
    argv = [str(PORTS / "star_forward.py"), "--json", "--points", str(weights)]
    status = main([*argv, "--function", "forward", "--function", "backprop"])
    out = capsys.readouterr().out
    report = json.loads(out, parse_constant=_reject)
    assert status == 1 and report["ok"] is False
    forward, backprop = report["functions"]
    assert (forward["name"], forward["status"], forward["points"], forward["max_points"]) == (
        "forward",
        "fail",
        0,
        3,
    )
    assert forward["hint"]["mistake"] == "elementwise"
    assert forward["hint"]["r"] == "Z_2 <- X %*% W_1"
    assert forward["hint"]["python"] == "Z_2 = X * W_1"
    assert (backprop["status"], backprop["points"], backprop["max_points"]) == (PASS, 1, 1)
    assert isinstance(backprop["max_ulps"], int) and backprop["max_rel"] <= TOLERANCE.rtol
    assert (report["points"], report["max_points"]) == (1, 4)
    assert report["tolerance"] == {"rtol": TOLERANCE.rtol, "atol": TOLERANCE.atol}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[points]\nbackpropagate = 2\n", "'backpropagate' is not one of the lecture's functions"),
        ("[points]\nforward = -1\n", "points for forward must be a number >= 0; got -1"),
        ("[points]\nforward = 'two'\n", "points for forward must be a number >= 0; got 'two'"),
        ("[points\nforward = 2\n", "not TOML"),
    ],
)
def test_a_bad_points_file_is_one_line_and_exit_2(capsys, tmp_path, text, words) -> None:
    weights = tmp_path / "points.toml"
    weights.write_text(text)
    status = main([str(PORTS / "correct.py"), "--points", str(weights)])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and words in err, err


def test_python_m_parity_grade_prints_the_table_and_the_hint() -> None:
    """The README's session: `python -m parity grade` on a port with one mistake."""
    done = run_module("parity", "grade", str(PORTS / "exp_sign.py"))
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("grading exp_sign.py against R version ")
    rows = {line.split()[0]: line.split()[1] for line in lines if line.split()[:1] != []}
    assert rows["sigmoid"] == "FAIL"
    assert all(rows[name] == "PASS" for name in FUNCTIONS if name != "sigmoid")
    assert "    hint: the sign in `exp(-Z)`" in lines
    assert "      R:      1 / (1 + exp(-Z))" in lines
    assert "      Python: 1 / (1 + np.exp(Z))" in lines
    assert lines[-1].startswith("9 functions: 8 pass, 1 fail, 0 missing, 0 error; 8/9 points; ")


def test_python_m_parity_without_grade_is_unchanged() -> None:
    done = run_module("parity", "grade")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "python -m parity grade: error: the following arguments are required: FILE"
    ]


def test_a_function_that_changes_its_argument_in_place_is_failed_as_aliasing(tmp_path) -> None:
    """R's arguments are copies: a backprop that subtracts into fwd's Y_hat in place
    (right numbers, but the caller's forward pass is changed) fails, and says so."""
    source = (PORTS / "correct.py").read_text()
    old = '    delta_3 = -(Y - fwd["Y_hat"]) * sigmoid_prime(fwd["Z_3"])\n'
    new = (
        '    residual = fwd["Y_hat"]\n'
        "    residual -= Y\n"
        '    delta_3 = residual * sigmoid_prime(fwd["Z_3"])\n'
    )
    port = tmp_path / "in_place.py"
    port.write_text(source.replace(old, new))
    (g,) = grade(port, only=["backprop"]).grades
    assert g.status == "fail" and g.hint is not None and g.hint.mistake == "aliasing"
    assert g.detail.endswith("changed its argument fwd's Y_hat in place")


def test_a_1d_result_where_r_has_a_column_is_named(tmp_path) -> None:
    source = (PORTS / "correct.py").read_text()
    port = tmp_path / "flat.py"
    port.write_text(source.replace("    return y / 100\n", "    return (y / 100).ravel()\n"))
    (g,) = grade(port, only=["scale_target"]).grades
    assert g.status == "fail" and g.hint is not None and g.hint.mistake == "one_d"
    assert "scale_target() is 3 (1-D) where R's is 3x1" in g.detail


def test_without_r_the_grade_says_what_it_compared_with(monkeypatch, lecture, r_session) -> None:
    """R absent: the answers come from backprop.network, and from R's frozen outputs for
    the lecture's training (within the tolerance of live R's); the header says so."""
    from backprop import r_engine as sessions
    from parity.compare import diff
    from parity.grade import Engine

    X, Y = lecture
    live = r_session.call("train", X, Y, 3, 1, 10000, 5.0)

    def absent() -> None:
        raise sessions.RUnavailableError("no R here")

    monkeypatch.setattr(sessions, "session", absent)
    engine = Engine()
    assert not engine.live
    assert engine.description.startswith("backprop.network (R is absent, so not R itself")
    assert "parity/reference/lecture" in engine.description
    assert engine("cost", np.ones((2, 1)), np.zeros((2, 1)))["value"] == 1.0
    frozen = engine("train", X, Y, 3, 1, 10000, 5.0)
    assert all(diff(live[q], frozen[q]).within for q in ("W_1", "W_2", "Y_hat", "cost_history"))


def test_a_function_that_returns_nothing_fails_and_says_what_came_back(tmp_path) -> None:
    source = (PORTS / "correct.py").read_text()
    old = '    return {"Z_2": Z_2, "A_2": A_2, "Z_3": Z_3, "Y_hat": Y_hat}\n'
    port = tmp_path / "no_return.py"
    port.write_text(source.replace(old, ""))
    report = grade(port, only=["forward"])
    (g,) = report.grades
    assert (g.status, report.exit_status) == ("fail", 1)
    assert g.detail.endswith(
        "forward returned a NoneType without Z_2, A_2, Z_3, Y_hat: return "
        "them named as R names them (a dict, a named tuple, a dataclass)"
    )


def test_json_stays_strict_when_a_port_returns_nan_and_inf(capsys, tmp_path) -> None:
    source = (PORTS / "correct.py").read_text()
    port = tmp_path / "nan.py"
    port.write_text(source.replace("    return y / 100\n", "    return y / 0 - y / 0 + y / 0\n"))
    status = main([str(port), "--json", "--function", "scale_target"])
    report = json.loads(capsys.readouterr().out, parse_constant=_reject)
    (g,) = report["functions"]
    assert status == 1 and g["status"] == "fail" and g["max_ulps"] is None
    assert "yours nan" in g["detail"]
