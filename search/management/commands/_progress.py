"""A progress bar on the terminal, without a dependency."""

import time


class ProgressBar:
    def __init__(self, stream, total: int, label: str, width: int = 30):
        self.stream, self.total, self.label, self.width = stream, max(total, 0), label, width
        self.done = 0
        self.started = time.monotonic()

    def __call__(self, count: int) -> None:
        self.done += count
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total and self.done <= self.total:
            filled = int(self.width * self.done / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"{self.label} [{bar}] {self.done}/{self.total}"
        else:
            line = f"{self.label} {self.done}"
        self.stream.write(f"\r{line}  {rate:,.0f}/s", ending="")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")
