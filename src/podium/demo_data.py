"""The demo store and its shoppers: pure data and seeded generators, no I/O.

``podium demo`` (see :mod:`podium.demo`) feeds what these functions produce through the real
services. Everything random comes from the ``random.Random`` passed in, so a seed gives the
same store and the same day.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from podium.money import format_amount
from podium.orders import CustomerIn, LineIn, OrderIntake
from podium.validation import Address

__all__ = [
    "DC_SHARES",
    "STORE",
    "WAREHOUSES",
    "PlannedOrder",
    "ProductSpec",
    "SiteSpec",
    "StockPlan",
    "catalogue",
    "plan_day",
    "stock_plan",
    "tracking",
]


@dataclass(frozen=True, slots=True)
class SiteSpec:
    code: str
    name: str
    line1: str
    city: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    priority: int


# Lower priority ships first when distances tie; the store ships web orders only as a last resort.
WAREHOUSES = (
    SiteSpec("EWR", "Newark DC", "200 Doremus Ave", "Newark", "NJ", "07114", 40.708, -74.189, 10),
    SiteSpec("DFW", "Dallas DC", "2400 Irving Blvd", "Dallas", "TX", "75212", 32.783, -96.871, 20),
    SiteSpec("RNO", "Reno DC", "1200 E Glendale Ave", "Reno", "NV", "89502", 39.497, -119.776, 30),
    SiteSpec("ATL", "Atlanta store", "675 Ponce De Leon Ave NE", "Atlanta", "GA", "30308",
             33.772, -84.376, 60),
)  # fmt: skip
STORE = WAREHOUSES[3]
DC_SHARES = (("EWR", 0.42), ("DFW", 0.30), ("RNO", 0.28))
SCARCE = 0.18  # share of SKUs stocked well below a day's demand
STORE_TAX = 8900  # 8.9 %, in thousandths of a per cent


@dataclass(frozen=True, slots=True)
class ProductSpec:
    sku: str
    name: str
    weight_grams: int
    price_cents: int
    popularity: float
    in_store: bool


_APPAREL_SIZES = (("XS", 0.4), ("S", 0.9), ("M", 1.5), ("L", 1.4), ("XL", 0.9), ("XXL", 0.4))
_SOCK_SIZES = (("SM", 1.0), ("LXL", 1.0))
_COLOURS = {
    "BLK": "Black", "WHT": "White", "HGR": "Heather Grey", "NVY": "Navy", "FOR": "Forest",
    "MAR": "Maroon", "SND": "Sand", "RYL": "Royal Blue", "OLV": "Olive", "RST": "Rust",
    "CRM": "Cream", "CHR": "Charcoal", "PNK": "Dusty Pink", "MST": "Mustard",
}  # fmt: skip
# (sku prefix, name, colour codes or designs, sizes, grams, price in cents, popularity, in store)
_Family = tuple[str, str, tuple[str, ...], tuple[tuple[str, float], ...], int, int, float, bool]
_FAMILIES: tuple[_Family, ...] = (
    ("TEE-CLS", "Classic Tee", ("BLK", "WHT", "HGR", "NVY", "FOR", "MAR", "SND", "RYL"),
     _APPAREL_SIZES, 180, 2400, 3.0, True),
    ("TEE-PKT", "Organic Pocket Tee", ("WHT", "BLK", "OLV", "CRM", "RST"),
     _APPAREL_SIZES, 170, 2800, 1.6, True),
    ("TEE-LS", "Long Sleeve Tee", ("BLK", "WHT", "NVY", "CHR"), _APPAREL_SIZES, 230, 3400, 1.0,
     False),
    ("HD-PUL", "Heavyweight Pullover Hoodie", ("BLK", "HGR", "NVY", "FOR", "SND"),
     _APPAREL_SIZES, 620, 6400, 1.8, True),
    ("HD-ZIP", "Zip Hoodie", ("BLK", "CHR", "NVY", "MAR"), _APPAREL_SIZES, 680, 7200, 0.9, False),
    ("CRW", "Crewneck Sweatshirt", ("HGR", "CRM", "FOR", "PNK"), _APPAREL_SIZES, 540, 5400, 1.0,
     False),
    ("CAP-DAD", "Dad Cap", ("BLK", "NVY", "SND", "FOR", "PNK", "WHT", "OLV", "MAR"), (), 90, 2600,
     1.3, True),
    ("CAP-TRK", "Trucker Cap", ("BLK", "NVY", "WHT", "RYL", "RST", "CHR"), (), 110, 2800, 0.8,
     True),
    ("BNE", "Cuffed Beanie", ("BLK", "HGR", "MST", "FOR", "RST", "NVY"), (), 80, 2200, 0.8, True),
    ("MUG-11", "Ceramic Mug 11 oz", ("LOGO", "STRIPE", "SUNSET", "PINE", "WAVE", "CITY", "SPECKLE",
     "MONO"), (), 350, 1600, 1.4, True),
    ("MUG-15", "Ceramic Mug 15 oz", ("LOGO", "STRIPE", "SUNSET", "PINE", "WAVE", "MONO"), (), 450,
     1900, 0.8, True),
    ("MUG-ENM", "Enamel Camp Mug", ("WHT", "BLK", "FOR", "NVY", "MST", "CRM"), (), 220, 1800, 0.7,
     True),
    ("TOTE", "Canvas Tote", ("CRM", "BLK", "NVY", "FOR", "SND", "RST"), (), 200, 2000, 0.7, True),
    ("SOCK", "Crew Socks", ("STRIPE", "LOGO", "CHECK", "DOTS"), _SOCK_SIZES, 70, 1400, 0.9, False),
    ("STK", "Sticker Pack", ("CLASSIC", "RETRO", "NATURE", "CITY", "PIXEL", "HOLO"), (), 20, 600,
     0.6, True),
)  # fmt: skip


def catalogue() -> list[ProductSpec]:
    """The demo catalogue: 240 SKUs over fifteen families, best sellers weighted up."""
    products = []
    for prefix, name, variants, sizes, grams, cents, pop, in_store in _FAMILIES:
        for i, variant in enumerate(variants):
            label = _COLOURS.get(variant, variant.title())
            for size, size_pop in sizes or (("", 1.0),):
                sku = "-".join(part for part in (prefix, variant, size) if part)
                title = f"{name} — {label}" + (f" / {size}" if size else "")
                size_grams = grams + {"XL": 20, "XXL": 40}.get(size, 0)
                weight = pop * size_pop / (1 + 0.35 * i)
                products.append(ProductSpec(sku, title, size_grams, cents, weight, in_store))
    return products


@dataclass(frozen=True, slots=True)
class StockPlan:
    receipts: list[tuple[str, str, int]]  # sku, warehouse, units
    scarce: list[str]
    safety: list[tuple[str, str, int]]
    shelf: list[str]  # what the store carries, so the till only sells what is there


def _demand(products: list[ProductSpec], orders: int) -> dict[str, float]:
    units = orders * 2.0  # about two units an order
    total = sum(p.popularity for p in products)
    return {p.sku: units * p.popularity / total for p in products}


def stock_plan(rng: Random, products: list[ProductSpec], orders: int) -> StockPlan:
    """Skewed stock sized for a day of ``orders``: most SKUs plenty, some scarce, gaps."""
    demand = _demand(products, orders)
    receipts: list[tuple[str, str, int]] = []
    scarce: list[str] = []
    shelf: list[str] = []
    for p in products:
        roll = rng.random()
        factor = rng.uniform(0.0, 0.3) if roll < SCARCE else rng.uniform(1.3, 3.0)
        if roll < SCARCE:
            scarce.append(p.sku)
        for wh, share in DC_SHARES:
            if rng.random() < 0.18:
                continue  # none at this warehouse
            extra = 0 if roll < SCARCE else rng.randint(1, 4)
            units = round(demand[p.sku] * factor * share) + extra
            if units:
                receipts.append((p.sku, wh, units))
        if p.in_store and rng.random() < 0.8:
            shelf.append(p.sku)
            receipts.append((p.sku, STORE.code, round(demand[p.sku] * 0.35) + rng.randint(1, 3)))
    top = sorted(products, key=lambda p: -p.popularity)[:6]
    safety = [(p.sku, "EWR", rng.randint(2, 5)) for p in top]
    return StockPlan(receipts, scarce, safety, shelf)


def restock(
    rng: Random, products: list[ProductSpec], scarce: list[str], orders: int
) -> list[tuple[str, str, int]]:
    """A mid-day delivery of the scarce SKUs to the two eastern DCs."""
    demand = _demand(products, orders)
    return [
        (sku, wh, max(3, round(demand[sku] * rng.uniform(0.3, 0.8))))
        for sku in scarce
        for wh in ("EWR", "DFW")
    ]


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


# city|state|ZIP codes|weight|combined sales-tax rate in per cent; entries split on ; and lines
_CITY_TABLE = """
New York|NY|10001 10011 10025|9|8.875; Brooklyn|NY|11215 11211 11238|5|8.875
Los Angeles|CA|90012 90026 90034|7|9.5; Venice|CA|90291|1|9.5; San Diego|CA|92101 92104|3|7.75
San Francisco|CA|94103 94110|4|8.625; Oakland|CA|94607|2|10.25; Sacramento|CA|95814|2|8.75
Chicago|IL|60614 60622 60647|6|10.25; Houston|TX|77002 77006|5|8.25; Austin|TX|78701 78704|3|8.25
San Antonio|TX|78205|3|8.25; Dallas|TX|75201 75206|4|8.25; Phoenix|AZ|85004 85016|4|8.6
Philadelphia|PA|19103 19147|4|8; Pittsburgh|PA|15222|2|7; Boston|MA|02116 02130|3|6.25
Washington|DC|20001 20009|3|6; Baltimore|MD|21201|2|6; Richmond|VA|23219|1|6
Atlanta|GA|30308 30306 30318|4|8.9; Miami|FL|33130 33131|4|7; Orlando|FL|32801|2|6.5
Tampa|FL|33602|2|7.5; Tallahassee|FL|32301|1|7.5; Charlotte|NC|28202|2|7.25
Raleigh|NC|27601|2|7.25; Charleston|SC|29401|1|9; Nashville|TN|37203|2|9.25
Memphis|TN|38103|1|9.75; Louisville|KY|40202|1|6; Indianapolis|IN|46204|2|7
Columbus|OH|43215|2|7.5; Cleveland|OH|44113|1|8; Detroit|MI|48226|2|6; Milwaukee|WI|53202|1|5.5
Minneapolis|MN|55401|2|8.025; Des Moines|IA|50309|1|7; Omaha|NE|68102|1|7
Saint Louis|MO|63101|1|9.679; Kansas City|MO|64106|1|8.85; Kansas City|KS|66101|1|9.125
Oklahoma City|OK|73102|1|8.625; Tulsa|OK|74103|1|8.517; Little Rock|AR|72201|1|9
New Orleans|LA|70130|2|9.45; Birmingham|AL|35203|1|10; Jackson|MS|39201|1|8
Denver|CO|80202 80205|3|8.81; Salt Lake City|UT|84101|2|7.75; Park City|UT|84060|1|9.05
Albuquerque|NM|87102|1|7.875; Las Vegas|NV|89101|2|8.375; Reno|NV|89502|1|8.265
Boise|ID|83702|1|6; Missoula|MT|59801|1|0; Cheyenne|WY|82001|1|6; Sioux Falls|SD|57104|1|6.2
Fargo|ND|58102|1|7.5; Portland|OR|97209 97214|3|0; Seattle|WA|98101 98122|4|10.35
Anchorage|AK|99501|1|0; Honolulu|HI|96813|1|4.712; Kailua Kona|HI|96740|1|4.712
Buffalo|NY|14202|1|8.75; Albany|NY|12207|1|8; New Haven|CT|06510|1|6.35; Manchester|NH|03101|1|0
Portland|ME|04101|1|5.5; Burlington|VT|05401|1|7
"""
_CITIES = tuple(
    (city, state, tuple(zips.split()), int(weight), int(Decimal(tax) * 1000))
    for city, state, zips, weight, tax in (
        row.strip().split("|") for row in _CITY_TABLE.replace("\n", ";").split(";") if row.strip()
    )
)
_FIRST = _words(
    "Olivia Liam Emma Noah Ava Elijah Sophia James Isabella William Mia Benjamin Charlotte Lucas "
    "Amelia Henry Harper Theodore Evelyn Mateo Abigail Jack Emily Levi Ella Daniel Camila Michael "
    "Luna Sebastian Sofia Ethan Avery Jackson Aria Aiden Scarlett Samuel Chloe Carlos Priya Wei "
    "Aaliyah Jamal Mei Diego Fatima Hiroshi Nia Omar Grace Andre Zoe Marcus Leah Ravi Ingrid "
    "Tomás"
)
_LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Nguyen Hill Flores "
    "Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Patel Kim O'Brien Chen "
    "Okafor Schmidt Rossi Kowalski Haddad Yamamoto Dubois"
)
_STREETS = _words(
    "Maple Ave, Oak St, Pine St, Cedar Ln, Elm St, Washington Ave, Lake Dr, Hill Rd, Park Pl, "
    "Main St, 2nd Ave, Sunset Blvd, River Rd, Highland Ave, Church St, Willow Way, Broadway, "
    "Spring St, Jefferson St, Madison Ave, Forest Dr, Lincoln Ave, Meadow Ln, "
    "Union St",
    ", ",
)
_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com",
            "hotmail.com", "proton.me", "aol.com", "fastmail.com")  # fmt: skip
_NOTES = ("Please leave the parcel with the doorman.", "Gift: please leave out the receipt.",
          "Ring the bell, the buzzer is broken.", "Side door, not the front porch.",
          "It's a birthday present, any chance it arrives by Friday?")  # fmt: skip
SUPPORT_NOTES = ("Customer called to confirm the size; no change needed.",
                 "Customer asked about delivery time; told 3-5 business days.",
                 "Address double-checked with the customer by e-mail.",
                 "Customer wants to add a gift message: 'Happy birthday, Sam!'")  # fmt: skip
HOLD_NOTES = ("Customer asked to change the size; waiting for their reply.",
              "Billing and shipping names differ; verifying with the customer.",
              "Large order from a new customer; checking before release.")  # fmt: skip
CANCEL_REASONS = ("customer changed their mind", "duplicate order", "ordered the wrong size",
                  "payment declined", "found it cheaper elsewhere")  # fmt: skip
# Share of web orders per hour of the US-Eastern clock: quiet overnight, busy in the evening.
_WEB_HOURS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 8, 9, 9, 8, 8, 8, 9, 10, 12, 13, 12, 9, 5)
_POS_HOURS = tuple(5 if 10 <= h < 21 else 0 for h in range(24))
_EASTERN = timedelta(hours=-5)


@dataclass(frozen=True, slots=True)
class PlannedOrder:
    intake: OrderIntake
    cancel: str | None  # a reason, when the customer cancels later in the day
    hold: str | None  # a note, when operations put the order on hold
    note: str | None  # a note support adds after a call


def _when(rng: Random, hours: tuple[int, ...], end: datetime) -> datetime:
    """A moment in the 24 h before ``end`` (a whole hour) whose Eastern clock hour follows
    ``hours``. Whole hours keep a seed's day identical whenever in the same hour it is run."""
    hour = rng.choices(range(24), weights=hours)[0]
    at = (end + _EASTERN).replace(hour=hour) - _EASTERN + timedelta(seconds=rng.random() * 3600)
    return at - timedelta(days=1) if at >= end else at


def _customer(rng: Random) -> tuple[CustomerIn, Address, int]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    city, state, zips, _, tax = rng.choices(_CITIES, weights=[c[3] for c in _CITIES])[0]
    local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower().replace("á", "a"))
    if rng.random() < 0.5:
        local += str(rng.randint(1, 99))
    name = f"{first} {last}"
    address = Address(
        name=name,
        line1=f"{rng.randint(1, 9899)} {rng.choice(_STREETS)}",
        line2=f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.25 else None,
        city=city,
        region=state,
        postal_code=rng.choice(zips),
        country="US",
    )
    return CustomerIn(email=f"{local}@{rng.choice(_DOMAINS)}", name=name), address, tax


def _lines(rng: Random, pool: list[ProductSpec], weights: list[float]) -> list[LineIn]:
    count = rng.choices((1, 2, 3, 4), weights=(55, 28, 12, 5))[0]
    picked = {p.sku: p for p in rng.choices(pool, weights=weights, k=count)}
    lines = []
    for p in picked.values():
        cents = p.price_cents * 8 // 10 if rng.random() < 0.08 else p.price_cents  # on sale
        qty = rng.choices((1, 2, 3), weights=(85, 11, 4))[0]
        lines.append(LineIn(sku=p.sku, quantity=qty, unit_price=format_amount(cents, "USD")))
    return lines


def _cents(amount: str) -> int:
    whole, _, frac = amount.partition(".")
    return int(whole) * 100 + int(frac.ljust(2, "0"))


def plan_day(
    rng: Random, products: list[ProductSpec], shelf: Collection[str], orders: int,
    now: datetime, web_from: int, pos_from: int,
) -> list[PlannedOrder]:  # fmt: skip
    """A day of orders, oldest first: ~88% web (30% of them backorder), the rest the store."""
    weights = [p.popularity for p in products]
    in_store = [p for p in products if p.sku in shelf]
    store_weights = [p.popularity for p in in_store]
    end = now.replace(minute=0, second=0, microsecond=0)
    customers: list[tuple[CustomerIn, Address, int]] = []
    drafts = []
    for _ in range(orders):
        pos = rng.random() < 0.12
        if pos:
            at = _when(rng, _POS_HOURS, end)
            lines = _lines(rng, in_store, store_weights)
            customer = (
                CustomerIn(name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}")
                if rng.random() < 0.5 else CustomerIn()
            )  # fmt: skip
            address = Address(
                name=STORE.name, line1=STORE.line1, city=STORE.city, region=STORE.region,
                postal_code=STORE.postal_code, country="US",
            )  # fmt: skip
            tax_rate, shipping, discount, tags, note = STORE_TAX, 0, 0, ["in-store"], None
        else:
            at = _when(rng, _WEB_HOURS, end)
            lines = _lines(rng, products, weights)
            if customers and rng.random() < 0.12:
                customer, address, tax_rate = rng.choice(customers)  # a returning customer
            else:
                customer, address, tax_rate = _customer(rng)
                customers.append((customer, address, tax_rate))
            subtotal = sum(_cents(ln.unit_price) * ln.quantity for ln in lines)
            express = rng.random() < 0.08
            shipping = 1495 if express else (0 if subtotal >= 7500 else 695)
            promo = rng.random() < 0.12
            discount = subtotal // 10 if promo else 0
            tags = (["express"] if express else []) + (["promo:WELCOME10"] if promo else [])
            note = rng.choice(_NOTES) if rng.random() < 0.04 else None
        subtotal = sum(_cents(ln.unit_price) * ln.quantity for ln in lines)
        tax = ((subtotal - discount) * tax_rate + 50_000) // 100_000  # rate in 1/1000 %
        intake = OrderIntake(
            channel="pos" if pos else "web",
            currency="USD",
            customer=customer,
            shipping_address=address,
            lines=lines,
            shipping_total=format_amount(shipping, "USD"),
            tax_total=format_amount(tax, "USD"),
            discount_total=format_amount(discount, "USD"),
            on_shortage="backorder" if not pos and rng.random() < 0.3 else "reject",
            tags=tags,
            placed_at=at,
            note=note,
            # Sold at the till: handed over at once from the store's own stock.
            handed_over="in_store" if pos else None,
            warehouse=STORE.code if pos else None,
        )
        roll = rng.random()
        cancel = rng.choice(CANCEL_REASONS) if not pos and roll < 0.03 else None
        hold = rng.choice(HOLD_NOTES) if not pos and 0.03 <= roll < 0.038 else None
        support = rng.choice(SUPPORT_NOTES) if not pos and 0.038 <= roll < 0.068 else None
        drafts.append(PlannedOrder(intake, cancel, hold, support))
    drafts.sort(key=lambda d: d.intake.placed_at or now)
    counters = {"web": web_from, "pos": pos_from}
    day = []
    for d in drafts:
        n = counters[d.intake.channel]
        counters[d.intake.channel] += 1
        ext = str(n) if d.intake.channel == "web" else f"ATL-{n:06d}"
        day.append(replace(d, intake=d.intake.model_copy(update={"external_id": ext})))
    return day


_CARRIERS = (
    ("ups", "ground", "1Z4E72W903{n:07d}{i}", "https://www.ups.com/track?tracknum={t}"),
    ("usps", "priority", "9400111899{n:010d}{i}1", "https://tools.usps.com/go/TrackConfirmAction?tLabels={t}"),
    ("fedex", "home_delivery", "77{n:08d}{i:02d}", "https://www.fedex.com/fedextrack/?trknbr={t}"),
)  # fmt: skip


def tracking(rng: Random, order_number: str, index: int) -> tuple[str, str, str, str]:
    """A carrier, service, tracking number and URL, unique per order number and shipment."""
    carrier, service, pattern, url = rng.choices(_CARRIERS, weights=(45, 35, 20))[0]
    n = int(re.sub(r"\D", "", order_number) or 0)
    number = pattern.format(n=n, i=index % 10)
    return carrier, service, number, url.format(t=number)
