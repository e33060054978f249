"""The one error the agent reports: a message on stderr and an exit code."""


class AgentError(Exception):
    """A failure reported on stderr; exit_code 2 means bad usage."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code
