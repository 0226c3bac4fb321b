"""The brand context: a business's name, images and colours, and what a customer sees of an offer before joining."""
