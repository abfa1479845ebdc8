"""alliance: a terminal browser for a knowledge base about car-industry alliances.

Importing this package is cheap: the Textual app is imported only to open it.
"""

__version__ = "0.1.0"
