"""keras.layers.convolutional and .pooling: Convolution*, Deconvolution2D, pooling, padding."""
from __future__ import annotations

import libcst as cst

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.common import BORDER_MODE, DIM_ORDERING, RT, WEIGHT_ARGS, input_fold, layer
from k1port.rules.spec import Arg, Fold, rename

F = "convolutional"
P = "pooling"
KERNEL_2D = Fold(("nb_row", "nb_col"), "kernel_size", v.tuple_of("nb_row", "nb_col"))
KERNEL_3D = Fold(("kernel_dim1", "kernel_dim2", "kernel_dim3"), "kernel_size",
                 v.tuple_of("kernel_dim1", "kernel_dim2", "kernel_dim3"))

def _zero_padding_2d(node, ctx):
    """Keras 1.2 ZeroPadding2D also took (top, bottom, left, right) and a dict of pads."""
    if isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) == 4:
        e = [el.value for el in node.elements]
        return v.make_tuple([v.make_tuple(e[:2]), v.make_tuple(e[2:])])
    if isinstance(node, cst.Dict):
        pads = {v.string(el.key): el.value for el in node.elements if isinstance(el, cst.DictElement)}
        zero = cst.Integer("0")
        get = lambda k: pads.get(k, zero)  # noqa: E731
        return v.make_tuple([v.make_tuple([get("top_pad"), get("bottom_pad")]),
                             v.make_tuple([get("left_pad"), get("right_pad")])])
    return node


# Where each axis of a Keras 1 kernel went in Keras 3's layout (None: gone), for constraints
# such as maxnorm(axis=...), which index the kernel. 'th' kernels were (out, in, *spatial);
# Keras 3's are (*spatial, in, out); Keras 1's Conv1D kernel was (length, 1, in, out).
KERNEL_AXES = {
    ("conv1d", None): {0: 0, 1: None, 2: 1, 3: 2},
    ("conv2d", "th"): {0: 3, 1: 2, 2: 0, 3: 1},
    ("conv3d", "th"): {0: 4, 1: 3, 2: 0, 3: 1, 4: 2},
}
_AXIS_POSITION = {"MaxNorm": 1, "UnitNorm": 0, "MinMaxNorm": 3}


def _ordering(ctx) -> str | None:
    """The call's Keras 1 dim_ordering, 'th' or 'tf' (None: not a literal)."""
    given = ctx.bound.value("dim_ordering") if ctx.bound is not None else None
    ordering = v.string(given) if given is not None else "default"
    return ctx.dim_ordering if ordering == "default" else ordering


def _kernel_constraint(kind: str):
    def convert(node, ctx):
        node = v.constraint(node, ctx)
        ordering = None if kind == "conv1d" else _ordering(ctx)
        axes = KERNEL_AXES.get((kind, ordering))
        if axes is None or v.is_none(node):
            return node
        name = node.func.attr.value if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
            else node.func.value if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) else None
        if name not in _AXIS_POSITION:
            ctx.report(Level.WARNING, "kernel-layout",
                       "a kernel constraint's axes refer to Keras 1's kernel layout, which Keras 3 changed "
                       "for this layer: check them")
            return node
        return _map_axis(node, _AXIS_POSITION[name], axes, ctx)

    return convert


def _map_axis(call: cst.Call, position: int, axes: dict, ctx) -> cst.Call:
    args = list(call.args)
    index = next((i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == "axis"), None)
    if index is None and len(args) > position and args[position].keyword is None:
        index = position
    value = args[index].value if index is not None else cst.Integer("0")  # Keras 1's default axis
    if isinstance(value, cst.Integer):
        items = [value]
    elif isinstance(value, (cst.List, cst.Tuple)) and all(isinstance(e.value, cst.Integer) for e in value.elements):
        items = [e.value for e in value.elements]
    else:
        ctx.report(Level.WARNING, "kernel-layout", "the constraint's axis is not a literal; Keras 3's kernel "
                                                   "layout differs from Keras 1's for this layer")
        return call
    mapped = [axes[int(i.value)] for i in items if axes.get(int(i.value)) is not None]
    new = cst.Integer(str(mapped[0])) if len(mapped) == 1 and isinstance(value, cst.Integer) \
        else cst.List([cst.Element(cst.Integer(str(m)), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                       if i < len(mapped) - 1 else cst.Element(cst.Integer(str(m))) for i, m in enumerate(mapped)])
    if index is None:
        args.append(cst.Arg(new, keyword=cst.Name("axis"), equal=v.EQ))
    else:
        args[index] = args[index].with_changes(value=new)
    from k1port.engine.apply import fix_commas

    return call.with_changes(args=fix_commas(args))


# Keras 1 kernels Keras 3 lays out otherwise, by layer and dim_ordering: the layout's name in
# k1port.runtime.LAYOUTS and which initializers it changes (v.READS); Keras 1 functions
# (init=f) see another shape in all of them.
_FANS = frozenset({"fan_in", "fan_avg"})
KERNEL_LAYOUTS = {
    ("conv1d", None): ("conv1d", _FANS | {"matrix"}),  # (length, 1, in, out) read as 'th'
    ("conv2d", "th"): ("conv_th", frozenset()),  # the fans and orthogonal's rows agree
    ("conv2d", "tf"): ("conv_tf", frozenset({"matrix"})),  # orthogonal rows: the kernel's rows
    ("conv3d", "th"): ("conv_th", frozenset()),
    ("conv3d", "tf"): ("conv_tf", _FANS | {"matrix"}),  # the 'tf' receptive field left out an axis
    ("deconv2d", "th"): ("deconv2d_th", frozenset({"fan_in", "matrix"})),  # fan_in <-> fan_out
    ("deconv2d", "tf"): ("deconv2d_tf", frozenset({"fan_in", "matrix"})),
    ("convlstm2d", "th"): ("conv_th", frozenset()),
    ("convlstm2d", "tf"): ("convlstm2d_tf", _FANS | {"matrix"}),  # 'th' fans of a 'tf' kernel
}


def kernel_layout(kind: str):
    """The Keras 1 layout of the call's kernel, for v.keras1_weight."""
    return lambda ctx: KERNEL_LAYOUTS.get((kind, None if kind == "conv1d" else _ordering(ctx)))


def kernel_init(kind: str, to: str = "kernel_initializer", also: tuple[str, ...] = ()) -> Arg:
    return Arg(to, v.keras1_weight(layout=kernel_layout(kind)), also=also)


def _deconv_constraint(node, ctx):
    node = v.constraint(node, ctx)
    if not v.is_none(node):
        ctx.report(Level.WARNING, "kernel-layout", "Deconvolution2D's kernel layout changed in Keras 3: "
                                                   "check the axes of its kernel constraint")
    return node


def _zero_padding_1d(node, ctx):
    """Keras 1.2 ZeroPadding1D also took {'left_pad': a, 'right_pad': b}."""
    if isinstance(node, cst.Dict):
        pads = {v.string(el.key): el.value for el in node.elements if isinstance(el, cst.DictElement)}
        return v.make_tuple([pads.get("left_pad", cst.Integer("0")), pads.get("right_pad", cst.Integer("0"))])
    return node


def _output_shape(node, ctx):
    """Deconvolution2D(output_shape=None) (only a test of Keras 1's would pass it) states nothing."""
    return None if v.is_none(node) else node


CONV = {"nb_filter": rename("filters"), **WEIGHT_ARGS, "init": kernel_init("conv2d"), "border_mode": BORDER_MODE,
        "subsample": rename("strides"), "dim_ordering": DIM_ORDERING,
        "W_constraint": rename("kernel_constraint", _kernel_constraint("conv2d"))}
CONV_3D = {**CONV, "init": kernel_init("conv3d"),
           "W_constraint": rename("kernel_constraint", _kernel_constraint("conv3d"))}
CONV_1D = {"nb_filter": rename("filters"), "filter_length": rename("kernel_size"), **WEIGHT_ARGS,
           "init": kernel_init("conv1d"), "border_mode": BORDER_MODE, "subsample_length": rename("strides"),
           "W_constraint": rename("kernel_constraint", _kernel_constraint("conv1d"))}

RULES = [
    layer("Convolution1D", "Conv1D", CONV_1D, folds=(input_fold("input_length", "input_dim"),),
          theano_same=RT + "Conv1D", family=F),
    layer("AtrousConvolution1D", "Conv1D", {**CONV_1D, "atrous_rate": rename("dilation_rate")},
          folds=(input_fold("input_length", "input_dim"),), theano_same=RT + "Conv1D", family=F),
    layer("Convolution2D", "Conv2D", CONV, folds=(KERNEL_2D,), channels_first=RT + "Conv2D",
          theano_same=RT + "Conv2D", family=F),
    layer("AtrousConvolution2D", "Conv2D", {**CONV, "atrous_rate": rename("dilation_rate")},
          folds=(KERNEL_2D,), channels_first=RT + "Conv2D", theano_same=RT + "Conv2D", family=F),
    layer("SeparableConvolution2D", "SeparableConv2D",
          {**CONV, "init": kernel_init("conv2d", "depthwise_initializer", also=("pointwise_initializer",)),
           "depthwise_regularizer": rename("depthwise_regularizer"),
           "pointwise_regularizer": rename("pointwise_regularizer"),
           "depthwise_constraint": rename("depthwise_constraint"),
           "pointwise_constraint": rename("pointwise_constraint")},
          folds=(KERNEL_2D,), family=F),
    # output_shape chose among the sizes a stride allows: the runtime's layer turns it into
    # Keras 3's output_padding once it knows the input size.
    layer("Deconvolution2D", "Conv2DTranspose", {**CONV, "init": kernel_init("deconv2d"),
                                                 "output_shape": rename("output_shape", _output_shape),
                                                 "W_constraint": rename("kernel_constraint", _deconv_constraint)},
          folds=(KERNEL_2D,), channels_first=RT + "Conv2DTranspose", theano_same=RT + "Conv2DTranspose",
          family=F, variant=lambda keywords, ctx: RT + "Conv2DTranspose" if "output_shape" in keywords else None),
    # channels_first: the runtime's Conv3D adds its bias past a Keras 3 TensorFlow bias bug.
    layer("Convolution3D", "Conv3D", CONV_3D, folds=(KERNEL_3D,), channels_first=RT + "Conv3D",
          theano_same=RT + "Conv3D", family=F),
    layer("UpSampling1D", args={"length": rename("size")}, family=F),
    layer("UpSampling2D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("UpSampling3D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("ZeroPadding1D", args={"padding": rename("padding", _zero_padding_1d)}, family=F),
    layer("ZeroPadding2D", args={"padding": rename("padding", _zero_padding_2d), "dim_ordering": DIM_ORDERING},
          family=F),
    layer("ZeroPadding3D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("Cropping1D", family=F),
    layer("Cropping2D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("Cropping3D", args={"dim_ordering": DIM_ORDERING}, family=F),
]
POOL_1D = {"pool_length": rename("pool_size"), "stride": rename("strides"), "border_mode": BORDER_MODE}
POOL = {"border_mode": BORDER_MODE, "dim_ordering": DIM_ORDERING}
RULES += [
    *[layer(f"{kind}Pooling1D", args=POOL_1D, theano_same=f"{RT}{kind}Pooling1D", family=P)
      for kind in ("Max", "Average")],
    *[layer(f"{kind}Pooling{d}D", args=POOL, theano_same=f"{RT}{kind}Pooling{d}D", family=P)
      for d in (2, 3) for kind in ("Max", "Average")],
    layer("GlobalMaxPooling1D", family=P),
    layer("GlobalAveragePooling1D", family=P),
    layer("GlobalMaxPooling2D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalAveragePooling2D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalMaxPooling3D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalAveragePooling3D", args={"dim_ordering": DIM_ORDERING}, family=P),
]
