"""Dividends (红利) of participating policies: declared each policy year, applied by the
policyholder's chosen option."""
