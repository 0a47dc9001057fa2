"""The progress bar of the management commands: tqdm on the command's own stdout."""

from tqdm import tqdm

BAR_FORMAT = "{desc}[{bar:30}] {n_fmt}/{total_fmt}  {rate_fmt}"


class _Unterminated:
    """A command's OutputWrapper ends each write with a newline; tqdm redraws with "\\r"."""

    def __init__(self, output):
        self.output = output

    def write(self, text: str) -> None:
        self.output.write(text, ending="")

    def flush(self) -> None:
        self.output.flush()


def progress_bar(output, total: int, label: str = "") -> tqdm:
    # mininterval=0 draws every update: the callers already report in batches, and tests read them.
    return tqdm(
        total=max(total, 0),
        desc=f"{label} " if label else "",
        file=_Unterminated(output),
        bar_format=BAR_FORMAT,
        ascii="-#",
        mininterval=0,
    )
