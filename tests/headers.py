"""Reading response headers the way a browser does."""


def csp_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}, whatever order the directives come in."""
    parts = (part.split() for part in header.split(";"))
    return {words[0]: words[1:] for words in parts if words}
