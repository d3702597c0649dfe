"""Travel times from an OSRM server's table service, over HTTP with the standard library."""

import http.client
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from planner.travel.core import (
    Point,
    TravelError,
    TravelMatrix,
    ceil_seconds,
    require_vehicle_kind,
    unreachable_error,
)

DEFAULT_OSRM_PROFILES: Mapping[str, str] = MappingProxyType({"van": "driving", "motor": "driving"})
DEFAULT_TIMEOUT_S = 30.0
USER_AGENT = "Keliling/0.1 (perpustakaan keliling route planner)"
# Profile names go into the URL path: keep them to plain identifiers.
PROFILE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
# Six decimals is about 0.1 m, finer than any stop is placed.
COORDINATE_FORMAT = "{lon:.6f},{lat:.6f}"
OK_CODE = "Ok"
HTTP_BAD_REQUEST = 400

Table = list[list[float | None]]


def table_url(base_url: str, profile: str, points: Sequence[Point]) -> str:
    """The OSRM table URL: {base}/table/v1/{profile}/{lon,lat;...}?annotations=duration,distance."""
    coordinates = ";".join(COORDINATE_FORMAT.format(lon=p.lon, lat=p.lat) for p in points)
    return f"{base_url}/table/v1/{profile}/{coordinates}?annotations=duration,distance"


class OsrmProvider:
    """Travel times from an OSRM server (table service), one request per matrix."""

    name = "osrm"

    def __init__(
        self,
        base_url: str,
        profiles: Mapping[str, str] | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            msg = (
                f"Alamat server OSRM tidak valid: '{base_url}'. "
                "Tulis lengkap, misalnya http://127.0.0.1:5000."
            )
            raise TravelError(msg)
        self.base_url = base_url.strip().rstrip("/")
        self.profiles = {**DEFAULT_OSRM_PROFILES, **(profiles or {})}
        for kind, profile in self.profiles.items():
            if not PROFILE_PATTERN.match(profile):
                msg = f"OSRM profile for {kind!r} must be a plain name, got {profile!r}"
                raise ValueError(msg)
        if not (math.isfinite(timeout_s) and timeout_s > 0):
            msg = f"timeout_s must be positive, got {timeout_s}"
            raise ValueError(msg)
        self.timeout_s = timeout_s

    @property
    def cache_key(self) -> str:
        """What identifies this provider's answers: the server and its profiles."""
        profiles = ",".join(f"{k}={v}" for k, v in sorted(self.profiles.items()))
        return f"osrm:{self.base_url}:{profiles}"

    def _label(self, vehicle_kind: str) -> str:
        return f"Server OSRM {self.base_url} (profil {self.profiles[vehicle_kind]})"

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        """Ask the server for durations and distances between every pair of points."""
        require_vehicle_kind(vehicle_kind, self.profiles)
        label = self._label(vehicle_kind)
        if not points:
            return TravelMatrix(self.name, label, vehicle_kind, (), ())
        url = table_url(self.base_url, self.profiles[vehicle_kind], points)
        payload = self._fetch(url)
        durations = self._table(payload, "durations", len(points))
        distances = self._table(payload, "distances", len(points))
        size = range(len(points))
        missing = [
            (i, j)
            for i in size
            for j in size
            if i != j and (durations[i][j] is None or distances[i][j] is None)
        ]
        if missing:
            raise unreachable_error(points, missing, f"server OSRM {self.base_url}")
        return TravelMatrix(
            provider=self.name,
            label=label,
            vehicle_kind=vehicle_kind,
            distance_m=tuple(
                tuple(0 if i == j else round(distances[i][j] or 0.0) for j in size) for i in size
            ),
            duration_s=tuple(
                tuple(0 if i == j else ceil_seconds(durations[i][j] or 0.0) for j in size)
                for i in size
            ),
        )

    def _fetch(self, url: str) -> dict[str, object]:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s)
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                body: bytes = response.read()
        except urllib.error.HTTPError as error:
            with error:
                body = error.read()
            raise self._http_error(error.code, body) from error
        except (OSError, http.client.HTTPException) as error:
            raise self._connection_error(error) from error
        payload = self._decode(body)
        code = payload.get("code")
        if code != OK_CODE:
            raise self._code_error(code, payload.get("message"))
        return payload

    def _connection_error(self, error: Exception) -> TravelError:
        reason = getattr(error, "reason", error)
        if isinstance(error, TimeoutError) or isinstance(reason, TimeoutError):
            msg = (
                f"Server OSRM {self.base_url} tidak menjawab dalam "
                f"{_seconds(self.timeout_s)} detik. "
                "Coba lagi nanti atau gunakan perkiraan garis lurus."
            )
        else:
            msg = (
                f"Server OSRM {self.base_url} tidak dapat dihubungi ({reason}). "
                "Periksa alamat server dan jaringan, atau gunakan perkiraan garis lurus."
            )
        return TravelError(msg)

    def _decode(self, body: bytes) -> dict[str, object]:
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            msg = f"Jawaban server OSRM {self.base_url} bukan JSON yang dapat dibaca."
            raise TravelError(msg) from error
        if not isinstance(payload, dict):
            msg = f"Jawaban server OSRM {self.base_url} tidak berisi tabel perjalanan."
            raise TravelError(msg)
        return payload

    def _code_error(self, code: object, message: object) -> TravelError:
        detail = f": {message}" if message else ""
        msg = (
            f"Server OSRM {self.base_url} menolak permintaan (kode {code}{detail}). "
            "Periksa apakah semua titik berada di wilayah peta server itu."
        )
        return TravelError(msg)

    def _http_error(self, status: int, body: bytes) -> TravelError:
        # OSRM answers bad requests (400) with a JSON code; anything else is the wrong address.
        if status == HTTP_BAD_REQUEST:
            try:
                payload = self._decode(body)
            except TravelError:
                payload = {}
            if "code" in payload:
                return self._code_error(payload["code"], payload.get("message"))
        msg = (
            f"Server OSRM {self.base_url} menjawab dengan galat HTTP {status}. "
            "Periksa alamat server dan nama profil."
        )
        return TravelError(msg)

    def _table(self, payload: Mapping[str, object], key: str, size: int) -> Table:
        try:
            return _parse_table(payload.get(key), size)
        except ValueError as error:
            msg = f"Jawaban server OSRM {self.base_url} tidak berisi tabel '{key}' {size}×{size}."
            raise TravelError(msg) from error


def _parse_table(rows: object, size: int) -> Table:
    """A size×size table of finite non-negative numbers or nulls (unreachable)."""
    if not isinstance(rows, list) or len(rows) != size:
        msg = f"need {size} rows"
        raise ValueError(msg)
    table: Table = []
    for row in rows:
        if not isinstance(row, list) or len(row) != size:
            msg = f"need {size} columns"
            raise ValueError(msg)
        table.append([_parse_entry(value) for value in row])
    return table


def _parse_entry(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"need a number, got {value!r}"
        raise ValueError(msg)
    if not (math.isfinite(value) and value >= 0):
        msg = f"need a finite non-negative number, got {value}"
        raise ValueError(msg)
    return float(value)


def _seconds(duration_s: float) -> str:
    """Seconds with a decimal comma, as written in Indonesian."""
    return f"{duration_s:g}".replace(".", ",")
