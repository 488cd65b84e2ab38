from pathlib import Path

import numpy as np
import pytest

from backprop.data import load_scaled

REPO = Path(__file__).resolve().parents[2]
LECTURE_CSV = REPO / "data" / "lecture.csv"


@pytest.fixture
def lecture_data() -> tuple[np.ndarray, np.ndarray]:
    return load_scaled(LECTURE_CSV)
