"""One table of settings per language, and the two are the same table: every
setting's default, kind, meaning and names in R's ``settings_table`` (r/R/spec.R)
as in Python's ``SETTINGS`` (backprop.spec); and both languages' ``network_spec``
take and refuse the same values, in the same words.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from backprop.cli import describe_error
from backprop.r_engine import RError, RSession
from backprop.spec import SETTINGS, network_spec

# Values of every kind that some setting refuses: each is tried on every setting.
TRIED = (-1, 0, 0.5, 1, 2.5, 3, 1e-8, -math.inf, math.inf, math.nan, "sigmoid", "x", True)


def as_python(value: object) -> object:
    """An R value as the Python table writes it: NULL is None, a length-1 vector
    its one element, a longer one a tuple."""
    if value is None or type(value).__name__ == "NULLType":
        return None
    values = np.asarray(value).ravel().tolist()
    return values[0] if len(values) == 1 else tuple(values)


@pytest.mark.parametrize("name", SETTINGS)
def test_r_has_the_same_setting(r_session: RSession, name: str) -> None:
    setting = SETTINGS[name]
    in_r = r_session.eval(f"settings_table${name}")
    assert as_python(in_r.get("default")) == setting.default
    assert as_python(in_r["kind"]) == setting.kind
    assert as_python(in_r["help"]) == setting.help
    assert bool(as_python(in_r.get("network"))) == setting.network
    choices = in_r.get("choices")
    assert tuple(np.asarray(choices).ravel().tolist() if choices is not None else ()) == (
        setting.choices
    )


def test_the_tables_hold_the_same_settings_in_the_same_order(r_session: RSession) -> None:
    assert list(as_python(r_session.eval("names(settings_table)"))) == list(SETTINGS)


def refusal(check: object, *args: object, **kwargs: object) -> str | None:
    """The error ``check`` raises, up to the value it names (each language writes a
    value its own way: 'x' and "x", True and TRUE), or None if it takes them. Each
    names its own logicals ("True or False", "TRUE or FALSE"): compared as one."""
    try:
        check(*args, **kwargs)  # type: ignore[operator]
    except (ValueError, RError) as e:
        return describe_error(e).split("; got")[0].replace("True or False", "TRUE or FALSE")
    return None


@pytest.mark.parametrize("name", SETTINGS)
def test_both_languages_take_and_refuse_the_same_values(r_session: RSession, name: str) -> None:
    extra = {"optimizer": "bfgs"} if name in ("maxit", "reltol", "abstol") else {}
    for value in TRIED:
        in_python = refusal(network_spec, **extra, **{name: value})
        in_r = refusal(r_session.call, "network_spec", **extra, **{name: value})
        assert in_python == in_r, f"{name} = {value!r}"


def test_the_comparison_sees_a_rule_that_differs(
    r_session: RSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: were Python's step 'nonnegative', it would take the
    step 0 that R refuses."""
    monkeypatch.setitem(SETTINGS, "step", dataclasses.replace(SETTINGS["step"], kind="nonnegative"))
    assert refusal(network_spec, step=0) is None
    assert refusal(r_session.call, "network_spec", step=0) == "step must be a finite number > 0"
