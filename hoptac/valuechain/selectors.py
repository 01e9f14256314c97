def value_chains_of(org):
    """PLACEHOLDER until the app's models exist: replace."""
    return []
