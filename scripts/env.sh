# shellcheck shell=bash
# Source this file (`. scripts/env.sh`) to use the in-repo Jupyter set-up made
# by scripts/setup.sh. Works from any cwd and when sourced more than once.
#
#   RETAIL_INTEL_ROOT  repo root (physical path)
#   JUPYTER_PYTHON     the Python that has Jupyter: Debian's /usr/bin/python3
#                      (the `python3` on PATH may be pyenv's, without Jupyter)
#   JUPYTER_PATH       gains $RETAIL_INTEL_ROOT/.jupyter/share/jupyter, where the
#                      tslab kernel spec lives (no PATH change needed)
#
# Run Jupyter as "$JUPYTER_PYTHON" -m jupyter ..., e.g.
#   "$JUPYTER_PYTHON" -m jupyter nbconvert --to notebook --execute NB.ipynb \
#     --output OUT.ipynb --ExecutePreprocessor.timeout=600

RETAIL_INTEL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export RETAIL_INTEL_ROOT
export JUPYTER_PYTHON=/usr/bin/python3

case ":${JUPYTER_PATH:-}:" in
  *":$RETAIL_INTEL_ROOT/.jupyter/share/jupyter:"*) ;;
  *) export JUPYTER_PATH="$RETAIL_INTEL_ROOT/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}" ;;
esac
