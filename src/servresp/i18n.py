"""The language of everything servresp prints for people: English, Chinese, Traditional Chinese.

Messages are gettext catalogs compiled by Babel (``locale/<lang>/LC_MESSAGES/servresp.mo``,
see ``docs/i18n.md``); the language in force is a context variable, so the sentences built
deep inside a stage (the tracer's *why*) follow the caller's `use` without a ``lang``
argument on every function. English is the msgid itself: with ``en`` every text is exactly
what it was before translation existed. ``zh_Hant`` reads a ``zh_Hant`` catalog where one is
installed and falls back to the simplified ``zh`` messages (and the model's ``zh`` texts)
for the rest — a Chinese reader is never handed English.

Numbers, percentages and dates go through Babel's per-locale formatting for Chinese; for
English they keep the plain Python formats the golden outputs were written with.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import gettext as _gettext
    from decimal import Decimal

__all__ = ["DOMAIN", "LANGS", "LOCALE_DIR", "N_", "WORDS", "check_lang", "columns", "current", "date",
           "decimal", "default_lang", "gettext", "ljust", "ngettext", "number", "percent", "pick", "rjust",
           "translated", "use"]

LANGS = ("en", "zh", "zh_Hant")
"""The languages servresp prints: English, simplified Chinese, Traditional Chinese."""
DOMAIN = "servresp"
"""The gettext domain: the catalogs' file name."""
LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the compiled catalogs live (package data)."""

_CHAIN: Mapping[str, tuple[str, ...]] = {"en": (), "zh": ("zh",), "zh_Hant": ("zh", "zh_Hant")}
"""The catalogs each language reads, most general first (later ones win)."""
_BABEL = {"zh": "zh_Hans_CN", "zh_Hant": "zh_Hant_TW"}
"""The Babel locale that formats numbers and dates for each Chinese language."""
_TRADITIONAL_REGIONS = ("tw", "hk", "mo")

_LANG: ContextVar[str] = ContextVar("servresp_lang", default="en")


def translated(messages: Mapping[str, str], lang: str) -> dict[str, str]:
    """Return a table of msgids (marked with `N_`) with each message in ``lang``."""
    with use(lang):
        return {key: gettext(message) for key, message in messages.items()}


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark ``message`` for extraction without translating it (translate where it is used)."""
    return message


WORDS = (
    N_("breached"), N_("at_risk"), N_("ok"),
    N_("accountable"), N_("responsible"), N_("consulted"), N_("informed"),
    N_("upstream"), N_("management"), N_("escape"), N_("error"), N_("warning"),
    N_("unit"), N_("duty"), N_("duty or promise"), N_("tier"), N_("metric"), N_("event"),
    N_("month"), N_("week"), N_("day"),
    N_("department"), N_("team"), N_("internal"), N_("external"), N_("both"),
    N_("standard"), N_("aspiration"),
)
"""Words that reach the printed text as data (statuses, roles, kinds): ``gettext(str(role))``."""


class Bilingual(Protocol):
    """A model text: English and Chinese (`servresp.model.classes.Text`)."""

    @property
    def en(self) -> str:
        """English."""

    @property
    def zh(self) -> str:
        """Chinese."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if servresp speaks it, else raise `ValueError` naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def current() -> str:
    """Return the language in force: the innermost `use`, English outside any."""
    return _LANG.get()


@contextlib.contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Print in ``lang`` inside the block (``None`` keeps the language in force)."""
    token = _LANG.set(check_lang(lang) if lang is not None else _LANG.get())
    try:
        yield _LANG.get()
    finally:
        _LANG.reset(token)


def default_lang(environ: Mapping[str, str]) -> str:
    """Return the language for no ``--lang``: SERVRESP_LANG, then the locale, else English.

    The locale is the first set of LC_ALL, LC_MESSAGES and LANG (POSIX order); ``zh_CN``,
    ``zh_SG`` and plain ``zh`` give ``zh``; ``zh_TW``, ``zh_HK``, ``zh_MO`` and ``zh_Hant``
    give ``zh_Hant``; anything else (``C.UTF-8``, ``en_GB``, unset) gives ``en``.
    """
    chosen = environ.get("SERVRESP_LANG", "")
    if not chosen:
        chosen = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "")
    return _from_locale(chosen)


def _from_locale(name: str) -> str:
    tag = name.split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    parts = tag.split("_")
    if parts[0] != "zh":
        return "en"
    return "zh_Hant" if "hant" in parts or any(p in _TRADITIONAL_REGIONS for p in parts) else "zh"


@functools.cache
def _catalog(lang: str) -> _gettext.NullTranslations:
    import gettext as _gettext  # noqa: PLC0415 - English, the msgids themselves, needs no catalog

    found: _gettext.NullTranslations = _gettext.NullTranslations()
    for name in _CHAIN[lang]:
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.is_file():
            with path.open("rb") as stream:
                catalog = _gettext.GNUTranslations(stream)
            catalog.add_fallback(found)
            found = catalog
    return found


def gettext(message: str) -> str:
    """Return ``message`` in the language in force (itself in English)."""
    lang = current()
    return message if lang == "en" else _catalog(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Return the singular or plural form of a message for ``count``, translated."""
    lang = current()
    if lang == "en":  # gettext's own rule without a catalog
        return singular if count == 1 else plural
    return _catalog(lang).ngettext(singular, plural, count)


def pick(text: Bilingual, lang: str | None = None) -> str:
    """Return a model text in ``lang`` (default: the language in force); ``zh_Hant`` reads ``zh``.

    The model carries English and Chinese as the sources write them (simplified); a
    Traditional Chinese reader gets the Chinese text, not the English.
    """
    return text.en if (lang or current()) == "en" else text.zh


def _babel_locale() -> str | None:
    return _BABEL.get(current())


@functools.cache
def _numbers(locale: str, pattern: str) -> Callable[[Decimal], str]:
    """Babel's formatter for ``pattern`` in ``locale``, parsed once (Babel loads locale data only here)."""
    from babel import Locale  # noqa: PLC0415 - Babel is imported only when Chinese is printed
    from babel.numbers import parse_pattern  # noqa: PLC0415

    parsed, where = parse_pattern(pattern), Locale.parse(locale)
    return lambda value: parsed.apply(value, where)


def percent(value: float, digits: int = 2) -> str:
    """Format a fraction as a percentage with ``digits`` decimals: ``14.50%``."""
    locale = _babel_locale()
    if locale is None:
        return f"{value:.{digits}%}"
    from decimal import Decimal  # noqa: PLC0415 - only Chinese figures go through Babel

    rounded = Decimal(f"{value * 100:.{digits}f}") / 100  # Python's rounding, as the English figure
    return _numbers(locale, "0." + "0" * digits + "%" if digits else "0%")(rounded)


def decimal(value: float, digits: int = 4) -> str:
    """Format a number with exactly ``digits`` decimals: ``0.4714``."""
    locale = _babel_locale()
    if locale is None:
        return f"{value:.{digits}f}"
    from decimal import Decimal  # noqa: PLC0415 - only Chinese figures go through Babel

    rounded = Decimal(f"{value:.{digits}f}")  # Python's rounding (of the binary value), as in English
    return _numbers(locale, "0." + "0" * digits if digits else "0")(rounded)


def number(value: float) -> str:
    """Format a measured value as briefly as it reads: ``0.84``, ``1200``."""
    plain = f"{value:g}"
    locale = _babel_locale()
    if locale is None or "e" in plain or "n" in plain:  # 1e-07, inf, nan: no locale writes these better
        return plain
    from decimal import Decimal  # noqa: PLC0415 - only Chinese figures go through Babel

    return _numbers(locale, "0.##########")(Decimal(plain))


def date(value: dt.date) -> str:
    """Format a day: ``2026-10-03`` in English, ``2026年10月3日`` in Chinese."""
    locale = _babel_locale()
    if locale is None:
        return value.isoformat()
    from babel.dates import format_date  # noqa: PLC0415

    return format_date(value, "long", locale=locale)


def columns(text: str) -> int:
    """Return how many terminal columns ``text`` takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ljust(text: str, width: int) -> str:
    """Pad ``text`` on the right to ``width`` columns (`str.ljust` for text in any language)."""
    return text + " " * max(0, width - columns(text))


def rjust(text: str, width: int) -> str:
    """Pad ``text`` on the left to ``width`` columns."""
    return " " * max(0, width - columns(text)) + text
