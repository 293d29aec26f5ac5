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
from podium.shopper.portal import (
    PortalForm,
    PortalLine,
    PortalRequest,
    PortalVariant,
    ReturnPage,
    portal_form,
    return_page,
    submit_return,
)
from podium.shopper.service import (
    Shopper,
    Style,
    channel_look,
    channel_style,
)
from podium.shopper.tokens import (
    derive_key,
    make_token,
    read_token,
)
from podium.shopper.words import (
    LANGUAGE_NAMES,
    N_,
    REASON_NAMES,
    RETURN_STATUS_NAMES,
    STATUS_NAMES,
    STEP_NAMES,
    reason_name,
)

__all__ = [
    "DEFAULT_LOCALE",
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "REASON_NAMES",
    "RETURN_STATUS_NAMES",
    "STATUS_NAMES",
    "STEPS",
    "STEP_NAMES",
    "Event",
    "Parcel",
    "PortalForm",
    "PortalLine",
    "PortalRequest",
    "PortalVariant",
    "ReturnPage",
    "Shopper",
    "Split",
    "StatusPage",
    "Step",
    "Style",
    "best_locale",
    "channel_look",
    "channel_style",
    "derive_key",
    "long_date",
    "make_token",
    "moment",
    "money",
    "pick_locale",
    "portal_form",
    "read_token",
    "reason_name",
    "return_page",
    "short_date",
    "status_page",
    "submit_return",
    "translations",
]
