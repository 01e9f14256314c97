def dashboard_for(user, today):
    """PLACEHOLDER until the returns helper replaces it: due-soon and overdue returns user should act on."""
    return None
