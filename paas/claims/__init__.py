"""Claims (理赔): reported online, documented, tracked on a timeline, decided within each
adjuster's authority (a second, higher approver above it), and paid once."""
