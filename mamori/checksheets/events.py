"""Events of the check sheets (:mod:`mamori.platform.events`), sent by their actions.

Each carries ``organization``, ``vendors`` (the vendors concerned), ``actor`` and the ``assessment``.
"""

from mamori.platform.events import Event

#: A vendor submitted its answers and the check sheet was scored (portal, Excel, or the sample data).
answers_scored = Event("answers_scored", "organization", "vendors", "actor", "assessment")

#: A submitted check sheet was approved, or returned for answers again (it no longer rates the vendor).
assessment_reviewed = Event("assessment_reviewed", "organization", "vendors", "actor", "assessment")
