"""Fixtures of the job-queue tests: moto's SQS server on loopback, AWS settings pointing at it,
and the queue on each implementation (``tests/sqs_support.py``, ``tests/job_support.py``)."""
from tests.job_support import queue, two_processes  # noqa: F401
from tests.sqs_support import aws_env, moto_endpoint  # noqa: F401
