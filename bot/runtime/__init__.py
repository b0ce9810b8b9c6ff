"""The Discord-facing runtime: the client, the outbox worker, the scheduler and the scheduled-event port.

These are the only modules outside ``bot/ui``, ``cogs`` and ``bot/sandbox`` that touch discord.py; they
wire storage into services (``wiring.build_services``) and drive the services from Discord's side.
"""
