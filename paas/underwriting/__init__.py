"""New business (新契约): applications, the underwriting rules that decide standard cases
straight through, the underwriters' decisions on the rest, and issuing the policy."""
