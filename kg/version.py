"""kg's version, apart so that modules can import it without importing the package."""

__version__ = "0.1.0"
