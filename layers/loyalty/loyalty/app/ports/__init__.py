"""What the use cases need from the world outside, one module per context; import each port from its module."""
