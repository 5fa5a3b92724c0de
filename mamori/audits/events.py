"""Events of the audits (:mod:`mamori.platform.events`), sent by their actions."""

from mamori.platform.events import Event

#: The open findings of a vendor may have changed: a finding opened, edited, closed (its last
#: corrective action done) or reopened, or removed; or an audit, with its findings, saved or removed.
finding_changed = Event("finding_changed", "organization", "vendors", "actor")
