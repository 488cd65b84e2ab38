"""The parity harness: R against Python on the same data and seeds.

The only package of the project that imports rpy2.
"""
