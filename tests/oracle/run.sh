#!/usr/bin/env bash
# Run Python inside k1port's Keras 1.2.2 / Theano oracle environment (tests/oracle/venv).
#   run.sh script.py [args...]      run.sh -c 'import keras; ...'
# Env knobs:
#   ORACLE_NO_CXX=1   Theano without g++ (cxx=, pure-Python/NumPy ops; slower)
#   THEANO_FLAGS=...  extra Theano flags, appended (later keys win)
# HOME is redirected to <oracle>/home: Keras 1.2.2 reads $HOME/.keras/keras.json
# (no KERAS_HOME support) and Theano caches compiled C code in $HOME/.theano.
set -euo pipefail
ORACLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x "$ORACLE/venv/bin/python" ] || { echo "run.sh: run $ORACLE/setup.sh first" >&2; exit 1; }
export HOME="$ORACLE/home"
export KERAS_BACKEND=theano
# blas.ldflags= : numpy>=1.22 dropped numpy.distutils blas_opt_info, which Theano 1.0.5's
# default probe needs; empty ldflags = Theano's NumPy-C-API gemm (still numpy's OpenBLAS).
flags="floatX=float32,blas.ldflags=,base_compiledir=$ORACLE/home/.theano"
if [ "${ORACLE_NO_CXX:-0}" = 1 ]; then flags="$flags,cxx="; fi
export THEANO_FLAGS="$flags${THEANO_FLAGS:+,$THEANO_FLAGS}"
exec "$ORACLE/venv/bin/python" "$@"
