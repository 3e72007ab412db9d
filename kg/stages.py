"""Imports every module that registers a pipeline stage, in pipeline order."""

import kg.text.normalize  # noqa: F401  normalize
import kg.text.segment  # noqa: F401  segment
import kg.entities.ner.stage  # noqa: F401  ner
import kg.entities.resolve  # noqa: F401  resolve
import kg.text.quantities  # noqa: F401  quantities
import kg.claims.extract  # noqa: F401  claims
