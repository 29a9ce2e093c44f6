"""After-commit work as jobs: a registry of handlers by name (``registry``), the way a unit of
work enqueues one (``UnitOfWork.enqueue_job``), and the worker that runs them (``worker``)."""
