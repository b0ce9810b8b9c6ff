"""Reply text, one module per feature: pure functions from a service's results to Discord Markdown.

Every sentence comes from the catalogues (``bot/locales/<lang>/<feature>.toml``) through
:func:`bot.i18n.t`; member text is neutralised (no mentions, Markdown kept in its place). Cogs call
these functions and send what they return; nothing here talks to Discord.
"""
