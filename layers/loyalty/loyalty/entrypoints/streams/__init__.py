"""Handlers of the table's stream: each turns a batch of stream records into its use case's work and answers the
records to take back (ReportBatchItemFailures)."""
