from __future__ import annotations

from mamori.platform.web.forms import OrgModelForm
from mamori.standards.models import RequiredStar


class RequiredStarForm(OrgModelForm):
    class Meta:
        model = RequiredStar
        fields = ["entrustment", "level", "reason"]
