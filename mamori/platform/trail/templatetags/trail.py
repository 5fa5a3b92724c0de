from django import template

from mamori.platform.trail import present

register = template.Library()


@register.filter
def actor(label: str) -> str:
    """A stored actor label ('web:a@b.jp') as a person reads it ('a@b.jp（画面）')."""
    return present.actor_text(label)
