"""Shipments: the shipment record, its lines and its status machine (issue 13).

Routing creates shipments, fulfillment walks them through the warehouse, carriers track them;
this package owns the rows and the machine, so each of those talks to it rather than to one
another's store.
"""
