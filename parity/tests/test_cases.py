"""The case list: one file, read the same way by Python and by R, covering every setting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
import pytest

from backprop.activations import ACTIVATIONS
from backprop.initialisers import INITIALISERS
from backprop.losses import LOSSES
from backprop.optimisers import OPTIMISERS
from backprop.r_engine import RSession
from backprop.spec import network_defaults
from parity.cases import (
    CASES_FILE,
    DEFAULT_CASES,
    Case,
    parse_hidden,
    read_cases,
    select,
)

MAKE_REFERENCE = CASES_FILE.parent / "make_reference.R"
NA_INTEGER = -(2**31)  # R's NA in an integer column, as numpy gets it
HEADER = "name,data,hidden,seed,iterations,step,why\n"
# Each table of rules by name, under its R name (r/R/activations.R: `activations`).
TABLES = {
    "activations": ACTIVATIONS,
    "losses": LOSSES,
    "initialisers": INITIALISERS,
    "optimisers": OPTIMISERS,
}


def test_the_lecture_comes_first_as_on_the_slides() -> None:
    lecture = DEFAULT_CASES[0]
    assert (lecture.name, lecture.data, lecture.trainer()) == (
        "lecture",
        "data/lecture.csv",
        "train",
    )
    assert lecture.settings() == {**network_defaults(), "hidden": (3,)}


def test_the_cases_cover_seeds_sizes_steps_and_the_data_sets() -> None:
    seeds = {case.seed for case in DEFAULT_CASES}
    assert {0, -1, 2147483647, -2147483647} <= seeds
    assert set(range(1, 9)) <= {case.hidden[0] for case in DEFAULT_CASES if case.depth == 1}
    assert {0, 1} <= {case.iterations for case in DEFAULT_CASES}
    assert len({case.step for case in DEFAULT_CASES}) >= 4
    data = {(case.data, case.target) for case in DEFAULT_CASES}
    assert data == {
        ("data/lecture.csv", "numeric"),
        ("data/study.csv", "numeric"),
        ("data/iris.csv", "onehot"),
        ("data/iris2.csv", "binary"),
    }
    assert all(case.data_path.is_file() for case in DEFAULT_CASES)


def uncovered(cases: tuple[Case, ...]) -> dict[str, set[str]]:
    """The entries of each table that no case of the general network uses (step, which
    cannot be trained, aside)."""
    model = [case for case in cases if case.trainer() == "train_network"]
    used = {
        "activations": {c.activation for c in model} | {c.output_activation for c in model},
        "losses": {c.loss for c in model},
        "initialisers": {c.init for c in model},
        "optimisers": {c.optimizer for c in model},
    }
    untrainable = {"activations": {"step"}}
    return {
        table: missing
        for table, entries in TABLES.items()
        if (missing := set(entries) - used[table] - untrainable.get(table, set()))
    }


def test_every_entry_of_every_table_has_a_parity_case() -> None:
    """A new activation, loss, initialiser or optimiser without a parity case fails here."""
    assert uncovered(DEFAULT_CASES) == {}


def test_an_entry_without_a_case_is_caught() -> None:
    """Without its cases, an entry is named: the check above can fail."""
    without = tuple(
        c
        for c in DEFAULT_CASES
        if c.optimizer != "adam" and "tanh" not in (c.activation, c.output_activation)
    )
    assert uncovered(without) == {"activations": {"tanh"}, "optimisers": {"adam"}}


def test_r_has_the_same_tables_with_the_same_keys(r_session: RSession) -> None:
    """R's twin of each table (a named list in r/R/X.R) has Python's keys, in Python's order."""
    for name, entries in TABLES.items():
        in_r = r_session.call("names", r_session.env.find(name))
        assert list(in_r) == list(entries), name


def test_every_name_depth_and_bias_setting_has_a_case() -> None:
    model = [case for case in DEFAULT_CASES if case.trainer() == "train_network"]
    DEFAULT = network_defaults()
    trainable = set(ACTIVATIONS) - {"step"}  # step has no derivative: never trained
    assert {c.activation for c in model} == trainable - {"softmax"}  # softmax: output only
    assert {(c.bias, c.depth) for c in model} >= {(b, d) for b in (False, True) for d in (1, 2, 3)}
    assert {c.target for c in model if c.loss == "binary_cross_entropy"} == {"binary"}
    assert ("onehot", "softmax") in {(c.target, c.output_activation) for c in model}
    # a non-default value of every hyper-parameter, where it takes effect
    assert any(c.alpha != DEFAULT["alpha"] and c.activation == "leaky_relu" for c in model)
    assert any(c.alpha != DEFAULT["alpha"] and c.output_activation == "leaky_relu" for c in model)
    assert any(c.beta != DEFAULT["beta"] and c.optimizer == "momentum" for c in model)
    assert any(c.rho != DEFAULT["rho"] and c.optimizer == "rmsprop" for c in model)
    assert any(c.eps != DEFAULT["eps"] and c.optimizer == "rmsprop" for c in model)
    adam = [c for c in model if c.optimizer == "adam"]
    assert any(all(getattr(c, h) != DEFAULT[h] for h in ("beta1", "beta2", "eps")) for c in adam)


def test_splits_and_mini_batches_have_cases() -> None:
    """Issue 9: the split (iris, and the lecture's rows leaving one test row),
    mini-batches (study.csv and iris, B = 1, 3, N) and both together."""
    splits = [c for c in DEFAULT_CASES if c.test_fraction is not None]
    assert {c.data for c in splits} >= {"data/iris.csv", "data/lecture.csv"}
    lecture = next(c for c in splits if c.data == "data/lecture.csv")
    assert round(lecture.test_fraction * 3) == 1  # one test row of three
    batches = {(c.data, c.batch_size) for c in DEFAULT_CASES if c.test_fraction is None}
    assert {("data/study.csv", b) for b in (1, 3, 8)} <= batches
    assert {("data/iris.csv", b) for b in (1, 3, 150)} <= batches
    assert any(c.batch_size and c.test_fraction for c in DEFAULT_CASES)


def test_case_defaults_are_train_networks() -> None:
    """A case's settings default to the one table, network_defaults()."""
    bare = Case("x", "data/lecture.csv", (3,), 1, 10, 5.0)
    assert bare.settings() == {**network_defaults(), "hidden": (3,), "iterations": 10}
    assert bare.target == "numeric"  # load_scaled's default


def test_fields_have_their_types() -> None:
    for case in DEFAULT_CASES:
        for f in fields(Case):
            value = getattr(case, f.name)
            if f.type == "tuple[int, ...]":
                assert all(type(n) is int for n in value), (case.name, f.name)
            elif f.type in ("int | None", "float | None"):
                wanted = f.type.removesuffix(" | None")
                assert value is None or type(value).__name__ == wanted, (case.name, f.name)
            else:
                assert type(value).__name__ == f.type, (case.name, f.name)


def test_select_keeps_the_order_asked_and_rejects_unknown_names() -> None:
    assert [c.name for c in select(["seed_0", "lecture"])] == ["seed_0", "lecture"]
    assert select([]) == DEFAULT_CASES
    with pytest.raises(ValueError, match="unknown case.*nope.*known: lecture"):
        select(["nope"])


def test_a_missing_column_takes_the_default(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step\nx,data/lecture.csv,2,3,4,0.5\n")
    assert read_cases(path) == (Case("x", "data/lecture.csv", (2,), 3, 4, 0.5),)


def test_hidden_and_bias_are_read_as_r_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        'name,data,hidden,seed,iterations,step,bias\nx,data/lecture.csv,"5,4,3",1,2,0.5,TRUE\n'
    )
    (case,) = read_cases(path)
    assert (case.hidden, case.bias, case.depth) == ((5, 4, 3), True, 3)
    assert parse_hidden("12") == (12,)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x,data/lecture.csv,2,3,4,0.5,\nx,data/lecture.csv,2,3,4,0.5,\n", "unique; repeated: x"),
        ("x,d,2.5,3,4,0.5,\n", "bad case 'x': hidden must be whole numbers"),
        ("x,d,0,3,4,0.5,\n", "bad case 'x': hidden must be whole numbers"),
        ('x,d,"4,,3",3,4,0.5,\n', "bad case 'x': hidden must be whole numbers"),
        ("x,d,2,3.5,4,0.5,\n", "bad case 'x'"),
        ("x/y,d,2,3,4,0.5,\n", "case name must match"),
    ],
)
def test_bad_case_files_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + body)
    with pytest.raises(ValueError, match=message):
        read_cases(path)


def test_a_bias_must_be_true_or_false_as_r_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step,bias\nx,d,2,3,4,0.5,yes\n")
    with pytest.raises(ValueError, match="bias must be TRUE or FALSE; got 'yes'"):
        read_cases(path)


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step,lr\nx,d,2,3,4,0.5,1\n")
    with pytest.raises(ValueError, match=r"unknown column\(s\) \['lr'\]"):
        read_cases(path)


@pytest.fixture
def r_reference(r_session: RSession) -> Iterator[RSession]:
    """The R session with make_reference.R's functions defined (main is not run), in an
    environment of their own inside the package's (whose namespace is locked)."""
    package = r_session.env
    r_session.source(MAKE_REFERENCE)
    try:
        yield r_session
    finally:
        r_session.env = package


def test_r_reads_the_same_cases_as_python(r_reference: RSession) -> None:
    r_cases = r_reference.call("read_cases", str(CASES_FILE))
    assert {r_cases.dtype[k].kind for k in ("seed", "iterations")} == {"i"}
    assert set(r_cases["bias"]) == {0, 1}  # R's logical, as 0 / 1
    as_r_reads = []
    for row in r_cases:
        values = {k: row[k].item() for k in r_cases.dtype.names}
        values["hidden"] = tuple(int(n) for n in r_reference.call("parse_hidden", values["hidden"]))
        values["bias"] = bool(values["bias"])
        for name in ("batch_size", "restarts"):
            values[name] = None if values[name] == NA_INTEGER else values[name]
        values["test_fraction"] = (
            None if np.isnan(values["test_fraction"]) else values["test_fraction"]
        )
        as_r_reads.append(Case(**values))
    assert [asdict(case) for case in as_r_reads] == [asdict(case) for case in DEFAULT_CASES]


def test_r_picks_the_same_trainer_as_python(r_session: RSession) -> None:
    """R's choose_trainer, on R's own reading of each case's data, is Python's choice."""
    for case in (c for c in DEFAULT_CASES if c.model == "network"):
        loaded = r_session.call("load_scaled", str(case.data_path), case.target)
        in_r = r_session.call("choose_trainer", loaded["Y"], **case.settings())[0]
        assert in_r == case.trainer(), case.name


def test_r_has_the_same_table_of_defaults(r_session: RSession) -> None:
    in_r = r_session.call("network_defaults")
    assert list(in_r) == list(network_defaults())
    for name, value in network_defaults().items():
        if value is None:  # batch_size: NULL in R
            assert in_r[name] is r_session.eval("NULL"), name
        else:
            assert len(in_r[name]) == 1 and in_r[name][0] == value, name


def test_r_refuses_a_bad_hidden(r_reference: RSession) -> None:
    with pytest.raises(Exception, match="hidden must be whole numbers >= 1 joined by commas"):
        r_reference.call("parse_hidden", "4,,3")
