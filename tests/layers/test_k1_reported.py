"""Keras 1 constructs that have no exact Keras 3 equivalent: k1port must report them as an
ERROR finding and mark the output with a `# k1port:` comment, never convert them silently.

Why each one has no Keras 3 equivalent (Keras 1.2.2 semantics):
* border_mode='full': output n + k - 1 (zero padding k - 1 on each side); Keras 3 has only
  'valid', 'same' (and 'causal' for 1-D).
* LSTM(forget_bias_init=<not 'one'/'zero'>): Keras 3 only has unit_forget_bias.
"""
from __future__ import annotations

import pytest

from k1layers_harness import convert, k1src
from k1port.findings import Level

# (Keras 1 call, a word the ERROR message must contain: what is not converted)
REPORTED = [
    ("Convolution2D(8, 3, 3, border_mode='full')", "full"),
    ("Convolution2D(8, 3, 3, 'glorot_uniform', 'linear', None, 'full')", "full"),
    ("Convolution1D(4, 3, border_mode='full')", "full"),
    ("AtrousConvolution2D(4, 3, 3, border_mode='full')", "full"),
    ("Convolution3D(4, 3, 3, 3, border_mode='full')", "full"),
    ("LSTM(3, forget_bias_init='uniform')", "forget"),
]


@pytest.mark.parametrize("call, what", REPORTED, ids=[c for c, _ in REPORTED])
def test_reported_as_error(call, what):
    source, result = convert(k1src(f"a = b = w = None\nx = {call}"))
    errors = [f for f in result.findings if f.level is Level.ERROR]
    found = "\n".join(f"{f.level.value}: {f.kind}: {f.message}" for f in result.findings)
    assert any(what.lower() in f.message.lower() for f in errors), \
        f"no ERROR finding about {what!r} for {call}\n{result.code}\n{found}"
    assert "# k1port:" in result.code, f"no `# k1port:` marker\n{result.code}"
    marker_lines = [line for line in result.code.splitlines() if line.lstrip().startswith("# k1port: error")]
    assert marker_lines, result.code
