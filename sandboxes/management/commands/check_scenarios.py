import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sandboxes.validation import scenario_problems

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class Command(BaseCommand):
    help = "Check scenario data files (default: every built-in one) and list every problem."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")

    def handle(self, *args, **options):
        files = [Path(name) for name in options["files"]] or sorted(SCENARIO_DIR.glob("*.json"))
        failed = 0
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                self.stderr.write(f"{path}: cannot read: {error}")
                failed += 1
                continue
            problems = scenario_problems(data)
            if problems:
                failed += 1
                self.stderr.write(f"{path}: {len(problems)} problem(s)")
                for problem in problems:
                    self.stderr.write(f"  - {problem}")
            else:
                self.stdout.write(f"{path}: OK")
        if failed:
            raise CommandError(f"{failed} file(s) with problems")
