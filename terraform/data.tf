# One customer-managed key for everything at rest: the database, the buckets, the queues, the
# logs, the secrets, and the portal's own key ring (its data and signing keys are stored
# encrypted under it: envelope encryption).
module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "~> 4.0"

  description             = "${var.name}: data at rest and the portal's key ring"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  aliases                 = [var.name]

  key_statements = [
    {
      sid = "CloudWatchLogs"
      actions = [
        "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*",
      ]
      resources = ["*"]
      principals = [{
        type        = "Service"
        identifiers = ["logs.${var.region}.amazonaws.com"]
      }]
    }
  ]
}

# PostgreSQL 15, as in development and CI: two zones, encrypted, backed up for 35 days,
# protected from deletion, TLS required, the master password kept by Secrets Manager.
module "database" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.10"

  identifier = var.name

  engine               = "postgres"
  engine_version       = "15"
  family               = "postgres15"
  major_engine_version = "15"
  instance_class       = var.db_instance_class

  allocated_storage     = 100
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = module.kms.key_arn

  db_name                             = "portal"
  username                            = "portal"
  port                                = 5432
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = module.kms.key_arn
  iam_database_authentication_enabled = true

  multi_az               = true
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [module.database_security_group.security_group_id]

  backup_retention_period          = 35
  backup_window                    = "17:00-18:00"
  maintenance_window               = "Sun:18:30-Sun:19:30"
  copy_tags_to_snapshot            = true
  deletion_protection              = true
  skip_final_snapshot              = false
  final_snapshot_identifier_prefix = "${var.name}-final"
  auto_minor_version_upgrade       = true

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = module.kms.key_arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  create_monitoring_role                = true

  enabled_cloudwatch_logs_exports        = ["postgresql", "upgrade"]
  create_cloudwatch_log_group            = true
  cloudwatch_log_group_retention_in_days = 365
  cloudwatch_log_group_kms_key_id        = module.kms.key_arn

  parameters = [
    { name = "rds.force_ssl", value = "1" },
    { name = "log_min_duration_statement", value = "500" },
  ]
}

module "database_security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name        = "${var.name}-database"
  description = "PostgreSQL, reachable from the portal's private subnets only"
  vpc_id      = module.vpc.vpc_id

  ingress_with_cidr_blocks = [
    {
      rule        = "postgresql-tcp"
      cidr_blocks = join(",", module.vpc.private_subnets_cidr_blocks)
    }
  ]
}

# Customers' uploaded documents and their notices: private, versioned, encrypted with the key,
# TLS only.
module "documents_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket_prefix = "${var.name}-documents-"

  versioning = { enabled = true }
  server_side_encryption_configuration = {
    rule = {
      bucket_key_enabled = true
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = module.kms.key_arn
      }
    }
  }

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true

  logging = {
    target_bucket = module.logs_bucket.s3_bucket_id
    target_prefix = "s3/documents/"
  }
}

# The audit chain's signed checkpoints, under Object Lock in compliance mode: nobody, the
# account's root included, can rewrite or delete one for seven years.
module "audit_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket_prefix = "${var.name}-audit-"

  versioning          = { enabled = true }
  object_lock_enabled = true
  object_lock_configuration = {
    rule = {
      default_retention = {
        mode  = "COMPLIANCE"
        years = 7
      }
    }
  }
  server_side_encryption_configuration = {
    rule = {
      bucket_key_enabled = true
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = module.kms.key_arn
      }
    }
  }

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true

  logging = {
    target_bucket = module.logs_bucket.s3_bucket_id
    target_prefix = "s3/audit/"
  }
}

# Access logs of the load balancer and the other buckets. ELB writes only to buckets
# encrypted with S3-managed keys, so this one uses SSE-S3.
module "logs_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket_prefix = "${var.name}-logs-"

  versioning = { enabled = true }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "AES256"
      }
    }
  }

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  control_object_ownership = true
  object_ownership         = "BucketOwnerPreferred"

  attach_elb_log_delivery_policy        = true
  attach_lb_log_delivery_policy         = true
  attach_access_log_delivery_policy     = true
  attach_deny_insecure_transport_policy = true

  lifecycle_rule = [
    {
      id                            = "expire-logs"
      enabled                       = true
      filter                        = {}
      expiration                    = { days = 400 }
      noncurrent_version_expiration = { days = 30 }
    }
  ]
}

# The session-cookie signing key and the payment provider's keys: in Secrets Manager,
# encrypted with the key, injected into the containers at start.
module "session_secret" {
  source  = "terraform-aws-modules/secrets-manager/aws"
  version = "~> 1.3"

  name_prefix             = "${var.name}/session-key-"
  description             = "PORTAL_SECRET_KEY: signs the session cookie"
  kms_key_id              = module.kms.key_arn
  recovery_window_in_days = 30

  create_random_password           = true
  random_password_length           = 64
  random_password_override_special = "-_"
}

module "stripe_secret" {
  source  = "terraform-aws-modules/secrets-manager/aws"
  version = "~> 1.3"

  name_prefix             = "${var.name}/stripe-"
  description             = "Stripe secret_key and webhook_secret (set by hand after the first apply)"
  kms_key_id              = module.kms.key_arn
  recovery_window_in_days = 30
  ignore_secret_changes   = true
  secret_string           = jsonencode({ secret_key = "set-me", webhook_secret = "set-me" })
}
