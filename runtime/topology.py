"""Keras 1's layer-node API (``layer.get_output_at(i)``, ``layer.input_shape``, ...).

Each call of a layer on symbolic tensors adds a node; Keras 1 exposed each node's
tensors, shapes and masks by node index. Keras 3 removed these methods (it keeps only
``layer.input`` / ``layer.output``), so they are functions of the layer here. Indices
follow Python's (``-1`` is the latest node), as in Keras 1. A model built from
tensors counts its own graph (its inputs to its outputs) as node 0, as Keras 1's did.

Unlike Keras 1, Keras 3's ``Sequential.add`` rebuilds the model's graph each time, so a
layer added early has one node per later ``add``. All of them start from the same
``Input`` and compute the same thing; the model's current graph uses the last (``-1``).
"""
from __future__ import annotations

import keras


def _nodes(layer) -> list[tuple[list, list]]:
    """The layer's nodes as (input tensors, output tensors), oldest first."""
    nodes = []
    for node in layer._inbound_nodes:
        outputs = list(node.output_tensors)
        # Keras 3's input nodes have no inputs; Keras 1's fed the placeholder through.
        inputs = outputs if node.is_input else _call_inputs(node)
        nodes.append((inputs, outputs))
    if isinstance(layer, keras.Model):
        try:
            own = (list(layer.inputs), list(layer.outputs))
        except (AttributeError, ValueError, TypeError):  # a subclassed model: no graph
            own = None
        if own is not None and own[0] and own[1]:
            nodes.insert(0, own)
    return nodes


def _call_inputs(node) -> list:
    """The tensors the layer was called on. Keras 3's ``node.input_tensors`` (and so its
    ``layer.input``) also lists every tensor passed by keyword, such as the ``mask`` Keras
    passes on by itself after an ``Embedding(mask_zero=True)``; Keras 1's node inputs were
    only the tensors given as the layer's input."""
    args = node.arguments.args
    if not args:
        return list(node.input_tensors)
    return [t for t in keras.tree.flatten(args[0]) if isinstance(t, keras.KerasTensor)]


def _node(layer, node_index: int, what: str) -> tuple[list, list]:
    nodes = _nodes(layer)
    if not nodes:
        raise AttributeError(f"Layer {layer.name!r} has never been called and thus has no defined {what}.")
    if not -len(nodes) <= node_index < len(nodes):
        raise ValueError(f"Asked for the {what} of layer {layer.name!r} at node {node_index}, "
                         f"but it has only {len(nodes)} inbound node(s).")
    return nodes[node_index]


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values


def _shape(tensor) -> tuple:
    return tuple(tensor.shape)


def _mask(tensor):
    return getattr(tensor, "_keras_mask", None)


def get_input_at(layer, node_index: int):
    """Keras 1's ``layer.get_input_at(node_index)``: the input tensor(s) of that node."""
    return _one_or_list(_node(layer, node_index, "input")[0])


def get_output_at(layer, node_index: int):
    """Keras 1's ``layer.get_output_at(node_index)``: the output tensor(s) of that node."""
    return _one_or_list(_node(layer, node_index, "output")[1])


def get_input_shape_at(layer, node_index: int):
    """Keras 1's ``layer.get_input_shape_at(node_index)``: shape tuple(s), batch as None."""
    return _one_or_list([_shape(t) for t in _node(layer, node_index, "input shape")[0]])


def get_output_shape_at(layer, node_index: int):
    """Keras 1's ``layer.get_output_shape_at(node_index)``: shape tuple(s), batch as None."""
    return _one_or_list([_shape(t) for t in _node(layer, node_index, "output shape")[1]])


def get_input_mask_at(layer, node_index: int):
    """Keras 1's ``layer.get_input_mask_at(node_index)``: the input mask(s), or None."""
    return _one_or_list([_mask(t) for t in _node(layer, node_index, "input mask")[0]])


def get_output_mask_at(layer, node_index: int):
    """Keras 1's ``layer.get_output_mask_at(node_index)``: the output mask(s), or None."""
    return _one_or_list([_mask(t) for t in _node(layer, node_index, "output mask")[1]])


def _common_shape(layer, side: int, what: str):
    if not isinstance(layer, keras.layers.Layer):  # not a layer: the object's own attribute
        return getattr(layer, "input_shape" if side == 0 else "output_shape")
    nodes = _nodes(layer)
    if not nodes:
        raise AttributeError(f"Layer {layer.name!r} has never been called and thus has no defined {what}.")
    shapes = [[_shape(t) for t in node[side]] for node in nodes]
    if any(s != shapes[0] for s in shapes[1:]):
        accessor = "get_input_shape_at" if side == 0 else "get_output_shape_at"
        raise AttributeError(f"Layer {layer.name!r} has multiple inbound nodes with different {what}s, "
                             f"so its {what} is ill-defined; use k1.{accessor}(layer, node_index).")
    return _one_or_list(shapes[0])


def input_shape(layer):
    """Keras 1's ``layer.input_shape``: the input shape(s) all the layer's nodes share.

    Raises AttributeError if the layer was never called or its nodes' input shapes differ.
    """
    return _common_shape(layer, 0, "input shape")


def output_shape(layer):
    """Keras 1's ``layer.output_shape``: the output shape(s) all the layer's nodes share.

    Raises AttributeError if the layer was never called or its nodes' output shapes differ.
    """
    return _common_shape(layer, 1, "output shape")


__all__ = ["get_input_at", "get_output_at", "get_input_shape_at", "get_output_shape_at",
           "get_input_mask_at", "get_output_mask_at", "input_shape", "output_shape"]
