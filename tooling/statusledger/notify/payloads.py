"""The bodies each channel type is sent: Statuspage webhooks, Slack, Teams, Discord, e-mail.

Webhooks carry the objects of the JSON API (render/api.py) field for field, so a consumer of
Statuspage's webhooks reads them unchanged. The chat services get their own documented message
formats, and e-mail a plain text and an HTML part; all four tell the same things: title,
status, message, affected components with their status, and the link to the incident page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from statusledger.notify.events import ComponentChange, UpdateEvent
from statusledger.records.models import Notification, Page
from statusledger.render.api import StatuspageObjects
from statusledger.views import IncidentView, MaintenanceView, View

Json = dict[str, Any]
DOCUMENTATION = "https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/"
_COLOURS = {
    "none": 0x6C757D,
    "minor": 0xE3A008,
    "major": 0xE8590C,
    "critical": 0xD63031,
    "resolved": 0x2F9E44,
    "maintenance": 0x1C7ED6,
}


@dataclass(frozen=True)
class Outgoing:
    """One message for one channel: its stable id, what it is in words, and its body."""

    key: str
    label: str
    body: Json | EmailMessage


@dataclass(frozen=True)
class Context:
    """What every body needs: the page now (public records only) and its API objects."""

    view: View
    objects: StatuspageObjects

    @classmethod
    def of(cls, view: View) -> Context:
        """The context of a view; its API objects are computed once, not per message."""
        return cls(view, StatuspageObjects(view))

    @property
    def page(self) -> Page:
        """The page's settings."""
        return self.view.page


def _words(value: str) -> str:
    """A status as words: in_progress -> In progress."""
    return value.replace("_", " ").capitalize()


def _flat(text: str) -> str:
    """One line: titles go into headers and chat titles, where a line break has no place."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Summary:
    """What an update says, in words every channel type shows."""

    title: str
    status: str
    message: str
    html: str
    when: str
    window: str | None
    affected: list[str]
    url: str
    colour: int
    page_name: str


def summary(event: UpdateEvent, context: Context) -> Summary:
    """The words of one update: its record's title, status, message, components and link."""
    record, update = event.record, event.update
    zone = ZoneInfo(context.page.timezone)
    changes = {c.component_id: c for c in event.changes}
    affected = []
    for component_id in record.component_ids:
        component = context.view.component(component_id)
        if component is None:
            continue
        change = changes.get(component_id)
        state = (
            f"{_words(change.old.value)} → {_words(change.new.value)}"
            if change
            else _words(component.status.value)
        )
        affected.append(f"{component.name}: {state}")
    window = None
    if isinstance(record, MaintenanceView):
        window = f"{_when(record.start, zone)} – {_when(record.end, zone)}"
        colour = _COLOURS["maintenance"]
    elif isinstance(record, IncidentView) and not record.is_open:
        colour = _COLOURS["resolved"]
    else:
        colour = _COLOURS.get(getattr(record, "impact", "none"), _COLOURS["none"])
    return Summary(
        title=_flat(record.title),
        status=_words(update.status),
        message=update.message,
        html=update.html,
        when=_when(update.at, zone),
        window=window,
        affected=affected,
        url=record.url,
        colour=colour,
        page_name=_flat(context.page.name),
    )


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def label(event: UpdateEvent) -> str:
    """The update in a few words for output: record id, position and status."""
    return f"{event.record.id} update {event.index + 1} ({event.update.status})"


# --- Statuspage webhooks -----------------------------------------------------------------------


def _webhook_head(context: Context) -> Json:
    status = context.objects.status()
    return {
        "meta": {"unsubscribe": context.page.url + "/", "documentation": DOCUMENTATION},
        "page": {
            "id": context.objects.page_id,
            "status_indicator": status["indicator"],
            "status_description": status["description"],
        },
    }


def webhook_incident(event: UpdateEvent, context: Context) -> Json:
    """An incident (or maintenance) update: the incident with every update so far, newest first."""
    return {**_webhook_head(context), "incident": context.objects.incident(event.record)}


def webhook_component(change: ComponentChange, context: Context) -> Json | None:
    """A component status change, with the component as components.json has it."""
    component = context.objects.component(change.component_id)
    if component is None:
        return None
    return {
        **_webhook_head(context),
        "component_update": {
            "created_at": context.objects.timestamp(change.at),
            "new_status": change.new.value,
            "old_status": change.old.value,
            "id": change.id,
            "component_id": component["id"],
        },
        "component": component,
    }


# --- chat --------------------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn reads &, < and > as markup (<!channel> pings everyone)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack(words: Summary) -> Json:
    """A Slack incoming-webhook message: text for notifications, blocks for the client."""
    e = _slack_escape
    lead = f"*{e(words.status)}* · {e(words.when)}"
    if words.window:
        lead += f"\nWindow: {e(words.window)}"
    blocks: list[Json] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(words.title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": lead}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(e(words.message), 3000)}},
    ]
    if words.affected:
        listed = "\n".join(f"• {e(a)}" for a in words.affected)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _clip(f"*Affected components*\n{listed}", 3000)},
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"<{words.url}|View on {e(words.page_name)}>"}],
        }
    )
    text = f"{e(words.title)}: {e(words.status)} — {e(words.message)}"
    return {"text": _clip(text, 3000), "blocks": blocks}


def teams(words: Summary) -> Json:
    """A Microsoft Teams message with an Adaptive Card (Workflows and incoming webhooks)."""
    facts = [{"title": "Status", "value": f"{words.status} · {words.when}"}]
    if words.window:
        facts.append({"title": "Window", "value": words.window})
    if words.affected:
        facts.append({"title": "Affected", "value": "; ".join(words.affected)})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": words.title,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "FactSet", "facts": facts},
            {"type": "TextBlock", "text": words.message, "wrap": True},
        ],
        "actions": [
            {"type": "Action.OpenUrl", "title": f"View on {words.page_name}", "url": words.url}
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def discord(words: Summary, at: datetime) -> Json:
    """A Discord webhook message with one embed; mentions in the text never ping anyone."""
    fields = [{"name": "Status", "value": _clip(words.status, 1024), "inline": True}]
    if words.window:
        fields.append({"name": "Window", "value": _clip(words.window, 1024), "inline": True})
    if words.affected:
        fields.append(
            {"name": "Affected components", "value": _clip("\n".join(words.affected), 1024)}
        )
    embed = {
        "title": _clip(words.title, 256),
        "url": words.url,
        "description": _clip(words.message, 4096),
        "color": words.colour,
        "fields": fields,
        "timestamp": at.isoformat(),
        "footer": {"text": _clip(words.page_name, 2048)},
    }
    return {"embeds": [embed], "allowed_mentions": {"parse": []}}


# --- e-mail ------------------------------------------------------------------------------------


def email(words: Summary, event: UpdateEvent, config: Notification, page: Page) -> EmailMessage:
    """One message per update: plain text and HTML, List-Unsubscribe pointing at the page."""
    host = urlsplit(page.url).hostname or "statusledger.invalid"
    message = EmailMessage()
    message["Subject"] = f"[{words.page_name}] {words.title}: {words.status}"
    message["From"] = config.from_ or ""
    message["To"] = config.to[0] if len(config.to) == 1 else "undisclosed-recipients:;"
    message["Date"] = format_datetime(event.update.at)
    message["Message-ID"] = f"<{event.id}.{config.id}@{host}>"
    message["List-Unsubscribe"] = f"<{page.url}/>"
    message["Auto-Submitted"] = "auto-generated"
    lines = [words.title, f"{words.status} — {words.when}"]
    if words.window:
        lines.append(f"Window: {words.window}")
    lines += ["", words.message, ""]
    if words.affected:
        lines += ["Affected components:", *(f"- {a}" for a in words.affected), ""]
    lines += [
        f"Details: {words.url}",
        "",
        f"You receive this as a subscriber of {words.page_name}. To unsubscribe, see {page.url}/",
    ]
    message.set_content("\n".join(lines) + "\n")
    message.add_alternative(_email_html(words, page), subtype="html")
    return message


def _email_html(words: Summary, page: Page) -> str:
    e = html.escape
    affected = "".join(f"<li>{e(a)}</li>" for a in words.affected)
    window = f"<p>Window: {e(words.window)}</p>" if words.window else ""
    listed = f"<p><strong>Affected components</strong></p><ul>{affected}</ul>" if affected else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{e(words.title)}</title></head><body>"
        f"<h1>{e(words.title)}</h1>"
        f"<p><strong>{e(words.status)}</strong> — {e(words.when)}</p>{window}"
        f"<div>{words.html}</div>{listed}"
        f'<p><a href="{e(words.url)}">View on {e(words.page_name)}</a></p>'
        f"<p><small>You receive this as a subscriber of {e(words.page_name)}. "
        f'<a href="{e(page.url)}/">Unsubscribe</a></small></p>'
        "</body></html>\n"
    )


# --- per channel -------------------------------------------------------------------------------


def messages(config: Notification, event: UpdateEvent, context: Context) -> list[Outgoing]:
    """What one channel is sent for one update, each message with its stable id."""
    said = label(event)
    if config.type == "webhook":
        out = [Outgoing(event.id, said, webhook_incident(event, context))]
        for change in event.changes:
            if config.components is not None and change.component_id not in config.components:
                continue
            body = webhook_component(change, context)
            if body is not None:
                what = f"{change.component_id} {change.old.value} → {change.new.value}"
                out.append(Outgoing(change.id, f"{said}: {what}", body))
        return out
    words = summary(event, context)
    if config.type == "slack":
        return [Outgoing(event.id, said, slack(words))]
    if config.type == "teams":
        return [Outgoing(event.id, said, teams(words))]
    if config.type == "discord":
        return [Outgoing(event.id, said, discord(words, event.update.at))]
    return [Outgoing(event.id, said, email(words, event, config, context.page))]
