"""`python -m tui` runs the `alliance` command."""

import sys

from tui.cli import main

sys.exit(main())
