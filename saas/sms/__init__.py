"""The SMS command channel: a thin front end over the same services as the web. One path for
every way a message arrives (SNS over HTTPS, SQS, the console's simulator, the CLI):
``channel.handle``."""
