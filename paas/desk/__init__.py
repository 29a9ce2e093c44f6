"""The referral desk that servicing, claims and underwriting share: which team decides a
case (``teams``), how much each level may decide alone (``authority``), and the four-eyes
rules (``four_eyes``). A feature keeps its own case rows; the rules about people live here once."""
