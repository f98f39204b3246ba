"""Model Studio LoRA provider: Pulumi resources for fine-tuning and deploying Wan image models.

```python
from pulumi_modelstudio import Dataset, FineTuneJob, CheckpointExport, Deployment, LoraModel
```

The resource classes load on first use, so tools that only need a part of the package (the CLI, the hosts)
start without importing the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio import _legacy_paths
from pulumi_modelstudio._version import __version__

if TYPE_CHECKING:
    from pulumi_modelstudio.resources import CheckpointExport, Dataset, Deployment, FineTuneJob, LoraModel

__all__ = ["CheckpointExport", "Dataset", "Deployment", "FineTuneJob", "LoraModel", "__version__"]

_legacy_paths.install()


def __getattr__(name: str) -> Any:
    """The resource classes, imported when first asked for."""
    if name in {"CheckpointExport", "Dataset", "Deployment", "FineTuneJob", "LoraModel"}:
        return getattr(importlib.import_module("pulumi_modelstudio.resources"), name)
    msg = f"module 'pulumi_modelstudio' has no attribute {name!r}"
    raise AttributeError(msg)
