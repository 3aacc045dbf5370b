"""Where each Keras 1 module's names live in Keras 3 (for rewriting module imports)."""
from __future__ import annotations

_LAYER_MODULES = ("core", "convolutional", "pooling", "local", "recurrent", "normalization",
                  "embeddings", "noise", "advanced_activations", "wrappers",
                  "convolutional_recurrent")

MODULE_MAP: dict[str, str] = {
    "keras": "keras",
    "keras.layers": "keras.layers",
    **{f"keras.layers.{m}": "keras.layers" for m in _LAYER_MODULES},
    "keras.engine": "keras.layers",
    "keras.engine.topology": "keras.layers",
    "keras.engine.training": "keras.models",
    "keras.models": "keras.models",
    "keras.optimizers": "keras.optimizers",
    "keras.objectives": "keras.losses",
    "keras.metrics": "keras.metrics",
    "keras.activations": "keras.activations",
    "keras.initializations": "keras.initializers",
    "keras.regularizers": "keras.regularizers",
    "keras.constraints": "keras.constraints",
    "keras.callbacks": "keras.callbacks",
    "keras.backend": "keras.backend",
    "keras.utils": "keras.utils",
    "keras.utils.np_utils": "keras.utils",
    "keras.utils.data_utils": "keras.utils",
    "keras.utils.generic_utils": "keras.utils",
    "keras.utils.layer_utils": "keras.utils",
    "keras.utils.visualize_util": "keras.utils",
    "keras.preprocessing": "keras.preprocessing",
    "keras.preprocessing.image": "keras.preprocessing.image",
    "keras.preprocessing.sequence": "keras.preprocessing.sequence",
    "keras.datasets": "keras.datasets",
    **{f"keras.datasets.{m}": f"keras.datasets.{m}"
       for m in ("mnist", "cifar10", "cifar100", "imdb", "reuters")},
    "keras.applications": "keras.applications",
    **{f"keras.applications.{m}": f"keras.applications.{m}"
       for m in ("vgg16", "vgg19", "resnet50", "inception_v3", "xception", "imagenet_utils")},
}


def keras3_module(keras1_module: str) -> str | None:
    """The Keras 3 module that holds what `keras1_module` held (None: no such module)."""
    return MODULE_MAP.get(keras1_module)
