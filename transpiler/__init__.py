"""k1port: convert Keras 1 code into Keras 3 / tf.keras.

Importing ``k1port`` is cheap (no TensorFlow, Keras or torch): the converter lives in
``k1port.api``; ``k1port.runtime`` is what converted programs import.
"""

__version__ = "0.1.0"


def __getattr__(name):  # lazy: keep `import k1port.runtime` free of the transpiler
    if name in ("convert_source", "Options", "Result"):
        from k1port import api

        return getattr(api, name)
    raise AttributeError(name)
