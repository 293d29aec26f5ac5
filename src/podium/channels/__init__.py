"""Channel connectors: capture orders from Shopify, WooCommerce and Amazon, and push every
channel the stock it may sell, within a second of each change."""
