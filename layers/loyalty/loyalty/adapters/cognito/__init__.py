"""Amazon Cognito: the user pool as the user directory of businesses\x27 people."""
