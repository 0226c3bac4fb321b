"""What SQS hands the queue workers."""
