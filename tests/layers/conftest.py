"""tests/layers: converted Keras 1 constructors, executed with Keras 3 (TensorFlow backend).

Keras is imported once, in the pytest process; the backend must be chosen before anything
imports it.
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def pytest_configure(config):
    # Keras 1 code states input shapes on layers; Keras 3 accepts it but nags.
    config.addinivalue_line("filterwarnings", "ignore:Do not pass an `input_shape`:UserWarning")
