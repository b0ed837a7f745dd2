"""The errors the public-data clients raise, each with a message a Swedish operator can act on."""

from __future__ import annotations


class PublicDataError(Exception):
    """Base class: something went wrong fetching or reading public statistics."""


class FetchError(PublicDataError):
    """The publisher could not be reached, or kept failing after the retries."""


class HttpStatusError(FetchError):
    """The publisher answered with an HTTP error that retrying will not fix (4xx)."""

    def __init__(self, status: int, url: str) -> None:
        self.status = status
        self.url = url
        super().__init__(f"{url} svarade med HTTP {status}")


class ResponseFormatError(PublicDataError):
    """The answer is not in the publisher's documented format: changed API or broken response.

    Raised before anything is stored, so a half-understood answer never reaches the database.
    """

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"oväntat svar från {url}: {problem}")


class UnknownKpiError(PublicDataError):
    """Kolada does not know the KPI id."""

    def __init__(self, kpi_id: str) -> None:
        self.kpi_id = kpi_id
        super().__init__(f"Kolada känner inte till nyckeltalet '{kpi_id}'")


class UnknownTableError(PublicDataError):
    """The table or one of the values asked for does not exist in a PxWeb database."""


class NoRecordingError(PublicDataError):
    """Offline mode: no recorded response matches the request."""

    def __init__(self, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(
            f"offline: det finns inget inspelat svar för {method} {url} "
            "(kör utan --offline för att hämta från källan)"
        )
