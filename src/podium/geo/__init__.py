"""Geography shared by every capability: coordinates, distances and an offline geocoder."""
