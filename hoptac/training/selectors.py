def training_of(org):
    """PLACEHOLDER until the app's models exist: replace."""
    return []
