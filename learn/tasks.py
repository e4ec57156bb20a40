"""Project-wide tasks. `ping` lets operators (and the tests) prove a worker consumes the queue."""

import socket

from celery import shared_task


@shared_task(name="learn.ping")
def ping(*, token: str) -> dict:
    """Answer with the token and the worker's host name, so a caller knows which worker ran it."""
    return {"token": token, "hostname": socket.gethostname()}
