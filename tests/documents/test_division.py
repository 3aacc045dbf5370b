"""Python 2 integer division: `/` on provable ints becomes `//`, a maybe-int `/` is reported."""
import pytest

from convert_helpers import dedent
from k1port.division import COMMENT, fix_division


def divide(text):
    code, findings, _, _ = fix_division(dedent(text))
    return code, findings


@pytest.mark.parametrize("before, after", [
    ("n = len(x) / 32\n", "n = len(x) // 32\n"),
    ("b = 32\nn = len(x) / b\n", "b = 32\nn = len(x) // b\n"),
    ("n = (len(x) + 1) / (2 * 3)\n", "n = (len(x) + 1) // (2 * 3)\n"),
    ("i = 0\ni = i + 1\nh = i / 2\n", "i = 0\ni = i + 1\nh = i // 2\n"),
    ("for e in range(3):\n    r = e / 2\n", "for e in range(3):\n    r = e // 2\n"),
    ("for i, x in enumerate(xs):\n    r = i / 2\n", "for i, x in enumerate(xs):\n    r = i // 2\n"),
    ("s = [q / 2 for q in range(4)]\n", "s = [q // 2 for q in range(4)]\n"),
    ("n = 10\nn /= 3\n", "n = 10\nn //= 3\n"),
    ("n = int(a) / int(b)\n", "n = int(a) // int(b)\n"),
    ("n = max(len(a), 3) / 2\n", "n = max(len(a), 3) // 2\n"),
    ("n = (7 if a else 8) / 2\n", "n = (7 if a else 8) // 2\n"),
])
def test_ints_become_floor_division(before, after):
    assert divide(before) == (after, [])


@pytest.mark.parametrize("text", [
    "x = 1.0 / 3\n",
    "x = a / 2.\n",
    "x = float(n) / 3\n",
    "X = X.astype('float32')\nX /= 255\n",
    "y = np.float32(3) / 2\n",
    "from __future__ import division\nn = len(x) / 2\nm = a / b\n",
    "r = a // b\n",
])
def test_true_division_or_future_division_is_left_alone(text):
    assert divide(text) == (dedent(text), [])


def test_maybe_int_division_is_reported_and_marked_once():
    text = dedent("""
        def f(n, m=3):
            return n / m
        half = X.shape[0] / 2
        """)
    code, findings = divide(text)
    assert code == dedent(f"""
        def f(n, m=3):
            {COMMENT}
            return n / m
        {COMMENT}
        half = X.shape[0] / 2
        """)
    assert [(f.line, f.col, f.level.value, f.kind) for f in findings] == [
        (3, 12, "warning", "py2-division"), (5, 8, "warning", "py2-division")]
    assert fix_division(code)[0] == code  # the comment is not added twice


def test_names_are_scoped_and_parameters_unknown():
    code, findings = divide("""
        n = 10
        def f(n):
            return n / 2
        def g():
            return n / 2
        """)
    assert "return n // 2" in code.splitlines()[-1] and len(findings) == 1


def test_a_name_assigned_elsewhere_from_unknown_is_unknown():
    code, findings = divide("""
        n = 10
        if cond:
            n = something()
        r = n / 2
        """)
    assert "r = n / 2" in code and len(findings) == 1


def test_shadowed_len_is_not_len():
    code, findings = divide("def len(x):\n    return 0.5\nr = len(a) / 2\n")
    assert "r = len(a) / 2" in code and len(findings) == 1
