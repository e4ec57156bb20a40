"""Helpers shared by the accounts tests."""

SIGN_IN = "/en/account/login/"
STEP_TWO = "/en/account/login/learner/"


def code_of(new) -> str:
    return new.learner.learner_sign_in.code


def pictures_data(secret: str) -> dict:
    return {f"picture_{position}": key for position, key in enumerate(secret.split(","), start=1)}


def wrong_pin(pin: str) -> str:
    return "1357" if pin != "1357" else "2468"


def sign_in_with_code(client, code: str, data: dict, *, language: str = "en", address: str = "127.0.0.1"):
    """Both steps, the way a browser does them; returns the answer to step 2."""
    step_one = client.post(f"/{language}/account/login/", {"learner_code": code}, REMOTE_ADDR=address)
    assert step_one.status_code == 302, step_one.content.decode()[:2000]
    return client.post(f"/{language}/account/login/learner/", data, REMOTE_ADDR=address)
