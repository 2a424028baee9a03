"""The side-by-side gateway benchmark (``make bench``): see ``bench/README.md``."""
