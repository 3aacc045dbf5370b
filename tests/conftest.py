import os
import sys
from pathlib import Path

# Tests that import Keras do it in this process on the TensorFlow backend; tests that need
# both backends run one subprocess per backend (see tests/backends.py).
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent))
