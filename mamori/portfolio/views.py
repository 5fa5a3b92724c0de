from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from mamori.portfolio.queries import portfolio


@login_required
def portfolio_view(request):
    """Every organization the user belongs to, on one page (no organization needs to be chosen:
    each row switches to its client's organization and opens the page)."""
    return render(request, "portfolio/portfolio.html", {"p": portfolio(request.user, timezone.localdate())})
