"""The steps of the nightly cycle, one module each, in the order they run (see ``paas.cycle.plan``)."""
