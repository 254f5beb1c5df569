"""The project's own speed and accuracy benchmarks (`raretrace bench`); one module per area."""
