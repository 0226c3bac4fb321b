"""Google Wallet: a loyalty class per offer and a loyalty object per pass, kept current via walletobjects."""
