"""Documents customers upload (ID cards for a correction, claim papers): kept in the object
store, described here, and only ever shown to their owner and authorised staff."""
