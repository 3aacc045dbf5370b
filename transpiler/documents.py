"""One entry point for every kind of file k1port converts: the CLI and batch runs call
`convert_document`, which picks the reader for the file (a Python source today; notebooks and
Python 2 sources join here) and returns the same `Result` as `api.convert_source`."""
from __future__ import annotations

from k1port.api import Options, Result, convert_source


def convert_document(text: str, name: str, options: Options = Options(), py2: bool | None = None) -> Result:
    """Convert the text of the file called `name` (its suffix picks the reader).

    `py2`: True forces the Python 2 -> 3 pass first, False never runs it, None runs it only
    when the text does not parse as Python 3. Raises api.ConversionError when the file cannot
    be converted at all."""
    return convert_source(text, options)
