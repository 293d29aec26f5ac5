"""What a shopper sees without a staff session: the order status page behind an unguessable
token or the order number and e-mail, in the channel's language (message catalogues, money and
dates by Babel). The returns portal reuses the look-up, the locale and the layout."""

from podium.shopper.locale import (
    DEFAULT_LOCALE,
    LOCALES,
    best_locale,
    long_date,
    moment,
    money,
    pick_locale,
    short_date,
    translations,
)
from podium.shopper.model import (
    STEPS,
    Event,
    Parcel,
    Split,
    StatusPage,
    Step,
    status_page,
)
from podium.shopper.service import (
    Shopper,
    channel_look,
)
from podium.shopper.tokens import (
    derive_key,
    make_token,
    read_token,
)
from podium.shopper.words import (
    LANGUAGE_NAMES,
    N_,
    STATUS_NAMES,
    STEP_NAMES,
)

__all__ = [
    "DEFAULT_LOCALE",
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "STATUS_NAMES",
    "STEPS",
    "STEP_NAMES",
    "Event",
    "Parcel",
    "Shopper",
    "Split",
    "StatusPage",
    "Step",
    "best_locale",
    "channel_look",
    "derive_key",
    "long_date",
    "make_token",
    "moment",
    "money",
    "pick_locale",
    "read_token",
    "short_date",
    "status_page",
    "translations",
]
