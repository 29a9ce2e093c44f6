"""Unit-linked funds (投资账户): unit prices by date and each policy's units."""
