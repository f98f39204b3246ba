"""Model Studio LoRA provider: Pulumi resources for fine-tuning and deploying Wan image models.

```python
from provider import Dataset, FineTuneJob, CheckpointExport, Deployment, LoraModel
```
"""

from __future__ import annotations

from provider._version import __version__
from provider.resources import CheckpointExport, Dataset, Deployment, FineTuneJob, LoraModel

__all__ = ["CheckpointExport", "Dataset", "Deployment", "FineTuneJob", "LoraModel", "__version__"]
