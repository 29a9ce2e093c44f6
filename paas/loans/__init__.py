"""Policy loans (保单贷款): borrowing against a policy's cash value."""
