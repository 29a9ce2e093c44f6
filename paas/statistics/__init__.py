"""What the statistics of every desk (servicing, claims) share: the period asked for, in the
insurer's business days, and turnaround as a median and a 90th percentile."""
