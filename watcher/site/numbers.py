"""Numbers as a reader expects them: counts without a decimal point, rates with %, money in
元/万元/亿元. The database keeps the plain number (money in yuan); only pages format it."""

from __future__ import annotations

MONEY_UNITS = ("元", "万元", "亿元")
MONEY_STEPS = ((1e8, "亿元"), (1e4, "万元"))


def plain(value: float | int | None) -> str:
    """14.0 → '14', 92.80 → '92.8', 1234567 → '1234567' (no exponent, no thousands separator)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def as_number(value: float | int | None) -> float | int | None:
    """The value as an int when it is whole, for JSON, CSV and charts."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def split_value(value: float | int | None, unit: str | None) -> tuple[str, str]:
    """The number and the unit a page shows: (14, 次), (92.8, %), money scaled to (3.2, 亿元)."""
    if value is None:
        return "", unit or ""
    if unit in MONEY_UNITS:
        for step, name in MONEY_STEPS:
            if abs(value) >= step:
                return plain(round(value / step, 4)), name
        return plain(value), "元"
    return plain(value), unit or ""


def format_value(value: float | int | None, unit: str | None) -> str:
    """A fact's value with its unit, as a page shows it."""
    return "".join(split_value(value, unit)) if value is not None else ""
