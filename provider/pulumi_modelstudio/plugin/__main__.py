"""`python -m pulumi_modelstudio.plugin`: the `modelstudio` provider plugin."""

import sys

from pulumi_modelstudio.plugin.main import main

sys.exit(main())
