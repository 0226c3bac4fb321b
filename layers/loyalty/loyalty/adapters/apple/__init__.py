"""Apple Wallet: the signed `.pkpass` of a pass, the PassKit web service the phone talks to, and APNs pushes
that make the phone fetch a pass again after it changed."""
