"""DynamoDB repositories: every state change is one conditional write or one transaction."""
