"""Events about a person that other apps act on, so the app that sends one names none of them.

``contact_logged`` is sent inside the transaction that logged a contact about the person (the
duty desk's), with ``person``, ``agency_id`` (the logging user's agency), ``author``,
``occurred_at`` (an aware datetime), ``summary`` and ``significance`` ("routine", "significant").
The chronology records it as a key event; a receiver that fails rolls the contact back with it.
"""

from django.dispatch import Signal

contact_logged = Signal()
