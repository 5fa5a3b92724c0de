"""Events of the vendor registry (:mod:`mamori.platform.events`), sent by its actions."""

from mamori.platform.events import Event

#: A vendor's inherent tier was assessed again: after a change to the vendor, one of its
#: entrustments (or a data set entrusted to it), contracts, certifications or contacts.
tier_assessed = Event("tier_assessed", "organization", "vendors", "actor")
