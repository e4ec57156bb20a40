"""SMS backends for tests: one that keeps messages in a list."""

SENT: list = []


class ListSmsBackend:
    def send_messages(self, messages):
        SENT.extend(messages)
        return len(messages)
