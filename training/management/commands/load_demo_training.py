from learn.demo_command import DemoCommand
from training.demo import DEMO_PROGRAMME, demo_training_ensure


class Command(DemoCommand):
    help = "Demo departments, teams, staff and a required programme. Run after load_demo; safe to run again."
    missing_message = "No demo manager, learner or modules yet: run load_demo first."

    def ensure(self):
        return demo_training_ensure()

    def made_message(self, made) -> str:
        return f"Demo programme '{DEMO_PROGRAMME}': {'created' if made else 'unchanged'}."
