"""Keras 1 model configs and `model.save` files, loaded as working Keras 3 models.

One source of truth: a Keras 1 config is written out as the Keras 1 program that builds it
(``Convolution2D(nb_filter=4, nb_row=3, ...)``), that program is converted by the same rule
tables that convert source files (``k1port.api``), and the result is run. So a saved
``Convolution2D`` means exactly what a written one does, and whatever k1port cannot
convert is refused with the layer and argument named.

Keras 3 files and configs pass straight to Keras 3.
"""
from __future__ import annotations

import json
import re
from typing import Any

RT_IMPORTS = ("from keras.layers import *\nfrom keras.models import Model, Sequential\n"
              "from keras.regularizers import *\nfrom keras.constraints import *\n"
              "from keras.optimizers import *\n")
# Keys Keras 1 wrote into configs that its constructors do not take.
CONFIG_ONLY = {"merge": {"mode_type", "output_shape_type", "output_mask_type"}}


class Keras1ConfigError(ValueError):
    """A Keras 1 config holds something k1port cannot translate (named in the message)."""


def is_keras1_config(config: dict) -> bool:
    """Keras 1 configs: version 1.x, a Sequential whose config is a list, or nodes as lists."""
    if str(config.get("keras_version", "")).startswith("1."):
        return True
    inner = config.get("config")
    if config.get("class_name") == "Sequential" and isinstance(inner, list):
        return True
    layers = inner.get("layers", []) if isinstance(inner, dict) else []
    return any(isinstance(node, list) and node and isinstance(node[0], list)
               for layer in layers for node in layer.get("inbound_nodes", []))


def _literal(value: Any) -> str:
    """A config value as Python source: dicts naming a class become constructor calls."""
    if isinstance(value, dict) and "name" in value and len(value) > 1 and not value.get("class_name"):
        args = ", ".join(f"{k}={_literal(v)}" for k, v in value.items() if k != "name")
        return f"{value['name']}({args})"  # regularizers, constraints: {'name': 'MaxNorm', 'm': 2}
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        return _layer_call(value["class_name"], value["config"])
    if isinstance(value, list):
        items = [_literal(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _layer_call(class_name: str, config: dict, lines: list[str] | None = None, var: str = "m") -> str:
    if not isinstance(config, dict) or class_name == "Merge":
        raise Keras1ConfigError(f"layer {getattr(config, 'get', lambda k: None)('name')!r} ({class_name}): "
                                "merging models inside a Sequential is not translated yet")
    if class_name == "Lambda" or config.get("function_type") == "lambda":
        raise Keras1ConfigError(f"layer {config.get('name')!r} ({class_name}): its Python function "
                                "was saved as bytecode, which cannot be translated; rebuild it in code")
    skip = CONFIG_ONLY.get(class_name, set())
    func = class_name if _is_keras1_class(class_name) else f"custom_objects[{class_name!r}]"
    args = []
    for key, value in config.items():
        if key in skip or (key == "trainable" and value is True):  # the default; some Keras 3
            continue  # layers (SpatialDropout2D) take no `trainable` argument at all
        if key == "layer" and isinstance(value, dict):  # TimeDistributed, Bidirectional
            if value["class_name"] in ("Sequential", "Model") and lines is not None:
                _model_lines(value, f"{var}_inner", lines)  # a model wrapped in a layer
                args.append(f"layer={var}_inner")
            else:
                args.append(f"layer={_layer_call(value['class_name'], value['config'], lines, var + '_inner')}")
        else:
            args.append(f"{key}={_literal(value)}")
    return f"{func}({', '.join(args)})"


def _is_keras1_class(class_name: str) -> bool:
    """A layer, regularizer, constraint or optimizer class of Keras 1 (else a custom class,
    which the program takes from `custom_objects`, as Keras 1's load_model did: a Keras 3
    class of the same name, such as `Attention`, must not stand in for it)."""
    from k1port import keras1

    return class_name == "merge" or any(
        keras1.member(module, class_name) is not None
        for module in ("keras.layers", "keras.regularizers", "keras.constraints", "keras.optimizers"))


def keras1_source(config: dict, training: dict | None = None) -> str:
    """The Keras 1 program that builds (and compiles) the model a config describes."""
    lines = [RT_IMPORTS]
    _model_lines(config, "model", lines)
    if training:
        lines.append(_compile_line("model", training))
    return "\n".join(lines) + "\n"


def _model_lines(config: dict, var: str, lines: list[str]) -> None:
    class_name, inner = config["class_name"], config["config"]
    if class_name == "Sequential":
        layers = inner if isinstance(inner, list) else inner.get("layers", [])
        lines.append(f"{var} = Sequential()")
        for i, layer in enumerate(layers):
            if layer["class_name"] in ("Sequential", "Model"):
                _model_lines(layer, f"{var}_sub{i}", lines)
                lines.append(f"{var}.add({var}_sub{i})")
            elif layer["class_name"] == "Merge" and isinstance(layer["config"], dict) \
                    and layer["config"].get("layers"):
                lines.append(f"{var}.add({_merge_models(layer['config'], f'{var}_l{i}', lines)})")
            else:
                lines.append(f"{var}.add({_layer_call(layer['class_name'], layer['config'], lines, f'{var}_l{i}')})")
        return
    if class_name != "Model":
        raise Keras1ConfigError(f"unknown model class {class_name!r}")
    _functional_lines(inner, var, lines)


def _merge_models(config: dict, var: str, lines: list[str]) -> str:
    """A Merge of models in a Sequential: each model built, then the Merge call. (Keras 1
    saved a model merged twice as two copies; its own load_model rebuilt two, as here.)"""
    if "lambda" in (config.get("mode_type"), config.get("output_shape_type"), config.get("output_mask_type")):
        raise Keras1ConfigError(f"layer {config.get('name')!r} (Merge): its Python function was saved as "
                                "bytecode, which cannot be translated; rebuild it in code")
    branches = []
    for j, branch in enumerate(config["layers"]):
        _model_lines(branch, f"{var}_b{j}", lines)
        branches.append(f"{var}_b{j}")
    rest = {k: v for k, v in config.items() if k != "layers" and k not in CONFIG_ONLY["merge"]}
    args = "".join(f", {k}={_literal(v)}" for k, v in rest.items())
    return f"Merge([{', '.join(branches)}]{args})"


def _functional_lines(config: dict, var: str, lines: list[str]) -> None:
    layer_vars, tensors = {}, {}
    for i, layer in enumerate(config["layers"]):
        name, class_name = layer["name"], layer["class_name"]
        v = f"{var}_l{i}"
        layer_vars[name] = v
        if class_name == "InputLayer":
            c = layer["config"]
            lines.append(f"{v}_n0 = Input(batch_shape={_literal(c['batch_input_shape'])}, "
                         f"dtype={c.get('input_dtype', 'float32')!r}, name={name!r})")
            tensors[(name, 0)] = f"{v}_n0"
        elif class_name in ("Sequential", "Model"):
            _model_lines(layer, v, lines)
        elif class_name != "Merge":
            lines.append(f"{v} = {_layer_call(class_name, layer['config'], lines, v)}")
    pending = [(layer, k, node) for layer in config["layers"]
               for k, node in enumerate(layer.get("inbound_nodes", []))]
    while pending:
        progress = False
        for item in list(pending):
            layer, k, node = item
            if not all((src, idx) in tensors for src, idx, _ in node):
                continue
            inputs = [tensors[(src, idx)] + (f"[{t}]" if _multi(config, src) else "") for src, idx, t in node]
            arg = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
            # A model used as a layer has its own internal node 0 in Keras 1: calls start at 1.
            k += 1 if layer["class_name"] in ("Sequential", "Model") else 0
            out = f"{layer_vars[layer['name']]}_n{k}"
            if layer["class_name"] == "Merge":
                call = _layer_call("merge", layer["config"])
                lines.append(f"{out} = {call[:6]}{arg}, {call[6:]}" if call != "merge()" else f"{out} = merge({arg})")
            else:
                lines.append(f"{out} = {layer_vars[layer['name']]}({arg})")
            tensors[(layer["name"], k)] = out
            pending.remove(item)
            progress = True
        if not progress:
            raise Keras1ConfigError("the config's layer graph has inputs that no layer produces")
    ins = [tensors[(n, i)] for n, i, _ in config["input_layers"]]
    outs = [tensors[(n, i)] for n, i, _ in config["output_layers"]]
    fmt = lambda ts: ts[0] if len(ts) == 1 else "[" + ", ".join(ts) + "]"  # noqa: E731
    lines.append(f"{var} = Model(input={fmt(ins)}, output={fmt(outs)}, name={config.get('name')!r})")


def _multi(config: dict, layer_name: str) -> bool:
    """Whether a layer's output is a list (several outputs): then tensor_index selects."""
    for layer in config["layers"]:
        if layer["name"] == layer_name and layer["class_name"] == "Model":
            return len(layer["config"].get("output_layers", [])) > 1
    return False


def _compile_line(var: str, training: dict) -> str:
    opt = training.get("optimizer_config") or {}
    optimizer = _layer_call(opt["class_name"], opt.get("config", {})) if opt else "'rmsprop'"
    args = [f"optimizer={optimizer}", f"loss={_literal(training.get('loss'))}"]
    for key in ("metrics", "loss_weights", "sample_weight_mode"):
        if training.get(key) is not None:
            args.append(f"{key}={_literal(training[key])}")
    return f"{var}.compile({', '.join(args)})"


def _build(config: dict, training: dict | None, custom_objects: dict | None, backend: str | None = None):
    from k1port.api import Options, convert_source  # the transpiler: only needed here
    from k1port.findings import Level

    source = keras1_source(config, training)
    # Saved configs state every layer's dim_ordering; `backend` decides Theano's 'same' padding.
    result = convert_source(source, Options(image_dim_ordering="tf", keras1_backend=backend))
    errors = [f for f in result.findings if f.level is Level.ERROR]
    if errors:
        program = source.splitlines()
        raise Keras1ConfigError("cannot translate this Keras 1 config:\n" + "\n".join(
            f"  {f.message}\n    in: {program[f.line - 1][:160]}" for f in errors))
    missing = sorted(set(re.findall(r"custom_objects\['(\w+)'\]", source)) - set(custom_objects or {}))
    if missing:
        raise Keras1ConfigError(f"the config uses classes that are not Keras 1's: {', '.join(missing)} (custom "
                                "layers?): pass them in custom_objects={...}, as Keras 1's load_model required")
    namespace: dict[str, Any] = {"custom_objects": dict(custom_objects or {})}
    exec(compile(result.code, "<keras1 config>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace["model"]


def model_from_config(config: dict, custom_objects: dict | None = None):
    """A Keras 3 model from a Keras 1 config dict (Keras 3 configs go to Keras 3)."""
    import keras

    if not is_keras1_config(config):
        return keras.models.model_from_config(config, custom_objects=custom_objects)
    return _build(config, None, custom_objects)


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """`keras.models.model_from_json` for Keras 1 JSON (`model.to_json()` of Keras 1)."""
    import keras

    config = json.loads(json_string)
    if not is_keras1_config(config):
        return keras.models.model_from_json(json_string, custom_objects=custom_objects)
    return _build(config, None, custom_objects)


def model_from_yaml(yaml_string: str, custom_objects: dict | None = None):
    """Keras 1 YAML configs (Keras 3 dropped YAML altogether). Needs PyYAML."""
    import yaml

    return model_from_config(yaml.safe_load(yaml_string), custom_objects)


def _attr(group, name):
    value = group.attrs.get(name)
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    return value.decode("utf8") if isinstance(value, bytes) else value


def _backend_of(path: str) -> str | None:
    """Which Keras 1 backend wrote a file, from its weight names (TensorFlow's end in ':0');
    None when the file does not say (k1port then decides by dim ordering)."""
    import h5py

    from k1port.runtime.weights import _read_keras1

    with h5py.File(path, "r") as f:
        groups, _ = _read_keras1(f)
    names = [n for g in groups for n in g.names]
    if not names or all(n.startswith("param_") for n in names):
        return None
    return "tensorflow" if any(":" in n for n in names) else "theano"


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True, backend: str = "auto"):
    """`keras.models.load_model` that also reads Keras 1 `model.save` files: the architecture is
    translated (see the module docstring), the weights loaded with `load_keras1_weights`
    (`backend`: which Keras 1 backend wrote them) and the model compiled as it was saved."""
    import h5py
    import keras

    path = str(filepath)
    if h5py.is_hdf5(path):
        with h5py.File(path, "r") as f:
            version = _attr(f, "keras_version")
            config = _attr(f, "model_config")
            training = _attr(f, "training_config")
        if config is not None and (str(version or "").startswith("1.") or is_keras1_config(json.loads(config))):
            from k1port.runtime.weights import load_keras1_weights

            which = backend if backend != "auto" else _backend_of(path)
            model = _build(json.loads(config), json.loads(training) if (training and compile) else None,
                           custom_objects, which)
            load_keras1_weights(model, path, backend=backend)
            return model
        if config is not None:
            return _keras3_hdf5(path, custom_objects, json.loads(training) if (training and compile) else None)
    return keras.models.load_model(filepath, custom_objects=custom_objects, compile=compile)


def _keras3_hdf5(path: str, custom_objects: dict | None, training: dict | None):
    """A Keras 3 `model.save('m.h5')` file (k1.save_model writes them under any name): Keras 3.15's
    loader refuses other names and fails to compile a loss saved as a string ('mse'), so
    the model is compiled here from the file's training config."""
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    if training is not None:
        try:
            return legacy_h5_format.load_model_from_hdf5(path, custom_objects=custom_objects, compile=True)
        except (ValueError, TypeError):
            pass
    model = legacy_h5_format.load_model_from_hdf5(path, custom_objects=custom_objects, compile=False)
    if training is not None:
        model.compile(optimizer=keras.optimizers.deserialize(training["optimizer_config"]),
                      loss=training.get("loss"), metrics=training.get("metrics"),
                      loss_weights=training.get("loss_weights"))
    return model
