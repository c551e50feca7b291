"""The bare-Flask baseline `make bench` measures the product against (bench/README.md)."""
