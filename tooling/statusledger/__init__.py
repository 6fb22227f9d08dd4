"""statusledger: incident records as code, and the public status page built from them."""

__version__ = "0.1.0"
