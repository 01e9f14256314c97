from config.formats.vi.formats import *  # noqa: F403
