"""Policy servicing (保全): every change a policyholder can make to a policy, through one
engine whatever the channel (web, console, API, SMS)."""
