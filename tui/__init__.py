"""alliance: a terminal browser for a knowledge base about car-industry alliances.

Importing this package is cheap: the Textual app is imported only to open it.
"""

import os

__version__ = "0.1.0"

# Textual draws changes at most MAX_FPS times a second (60 unless TEXTUAL_FPS says): a typed key
# waits for the next frame, up to 17 ms at 60. At 120 the echo of a key comes twice as soon; a
# frame draws only what changed. Read when Textual is first imported; a user's own setting stays.
os.environ.setdefault("TEXTUAL_FPS", "120")
