"""Events of the incidents (:mod:`mamori.platform.events`), sent by their actions."""

from mamori.platform.events import Event

#: An incident was linked to a vendor, unlinked from it, moved to another vendor or re-dated
#: (its awareness date) — created, edited or removed. ``vendors``: its vendor before and after.
incident_vendor_linked = Event("incident_vendor_linked", "organization", "vendors", "actor", "incident")
