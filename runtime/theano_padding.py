"""Keras 1's ``border_mode='same'`` as the Theano backend computed it.

Keras 1.2.2 on Theano and Keras 3 (any backend, TensorFlow's rule) both make 'same' layers
return ``ceil(size / stride)`` positions per spatial axis, but place the padding differently.
Keras 3 pads ``max((out - 1) * stride + k - size, 0)`` in total with the odd one at the END.
Keras 1's Theano backend did the following (read from keras/backend/theano_backend.py and
Theano 1.0.5, and checked numerically against the real Keras 1.2.2; ``tests/runtime/
make_padding_reference.py``):

Convolution (Convolution1D/2D/3D, AtrousConvolution1D/2D)
    Theano's ``border_mode='half'``: ``dk // 2`` zeros on BOTH sides, where
    ``dk = (k - 1) * dilation + 1`` is the dilated kernel size; a 'valid' strided
    convolution; then, for even ``k``, the output is cut to its first ``ceil(size / stride)``
    positions. Convolution1D ran as a 2-D convolution on ``(batch, steps, 1, channels)``
    with kernel ``(k, 1)``: the same rule along the steps. The last padded position is never
    used, so the equivalent is a fixed padding of ``dk - 1`` in total, ``dk // 2`` before and
    ``dk - 1 - dk // 2`` after (the odd one at the START), independent of size and stride.
    Keras 3 agrees where its padding before the axis, ``total // 2``, is also ``dk // 2``:
    always for odd ``dk`` with stride 1, for some sizes with strides > 1 (k=3, s=2 on odd
    sizes), never for even ``dk`` with stride 1.
Pooling (MaxPooling1D/2D/3D, AveragePooling1D/2D/3D)
    Theano's ``pool_2d``/``pool_3d`` with ``ignore_border=True`` and ``pad = p - 2`` for
    odd pool sizes ``p > 2``, else ``p - 1``, on both sides, keeping the first
    ``ceil(size / stride)`` windows. The padding takes no part in either mode: max is over
    the window's real elements (NOT zeros: Theano's C code skips the padding), average is
    ``'average_exc_pad'`` (the mean of the real elements). Equivalent fixed padding:
    ``pad`` before, ``p - 1 - pad`` after (0 for even p, 1 for odd p > 2). Keras 3 excludes
    its padding too, so the two agree exactly where their paddings before the axis agree:
    with stride 1 only for p = 1 and p = 3 (p = 2, 4, 5, ... differ); with strides > 1
    depending on the size. MaxPooling1D ran as pool2d on
    ``(batch, steps, 1, channels)`` with pool ``(p, 1)``: the same rule along the steps.
    pool3d's rule lacks the ``p > 2`` guard: a pool size of 1 gets ``pad = -1``, and Keras 1
    then returned wrongly shaped (and, for averages, NaN) results; refused here.
Transposed convolution (Deconvolution2D)
    The gradient of the 'half' convolution whose input has the output's size ``O``: the
    full 'valid' transposed convolution, of which positions ``dk // 2 .. dk // 2 + O - 1``
    are kept (zeros past its end). Theano refused sizes where that convolution of an
    ``O``-sized input would not give the layer's input size ``n`` (``CorrMM shape
    inconsistency``): in Keras 3's terms an even kernel needs an explicit ``output_padding``.
    Keras 1 then cut the axes of even kernels to ``ceil(n / stride)`` positions (it reused
    the convolution's cropping with the deconvolution's *input* size): with strides > 1 the
    output is shorter than the ``output_shape`` Keras 1 declared. Reproduced as computed.

Theano's convolutions are true convolutions (kernels flipped): that is the weight loader's
business (``k1.load_weights(..., backend='theano')``), not the layers'; the layers here keep
Keras 3's kernel layout.
"""
from __future__ import annotations

KERAS1_BACKENDS = (None, "theano", "tensorflow")


def check_keras1_backend(value):
    """``value`` if it is a valid ``keras1_backend`` (None, 'theano', 'tensorflow')."""
    if value not in KERAS1_BACKENDS:
        raise ValueError(f"keras1_backend must be None, 'theano' or 'tensorflow', not {value!r}")
    return value


def dilated(kernel_size, dilation_rate=1) -> int:
    return (kernel_size - 1) * dilation_rate + 1


def conv_padding(kernel_size, dilation_rate=1) -> tuple[int, int]:
    """(before, after) padding of one axis equivalent to Theano's 'same' convolution."""
    dk = dilated(kernel_size, dilation_rate)
    return dk // 2, dk - 1 - dk // 2


def pool_pad(pool_size: int, rank: int) -> int:
    """Theano's symmetric pad for 'same' pooling (pool2d's rule; pool3d's without p > 2)."""
    if rank == 3:
        return pool_size - 2 if pool_size % 2 == 1 else pool_size - 1
    return pool_size - 2 if pool_size > 2 and pool_size % 2 == 1 else pool_size - 1


def pool_padding(pool_size: int, rank: int) -> tuple[int, int]:
    """(before, after) padding of one axis equivalent to Theano's 'same' pooling."""
    pad = pool_pad(pool_size, rank)
    if pad < 0:
        raise ValueError(
            f"pool size {pool_size} with padding='same' and keras1_backend='theano': Keras 1's "
            "Theano pool3d padded -1 here and returned wrongly shaped results; use pool sizes > 1")
    return pad, pool_size - 1 - pad


def pad_width(spatial, data_format: str) -> list[tuple[int, int]]:
    """Full ``ops.pad`` widths for a batch in ``data_format`` from per-axis spatial pads."""
    if data_format == "channels_first":
        return [(0, 0), (0, 0), *spatial]
    return [(0, 0), *spatial, (0, 0)]


def deconv_output_length(input_length, kernel_size, stride, keras3_length):
    """Length of one axis of Theano's 'same' Deconvolution2D output, where Keras 3 (the
    layer's ``output_padding``) asks for ``keras3_length``. None where unknown."""
    if kernel_size % 2 == 1 or keras3_length is None or input_length is None:
        return keras3_length
    return min(keras3_length, -(-input_length // stride))


def deconv_is_consistent(kernel_size, stride, output_padding) -> bool:
    """Would Theano have accepted the output size Keras 3 computes for this axis?

    Keras 3's 'same' length is ``n * s`` without output_padding, else
    ``(n - 1) * s + k % 2 + output_padding``; Theano needs ``(O + 2 (k // 2) - k) // s + 1 == n``,
    true for every output_padding in [0, s) and, without one, for odd kernels only.
    """
    return output_padding is not None or kernel_size % 2 == 1


__all__ = ["KERAS1_BACKENDS", "check_keras1_backend", "conv_padding", "pool_padding", "pool_pad",
           "pad_width", "deconv_output_length", "deconv_is_consistent", "dilated"]
