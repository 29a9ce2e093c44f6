# The portal on AWS: the same code and image as `make run`, with each port on its managed
# service (see README.md here). Everything is built from the terraform-aws-modules community
# modules; only what no module covers (SES, End User Messaging SMS, the scheduler) is written
# as plain resources.

data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:Only the first three zones are used (slice below); zones are listed in name order and a new one sorts after them, so the set in use does not change.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

locals {
  azs      = slice(data.aws_availability_zones.available.names, 0, 3)
  vpc_cidr = "10.40.0.0/16"
  port     = 8000

  tags = {
    Application = "insurer-portal"
    Environment = "production"
    ManagedBy   = "terraform"
  }

  # What every portal process (web, worker, cycle) is told about its ports. The application
  # reads these in portal/config.py; see README.md for which adapter each one selects.
  environment = [
    { name = "PORTAL_ENV", value = "production" },
    { name = "PORTAL_PUBLIC_URL", value = "https://${var.domain_name}" },
    { name = "PORTAL_TRUSTED_PROXIES", value = "1" },
    { name = "PORTAL_DB_HOST", value = module.database.db_instance_address },
    { name = "PORTAL_DB_NAME", value = module.database.db_instance_name },
    { name = "PORTAL_DB_USER", value = module.database.db_instance_username },
    { name = "PORTAL_DATA_DIR", value = "/tmp/portal" },
    { name = "PORTAL_OBJECTS", value = "s3://${module.documents_bucket.s3_bucket_id}/documents" },
    { name = "PORTAL_OBJECTS_KMS_KEY", value = module.kms.key_arn },
    { name = "PORTAL_AUDIT_CHECKPOINTS", value = "s3://${module.audit_bucket.s3_bucket_id}/checkpoints" },
    { name = "PORTAL_AUDIT_RETENTION_DAYS", value = "2557" }, # each checkpoint's own lock: the bucket's seven years
    { name = "PORTAL_QUEUE", value = module.jobs_queue.queue_url },
    # Poison jobs are moved here by the worker at its limit (PORTAL_JOB_ATTEMPTS, as maxReceiveCount).
    { name = "PORTAL_QUEUE_DEAD_LETTER", value = module.jobs_queue.dead_letter_queue_url },
    { name = "PORTAL_MAIL", value = "ses:${var.mail_from}" },
    { name = "PORTAL_MAIL_CONFIGURATION_SET", value = aws_sesv2_configuration_set.portal.configuration_set_name },
    { name = "PORTAL_SMS", value = var.sms_origination_number == "" ? "off" : "end-user-messaging:${var.sms_origination_number}" },
    { name = "PORTAL_SMS_CONFIGURATION_SET", value = join("", aws_pinpointsmsvoicev2_configuration_set.portal[*].name) },
    { name = "PORTAL_KEYRING", value = "kms:${module.kms.key_arn}" },
    { name = "PORTAL_RATELIMIT_STORAGE", value = "database" },
    { name = "PORTAL_PAYMENTS", value = "stripe" },
    { name = "AWS_REGION", value = var.region },
  ]

  # Secrets reach the containers from Secrets Manager at start; none is in the task definition.
  secrets = [
    { name = "PORTAL_DB_PASSWORD", valueFrom = "${module.database.db_instance_master_user_secret_arn}:password::" },
    { name = "PORTAL_SECRET_KEY", valueFrom = module.session_secret.secret_arn },
    { name = "PORTAL_STRIPE_SECRET_KEY", valueFrom = "${module.stripe_secret.secret_arn}:secret_key::" },
    { name = "PORTAL_STRIPE_WEBHOOK_SECRET", valueFrom = "${module.stripe_secret.secret_arn}:webhook_secret::" },
  ]
}
