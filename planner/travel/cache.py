"""A cache in front of any travel provider: in memory, and optionally as JSON files on disk."""

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from planner.travel.core import Point, TravelMatrix, TravelProvider

logger = logging.getLogger(__name__)

# Six decimals is about 0.1 m: points that close share a cached matrix.
COORDINATE_DECIMALS = 6
MEMORY_CACHE_ENTRIES = 32
CACHE_FORMAT_VERSION = 1
CacheKey = tuple[str, str, str, tuple[tuple[float, float], ...]]


def provider_key(provider: TravelProvider) -> str:
    """A provider's configuration key (its `cache_key` if it has one, else its name)."""
    key = getattr(provider, "cache_key", None)
    return key if isinstance(key, str) else provider.name


class CachedProvider:
    """Wraps a provider and reuses its matrices for the same region, vehicle and points."""

    def __init__(self, inner: TravelProvider, region: str, cache_dir: Path | None = None) -> None:
        if not region.strip():
            msg = "region must not be empty: it keeps the matrices of different regions apart"
            raise ValueError(msg)
        self.inner = inner
        self.name = inner.name
        self.region = region
        self.cache_dir = cache_dir
        self._memory: OrderedDict[CacheKey, TravelMatrix] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def cache_key(self) -> str:
        """The wrapped provider's key, so caches can be stacked."""
        return provider_key(self.inner)

    def key(self, points: Sequence[Point], vehicle_kind: str) -> CacheKey:
        """The cache key: region, provider configuration, vehicle kind and rounded points."""
        rounded = tuple(
            (round(p.lat, COORDINATE_DECIMALS), round(p.lon, COORDINATE_DECIMALS)) for p in points
        )
        return (self.region, provider_key(self.inner), vehicle_kind, rounded)

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        """The cached matrix for these points, asking the wrapped provider only on a miss."""
        key = self.key(points, vehicle_kind)
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                return found
        found = self._read_disk(key)
        if found is None:
            found = self.inner.matrix(points, vehicle_kind)
            self._write_disk(key, found)
        with self._lock:
            self._memory[key] = found
            while len(self._memory) > MEMORY_CACHE_ENTRIES:
                self._memory.popitem(last=False)
        return found

    def _path(self, key: CacheKey) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
        return self.cache_dir / f"{self.inner.name}-{key[2]}-{digest}.json"

    def _read_disk(self, key: CacheKey) -> TravelMatrix | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored["version"] != CACHE_FORMAT_VERSION or stored["key"] != _jsonable(key):
                return None
            return _matrix_from_json(stored["matrix"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            # A damaged cache file is recomputed and overwritten, never fatal.
            logger.warning("ignoring unreadable travel cache file %s: %s", path, error)
            return None

    def _write_disk(self, key: CacheKey, matrix: TravelMatrix) -> None:
        path = self._path(key)
        if path is None:
            return
        stored = {"version": CACHE_FORMAT_VERSION, "key": key, "matrix": asdict(matrix)}
        temporary: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a concurrent reader never sees half a file.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as handle:
                temporary = Path(handle.name)
                json.dump(stored, handle)
            os.replace(temporary, path)
        except OSError as error:
            # The matrix is still good: a cache that cannot be written only costs time.
            logger.warning("could not write travel cache file %s: %s", path, error)
            if temporary is not None:
                temporary.unlink(missing_ok=True)


def _jsonable(key: CacheKey) -> object:
    """The key as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(key))


def _matrix_from_json(data: dict[str, object]) -> TravelMatrix:
    def rows(name: str) -> tuple[tuple[int, ...], ...]:
        value = data[name]
        if not isinstance(value, list):
            msg = f"{name} must be a list of rows"
            raise TypeError(msg)
        return tuple(tuple(int(v) for v in row) for row in value)

    return TravelMatrix(
        provider=str(data["provider"]),
        label=str(data["label"]),
        vehicle_kind=str(data["vehicle_kind"]),
        distance_m=rows("distance_m"),
        duration_s=rows("duration_s"),
    )
