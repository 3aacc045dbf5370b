"""Keras 1's ``Merge`` of models inside a ``Sequential`` (the babi_memnn / babi_rnn style)::

    left = Sequential(); left.add(Dense(6, input_dim=5))
    right = Sequential(); right.add(Dense(4, input_dim=3))
    model = Sequential()
    model.add(Merge([left, right], mode='concat'))
    model.add(Dense(3))
    model.fit([x_left, x_right], y)

Keras 3's ``Sequential`` has one input. Here ``MergeModels([left, right], ...)`` merges the
branches' output tensors with Keras 1's :class:`~k1port.runtime.merge.Merge` (every mode,
``dot_axes``, ``output_shape``, ...) and is a functional model from the branches' inputs,
and :class:`Sequential` builds its graph on those inputs when its first layer is one. As in
Keras 1, the model's inputs are the distinct inputs the merged tensor depends on, in the
order a depth-first walk first reaches them: a branch used twice (babi_memnn's question
encoder) contributes its input once, and nested merges flatten into one list.

``k1port.runtime.weights`` orders such a model's layers as Keras 1's
``Sequential.flattened_layers`` did (each branch's layers, then the layers added after the
merge), so Keras 1 weight files load into it.
"""
from __future__ import annotations

import keras

from k1port.runtime.merge import Merge
from k1port.runtime.symbolic import source_inputs
from k1port.runtime.topology import get_output_at

__all__ = ["MergeModels", "Sequential"]


def _output(branch, node_index: int):
    """The tensor a branch contributes: a model's output, or a layer's output at a node."""
    if isinstance(branch, keras.Model):
        outputs = branch.outputs
        if len(outputs) != 1:
            raise ValueError(f"Merge: branch {branch.name!r} has {len(outputs)} outputs; Keras 1 "
                             "merged models with one output")
        return outputs[0]
    return get_output_at(branch, node_index)


@keras.saving.register_keras_serializable("k1port")
class MergeModels(keras.Model):
    """Keras 1's ``Merge(layers=[model_a, model_b, ...], mode=...)``: the merged outputs of
    models (or called layers), as a functional model from their inputs. The other arguments
    are :class:`~k1port.runtime.merge.Merge`'s."""

    def __init__(self, layers, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None,
                 output_mask=None, arguments=None, node_indices=None, tensor_indices=None, name=None,
                 **kwargs):
        branches = list(layers)
        if len(branches) < 2:
            raise ValueError(f"A Merge should be called on a list of at least 2 models; got {len(branches)}")
        indices = list(node_indices) if node_indices else [0] * len(branches)
        outputs = [_output(b, i) for b, i in zip(branches, indices)]
        merged = Merge(mode=mode, concat_axis=concat_axis, dot_axes=dot_axes, output_shape=output_shape,
                       output_mask=output_mask, arguments=arguments)(outputs)
        super().__init__(source_inputs([merged]), merged, name=name, **kwargs)
        self.branches = branches
        self._merge_config = {"mode": mode, "concat_axis": concat_axis, "dot_axes": dot_axes,
                              "output_shape": output_shape, "output_mask": output_mask,
                              "arguments": arguments, "node_indices": node_indices}

    def get_config(self):
        merge = self.layers[-1] if isinstance(self.layers[-1], Merge) else None
        config = merge.get_config() if merge is not None else {}
        config = {k: config.get(k, v) for k, v in self._merge_config.items()}
        config["layers"] = [keras.saving.serialize_keras_object(b) for b in self.branches]
        config["name"] = self.name
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layers"] = [keras.saving.deserialize_keras_object(b, custom_objects=custom_objects)
                            for b in config["layers"]]
        merge = Merge.from_config({k: v for k, v in config.items() if k not in ("layers", "node_indices")})
        config.update(mode=merge.mode, output_shape=merge._output_shape, output_mask=merge._output_mask,
                      arguments=merge.arguments)
        return cls(**config)


@keras.saving.register_keras_serializable("k1port")
class Sequential(keras.Sequential):
    """``keras.Sequential`` whose first layer may be a :class:`MergeModels`: the model then
    takes the merged branches' inputs (a list), as Keras 1's did. Otherwise it is
    ``keras.Sequential``."""

    def _merge(self):
        first = self._layers[0] if self._layers else None
        return first if isinstance(first, MergeModels) else None

    def _maybe_rebuild(self):
        if self._merge() is None:
            return super()._maybe_rebuild()
        self.build()

    def build(self, input_shape=None):
        merge = self._merge()
        if merge is None:
            return super().build(input_shape)
        # Built on the branches' own inputs (not fresh ones) so that a model merging this
        # one shares them, as Keras 1's nested merges did.
        x = merge.outputs[0]
        for layer in self._layers[1:]:
            x = layer(x)
        self._functional = keras.Model(merge.inputs, x)
        self.built = True

    def get_config(self):
        if self._merge() is None:
            return super().get_config()
        # keras.Sequential records a single input shape to rebuild from; this one rebuilds
        # from its first layer's branches when from_config adds it again.
        functional, self._functional = self._functional, None
        try:
            return super().get_config()
        finally:
            self._functional = functional

    @property
    def keras1_flattened_layers(self) -> list:
        """Keras 1's ``Sequential.flattened_layers``: each merged branch's layers (its own
        flattened layers for a Sequential), without repeats, then the layers after the merge."""
        from k1port.runtime.weights import keras1_layer_order

        merge = self._merge()
        if merge is None:
            return list(self.layers)
        layers = []
        for branch in merge.branches:
            for layer in keras1_layer_order(branch) if isinstance(branch, keras.Model) else [branch]:
                if not any(layer is seen for seen in layers):
                    layers.append(layer)
        return layers + [layer for layer in self._layers[1:] if not any(layer is s for s in layers)]
