from group_sessions.demo import demo_sessions_ensure
from learn.demo_command import DemoCommand


class Command(DemoCommand):
    help = "Make the demo group sessions and sign the demo learner up for one. Run after load_demo_training; safe to run again."
    missing_message = "No demo coach, learner, library or module yet: run load_demo first."

    def ensure(self):
        return demo_sessions_ensure()

    def made_message(self, made) -> str:
        return f"Demo sessions: {made} made."
