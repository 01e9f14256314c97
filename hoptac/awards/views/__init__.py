"""Pages of emulation and awards, by area: decisions (and their recipients, counts, import),
proposals, and the emulation itself (movements, blocs, registrations, scoring).

Everyone signed in may read what they may see (alliance staff all; area officers and
cooperative accounts what concerns organisations they see); only administrators and the
awards department write, except a cooperative's own self-assessment and the bloc leader's
scoring. An object the user may not see answers 404; a write they may not make answers 403.
"""
