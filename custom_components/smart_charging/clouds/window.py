"""A sliding window of the requests sent to a cloud that limits them per period."""

from __future__ import annotations

from collections import deque
import time


class RequestWindow:
    """How many requests went to a cloud in the last ``seconds``.

    Easee allows about 500 requests per five minutes per account and blocks clients
    that send more; the coordinator plans its reads against what is left here, and
    every request counts: polls, commands, confirmations and token renewals alike.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._sent: deque[float] = deque()

    def record(self) -> None:
        """A request is being sent now."""
        self._sent.append(time.monotonic())
        self._forget_old()

    def sent(self) -> int:
        """Requests sent within the window, this one excluded."""
        self._forget_old()
        return len(self._sent)

    def _forget_old(self) -> None:
        horizon = time.monotonic() - self.seconds
        while self._sent and self._sent[0] <= horizon:
            self._sent.popleft()
