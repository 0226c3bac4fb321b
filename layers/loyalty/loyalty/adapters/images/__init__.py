"""Brand images: checked and re-encoded with Pillow, kept in S3."""
