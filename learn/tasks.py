"""Project-wide tasks. `ping` lets operators (and the tests) prove a worker consumes the queue."""

import socket
import time

from celery import shared_task

# A ping may take this long at most: enough to show that a task interrupted by a dying worker runs again.
PING_MAX_SECONDS = 120


@shared_task(name="learn.ping")
def ping(*, token: str, seconds: float = 0) -> dict:
    """Answer with the token and the worker's host name, so a caller knows which worker ran it.

    `seconds` keeps the worker busy that long first (at most PING_MAX_SECONDS): an operator can kill the
    worker meanwhile and watch the ping run again on another one (README "Worker and beat").
    """
    time.sleep(min(max(float(seconds), 0), PING_MAX_SECONDS))
    return {"token": token, "hostname": socket.gethostname()}
