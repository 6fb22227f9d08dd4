"""Delivery: JSON over HTTP(S) and e-mail over SMTP, with timeouts and bounded retries.

Only the standard library: urllib.request for webhooks (redirects refused, so a body is never
re-sent as a GET or to another host), smtplib for mail (STARTTLS whenever the server offers
it, implicit TLS with smtps://, and a password only ever sent encrypted unless the server is
on this machine). Errors say what happened in words that never hold the URL: the caller
shows the channel's masked target beside them.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from statusledger import __version__

USER_AGENT = f"statusledger/{__version__} (+notify)"


class SendError(Exception):
    """A delivery failed; `final` when trying again cannot help (a 4xx, a refused login)."""

    def __init__(self, message: str, *, final: bool = False, wait: float | None = None) -> None:
        super().__init__(message)
        self.final = final
        self.wait = wait


@dataclass(frozen=True)
class Retry:
    """How hard to try: attempts in all, the first pause (doubling each time, capped)."""

    attempts: int = 4
    backoff: float = 2.0
    cap: float = 60.0
    timeout: float = 10.0

    def pause(self, attempt: int, asked: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        delay = self.backoff * (2 ** (attempt - 1))
        if asked is not None:  # Retry-After, honoured up to the cap
            delay = max(delay, asked)
        return float(min(delay, self.cap))


def attempt(
    action: Callable[[], None], retry: Retry, sleep: Callable[[float], None] = time.sleep
) -> int:
    """Run `action` until it succeeds, at most `retry.attempts` times; return the tries used."""
    for number in range(1, retry.attempts + 1):
        try:
            action()
            return number
        except SendError as err:
            if err.final or number == retry.attempts:
                raise SendError(
                    f"{err} (attempt {number} of {retry.attempts})", final=True
                ) from None
            sleep(retry.pause(number, err.wait))
    raise AssertionError("unreachable")  # pragma: no cover


# --- HTTP --------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx then surfaces as an HTTPError, reported below


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, body: Any, timeout: float) -> None:
    """POST a JSON body; any 2xx is success, 429 and 5xx may be retried, other codes not."""
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
    except urllib.error.HTTPError as err:
        err.close()
        raise _http_error(err.code, err.headers.get("Retry-After")) from None
    except urllib.error.URLError as err:
        raise SendError(f"could not connect: {_reason(err.reason)}") from None
    except TimeoutError:
        raise SendError(f"no answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as err:
        raise SendError(f"the request failed: {type(err).__name__}") from None
    except ValueError as err:
        raise SendError(f"the request failed: {type(err).__name__}", final=True) from None


def _http_error(code: int, retry_after: str | None) -> SendError:
    if 300 <= code < 400:
        return SendError(
            f"answered HTTP {code} (a redirect); set the variable to the final URL", final=True
        )
    if code == 429 or code >= 500:
        wait = float(retry_after) if retry_after and retry_after.isdigit() else None
        return SendError(f"answered HTTP {code}", wait=wait)
    return SendError(f"answered HTTP {code}; check the URL and the channel's settings", final=True)


def _reason(reason: object) -> str:
    """A connection error in words, without anything of the URL."""
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or 'handshake failed'})"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return type(reason).__name__


# --- SMTP --------------------------------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send_mail(url: str, message: EmailMessage, recipients: list[str], timeout: float) -> None:
    """Send one message through the SMTP server of an smtp:// or smtps:// URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else ""
    implicit = parts.scheme == "smtps"
    port = parts.port or (465 if implicit else 25)
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
            if implicit
            else smtplib.SMTP(host, port, timeout=timeout)
        )
        with client:
            client.ehlo()
            encrypted = implicit
            if not implicit and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                encrypted = True
            if user is not None:
                if not encrypted and not _loopback(host):
                    raise SendError(
                        "the server offers no STARTTLS, and the password would travel "
                        "unencrypted; use smtps:// or a server that offers STARTTLS",
                        final=True,
                    )
                client.login(user, password)
            client.send_message(message, to_addrs=recipients)
    except SendError:
        raise
    except smtplib.SMTPAuthenticationError as err:
        raise SendError(
            f"the SMTP server refused the login ({err.smtp_code})", final=True
        ) from None
    except smtplib.SMTPRecipientsRefused:
        raise SendError("the SMTP server refused every recipient", final=True) from None
    except smtplib.SMTPResponseException as err:
        final = 500 <= err.smtp_code < 600
        raise SendError(f"the SMTP server answered {err.smtp_code}", final=final) from None
    except (smtplib.SMTPException, ssl.SSLError) as err:
        raise SendError(f"SMTP failed: {type(err).__name__}") from None
    except TimeoutError:
        raise SendError(f"no answer from the SMTP server within {timeout:g} s") from None
    except OSError as err:
        raise SendError(f"could not connect to the SMTP server: {_reason(err)}") from None
