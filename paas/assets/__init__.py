"""The customer's wider assets for the one-account view (一账通): accounts held elsewhere
(bank, securities, fund, pension) beside the insurance values, summed into a net worth."""
