"""Files in S3 other than brand images: the members exports."""
