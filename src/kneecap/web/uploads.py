"""Reading an upload's form under a size cap, once for every route that takes files (activity
files on Runs, a clip on Check my form): the guard lets these bodies through unread (`STREAMED`),
so the cap is kept here, while the form is parsed, and the CSRF token is checked as on any form.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect
from starlette.types import Message

from kneecap.web import security

log = logging.getLogger("kneecap.web")

CUT_OFF = "the upload stopped before it was complete: send it again"
STALL_S = 60.0  # an upload that sends nothing for this long is ended (408)
STALLED = "the upload stalled: nothing arrived for a minute; send it again"


class UploadTooBig(Exception):
    """The request body passed its cap while it was being read."""


class UploadStalled(Exception):
    """Nothing of the request body arrived for `STALL_S`."""


def _capped(
    receive: Callable[[], Awaitable[Message]], cap: int
) -> Callable[[], Awaitable[Message]]:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        try:
            message = await asyncio.wait_for(receive(), STALL_S)
        except TimeoutError:
            raise UploadStalled from None
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise UploadTooBig
        return message

    return counted


async def read_form(
    request: Request, cap: int, too_big: str, max_files: int, max_fields: int = 1000
) -> tuple[Request, FormData]:
    """The request as read (close it when done: its files are spooled) and its form, once the
    CSRF token matches (the header, or the form's field); 413 with `too_big` past `cap` bytes,
    whether the client said so in Content-Length or not; 408 when nothing arrives for
    `STALL_S`; 400 when the client goes away midway."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise HTTPException(413, too_big)
    limited = Request(request.scope, _capped(request.receive, cap))
    try:
        header = request.headers.get(security.HEADER)
        if header is not None:
            reason = security.token_reason(request, header)
            if reason is not None:
                raise HTTPException(403, reason)
            form = await limited.form(max_files=max_files, max_fields=max_fields)
        else:
            form = await security.checked_form(limited)
    except UploadTooBig:
        await limited.close()
        raise HTTPException(413, too_big) from None
    except UploadStalled:
        await limited.close()
        log.info("upload stalled: %s %s", request.method, request.url.path)
        raise HTTPException(408, STALLED, headers={"Connection": "close"}) from None
    except ClientDisconnect:  # the connection dropped mid-upload (a phone off its Wi-Fi)
        await limited.close()
        log.info("upload cut off: %s %s", request.method, request.url.path)  # not a fault here
        raise HTTPException(400, CUT_OFF) from None
    except BaseException:
        await limited.close()
        raise
    return limited, form
