from coaching.demo import DEMO_GROUP, demo_group_ensure
from learn.demo_command import DemoCommand


class Command(DemoCommand):
    help = "Give the demo coach a group with the demo learner and one task. Run after load_demo; safe to run again."
    missing_message = "No demo coach, learner or module yet: run load_demo first."

    def ensure(self):
        return demo_group_ensure()

    def made_message(self, made) -> str:
        return f"Demo group '{DEMO_GROUP}': {'created' if made else 'unchanged'}."
