"""The minutes templates (``<language>/minutes.*.j2``), shipped in the wheel as the package ``bot.templates``."""
