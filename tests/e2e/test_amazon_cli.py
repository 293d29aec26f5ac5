"""An Amazon channel set up from the CLI with Login with Amazon, polled from the CLI against
the fake SP-API over real HTTP: the order arrives with its buyer and address, secrets never
printed, and a fixed access token is refused for a new channel."""

from __future__ import annotations

from conftest import Server
from fakes.channels.amazon import FakeAmazon
from support import seed_http


def test_an_amazon_channel_signs_in_with_lwa_and_polls_from_the_cli(server: Server) -> None:
    with FakeAmazon() as amazon, server.client() as api:
        seed_http(api, {("MUG", "EAST"): 5})
        settings = [x for k, v in amazon.settings().items() for x in ("-s", f"{k}={v}")]
        made = server.cli(
            "channels", "add", "amz", "--type", "amazon", "--name", "Amazon", *settings
        )
        assert made.returncode == 0, made.stderr
        assert amazon.client_secret not in made.stdout
        assert amazon.refresh_token not in made.stdout
        amazon.orders.append(
            {
                "AmazonOrderId": "113-1234567-1234567",
                "PurchaseDate": "2026-11-20T09:00:00Z",
                "LastUpdateDate": "2026-11-20T10:00:00Z",
                "OrderStatus": "Unshipped",
                "FulfillmentChannel": "MFN",
                "MarketplaceId": "ATVPDKIKX0DER",
                "OrderTotal": {"CurrencyCode": "USD", "Amount": "9.00"},
                "ShippingAddress": {
                    "Name": "Ann",
                    "AddressLine1": "1 Main",
                    "City": "Austin",
                    "StateOrRegion": "TX",
                    "PostalCode": "78701",
                    "CountryCode": "US",
                },
                "BuyerInfo": {"BuyerEmail": "ann@marketplace.amazon.com"},
            }
        )
        amazon.items["113-1234567-1234567"] = [
            {
                "OrderItemId": "1",
                "SellerSKU": "MUG",
                "QuantityOrdered": 1,
                "ItemPrice": {"CurrencyCode": "USD", "Amount": "9.00"},
            }
        ]
        polled = server.cli("channels", "poll", "amz")
        assert polled.returncode == 0, polled.stderr
        assert "1 new" in polled.stdout
        (order,) = api.get("/orders", params={"channel": "amz"}).json()["items"]
        full = api.get(f"/orders/{order['id']}").json()
        assert full["holds"] == [] and amazon.exchanges == 1 and amazon.invalid == []
        fixed = server.cli(
            "channels", "add", "old", "--type", "amazon",
            "-s", f"endpoint={amazon.url}", "-s", "access_token=Atza|fixed",
            "-s", "seller_id=A1", "-s", "marketplace_id=ATVPDKIKX0DER",
        )  # fmt: skip
        assert fixed.returncode == 2 and "invalid_settings" in fixed.stderr
