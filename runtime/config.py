"""Keras 1's global image dimension ordering ('th' / 'tf') and ``dim_ordering`` values."""
from __future__ import annotations

import keras

_ORDERINGS = {"th": "channels_first", "tf": "channels_last"}
_dim_ordering: str | None = None  # set by set_image_dim_ordering(); None: follow keras.config


def image_dim_ordering() -> str:
    """Keras 1's ``K.image_dim_ordering()``: ``'th'`` or ``'tf'``.

    Keras 3 only has ``keras.config.image_data_format()``. Until
    :func:`set_image_dim_ordering` is called, the answer follows it
    (``'channels_last'`` -> ``'tf'``, ``'channels_first'`` -> ``'th'``).
    """
    if _dim_ordering is not None:
        return _dim_ordering
    return "tf" if keras.config.image_data_format() == "channels_last" else "th"


def set_image_dim_ordering(value: str) -> None:
    """Keras 1's ``K.set_image_dim_ordering(value)``; ``value`` is ``'th'`` or ``'tf'``.

    Keras 3 has no such setting. The value is only remembered here, for code that
    asks :func:`image_dim_ordering` or passes ``dim_ordering='default'``: it does not
    change ``keras.config.image_data_format()``, because converted layers state their
    data_format explicitly and a global ``channels_first`` would change the meaning of
    layers Keras 1 never made ordering-dependent (Keras 3's ``Flatten`` transposes
    channels-first inputs to channels-last before flattening).
    """
    global _dim_ordering
    if value not in _ORDERINGS:
        raise ValueError(f"Unknown image dim ordering {value!r}: expected 'th' or 'tf'.")
    _dim_ordering = value


def data_format(value):
    """Convert a Keras 1 ``dim_ordering`` given at run time into Keras 3's ``data_format``.

    ``'th'`` -> ``'channels_first'``, ``'tf'`` -> ``'channels_last'``, ``'default'`` ->
    whichever :func:`image_dim_ordering` says; ``None`` and Keras 3 spellings are kept.
    Keras 3 accepts only its own spellings.
    """
    if value is None or value in ("channels_first", "channels_last"):
        return value
    if value == "default":
        value = image_dim_ordering()
    if isinstance(value, str) and value in _ORDERINGS:
        return _ORDERINGS[value]
    raise ValueError(f"Unknown dim_ordering {value!r}: expected 'th', 'tf', 'default', "
                     "'channels_first', 'channels_last' or None.")


__all__ = ["image_dim_ordering", "set_image_dim_ordering", "data_format"]
