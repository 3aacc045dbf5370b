"""keras.applications: the pretrained models and their preprocess_input / decode_predictions."""
from __future__ import annotations

from k1port.rules.spec import Rule

RULES: list[Rule] = []
