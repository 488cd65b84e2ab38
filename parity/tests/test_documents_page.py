"""The documents page shows every entry of every registry: a new activation, loss or
optimiser without its formula on the page is caught here (the page's formulas are
teaching text, written by hand; the registries are backprop's tables)."""

from __future__ import annotations

from backprop import activations, losses, optimisers
from parity.site import documents


def test_every_activation_but_step_has_its_formula() -> None:
    shown = {name for name, _, _ in documents.ACTIVATIONS}
    assert shown == set(activations.ACTIVATIONS) - {"step"}  # step: forward only, never trained


def test_every_loss_and_optimiser_has_its_formula() -> None:
    assert {entry[0] for entry in documents.LOSSES} == set(losses.LOSSES)
    assert {entry[0] for entry in documents.OPTIMISERS} <= set(optimisers.OPTIMISERS)
    assert set(optimisers.OPTIMISERS) - {entry[0] for entry in documents.OPTIMISERS} <= {"bfgs"}
