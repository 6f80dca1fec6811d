"""Coarse geography: postal codes reduced to their forward sortation area (FSA).

Only the FSA (e.g. "H3B", several thousand households) is ever kept; a full
postal code or a browser position is used for one search and dropped.
"""

import math
import re

from .data.fsa_centroids import FSA_CENTROIDS

# Canadian postal codes: no D, F, I, O, Q, U; no W or Z in first position.
POSTAL_CODE_RE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])\s?([0-9][ABCEGHJ-NPRSTV-Z][0-9])?$"
)
EARTH_RADIUS_KM = 6371.0
# A browser position farther than this from every known area maps to none.
NEAREST_AREA_MAX_KM = 15.0


def area_from_postal_code(value: str) -> str | None:
    """ "h3b 1a1" -> "H3B"; also accepts an FSA alone; None when malformed."""
    match = POSTAL_CODE_RE.match(value.strip().upper())
    return match.group(1) if match else None


def area_centroid(area: str) -> tuple[float, float] | None:
    return FSA_CENTROIDS.get(area)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearest_area(position: tuple[float, float]) -> str | None:
    """The known area whose centre is nearest a position, if one is close enough."""
    best = min(FSA_CENTROIDS.items(), key=lambda item: distance_km(position, item[1]))
    return best[0] if distance_km(position, best[1]) <= NEAREST_AREA_MAX_KM else None


def bounding_box(
    centre: tuple[float, float], radius_km: float
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap database pre-filter."""
    lat, lon = centre
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
