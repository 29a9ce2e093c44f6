# The image, the cluster, and three ways the same image runs: web tasks behind the load
# balancer, workers draining the job queue, and the nightly cycle started on a schedule.
module "ecr" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  repository_name                 = var.name
  repository_image_tag_mutability = "IMMUTABLE"
  repository_image_scan_on_push   = true
  repository_encryption_type      = "KMS"
  repository_kms_key              = module.kms.key_arn

  repository_lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 50 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 50 }
      action       = { type = "expire" }
    }]
  })
}

module "ecs_cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "~> 6.0"

  name = var.name

  setting = [{
    name  = "containerInsights"
    value = "enhanced"
  }]

  cluster_capacity_providers = ["FARGATE"]
  default_capacity_provider_strategy = {
    FARGATE = { weight = 100, base = 1 }
  }
}

locals {
  # One container definition, three commands. Read-only root file system: the portal writes
  # only to PORTAL_DATA_DIR, a scratch volume.
  portal_container = {
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    environment            = local.environment
    secrets                = local.secrets
    mountPoints            = [{ sourceVolume = "scratch", containerPath = "/tmp/portal" }]
    linuxParameters        = { capabilities = { drop = ["ALL"] } }
    user                   = "10001"
  }
  # The tasks call AWS's APIs and the payment provider through the NAT gateways.
  egress_anywhere = {
    out = {
      ip_protocol = "-1"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }
  task_permissions = {
    # Documents, notices and the KMS-sealed key ring (keys/keyring.kms.json). No DeleteObject:
    # the portal never deletes a customer's document, and the bucket keeps every version.
    objects = {
      actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
      resources = ["${module.documents_bucket.s3_bucket_arn}/*", module.documents_bucket.s3_bucket_arn]
    }
    # Checkpoints are only ever added (a conditional put with its own retention), never deleted:
    # without DeleteObject not even a delete marker can hide one from the listing.
    checkpoints = {
      actions   = ["s3:PutObject", "s3:PutObjectRetention", "s3:GetObject", "s3:ListBucket"]
      resources = ["${module.audit_bucket.s3_bucket_arn}/*", module.audit_bucket.s3_bucket_arn]
    }
    queue = {
      actions = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes"]
      resources = [module.jobs_queue.queue_arn, module.jobs_queue.dead_letter_queue_arn, module.sms_inbound_queue.queue_arn]
    }
    # SSE-KMS on the buckets (GenerateDataKey to write, Decrypt to read), and the key ring's own
    # keys wrapped (Encrypt) and unwrapped (Decrypt) at start.
    keys = {
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [module.kms.key_arn]
    }
    mail = {
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = [aws_sesv2_email_identity.mail.arn, aws_sesv2_configuration_set.portal.arn]
    }
    sms = {
      actions   = ["sms-voice:SendTextMessage"]
      resources = ["*"]
    }
  }
}

module "web" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 6.0"

  name        = "${var.name}-web"
  cluster_arn = module.ecs_cluster.arn

  cpu           = 1024
  memory        = 2048
  desired_count = var.web_count

  volume = { scratch = {} }

  container_definitions = {
    web = merge(local.portal_container, {
      command      = ["gunicorn", "--config", "python:portal.gunicorn_conf", "portal.wsgi:app"]
      portMappings = [{ name = "web", containerPort = local.port, protocol = "tcp" }]
      environment  = concat(local.environment, [{ name = "PORTAL_BIND", value = "0.0.0.0:${local.port}" }])
      healthCheck = {
        command  = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${local.port}/healthz')"]
        interval = 15
        retries  = 3
      }
    })
  }

  load_balancer = {
    service = {
      target_group_arn = module.alb.target_groups["web"].arn
      container_name   = "web"
      container_port   = local.port
    }
  }

  subnet_ids = module.vpc.private_subnets
  security_group_ingress_rules = {
    from_alb = {
      from_port                    = local.port
      ip_protocol                  = "tcp"
      referenced_security_group_id = module.alb.security_group_id
    }
  }
  security_group_egress_rules = local.egress_anywhere

  tasks_iam_role_statements = local.task_permissions
}

module "worker" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 6.0"

  name        = "${var.name}-worker"
  cluster_arn = module.ecs_cluster.arn

  cpu           = 1024
  memory        = 2048
  desired_count = var.worker_count

  volume = { scratch = {} }

  container_definitions = {
    worker = merge(local.portal_container, {
      command = ["portal", "worker"]
      # A worker stopped by a deployment finishes or returns its job (SIGTERM, then 2 minutes).
      stopTimeout = 120
    })
  }

  subnet_ids                  = module.vpc.private_subnets
  security_group_egress_rules = local.egress_anywhere

  tasks_iam_role_statements = local.task_permissions
}

# The nightly cycle: one task definition, no service; the scheduler starts it every night.
# Its partitions are claimed from the database, so workers can share a long night.
module "cycle_task" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 6.0"

  name           = "${var.name}-cycle"
  cluster_arn    = module.ecs_cluster.arn
  create_service = false

  cpu    = 2048
  memory = 4096

  volume = { scratch = {} }

  container_definitions = {
    cycle = merge(local.portal_container, {
      # Joins the night through the shared partitions: more tasks of this definition, or
      # `portal cycle start` handing it to the workers, share it; the result is that of one run.
      command = ["portal", "cycle", "share", "--date", "today"]
    })
  }

  subnet_ids                  = module.vpc.private_subnets
  security_group_egress_rules = local.egress_anywhere

  tasks_iam_role_statements = local.task_permissions
}

resource "aws_scheduler_schedule" "cycle" {
  name                         = "${var.name}-nightly-cycle"
  schedule_expression          = var.cycle_schedule
  schedule_expression_timezone = var.cycle_timezone
  kms_key_arn                  = module.kms.key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = module.ecs_cluster.arn
    role_arn = aws_iam_role.scheduler.arn

    ecs_parameters {
      task_definition_arn = module.cycle_task.task_definition_arn
      launch_type         = "FARGATE"
      network_configuration {
        subnets          = module.vpc.private_subnets
        security_groups  = [module.cycle_task.security_group_id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts       = 3
      maximum_event_age_in_seconds = 3600
    }
  }
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "scheduler_runs_cycle" {
  statement {
    actions   = ["ecs:RunTask"]
    resources = [module.cycle_task.task_definition_arn]
  }
  statement {
    actions   = ["iam:PassRole"]
    resources = [module.cycle_task.task_exec_iam_role_arn, module.cycle_task.tasks_iam_role_arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "run-the-cycle"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler_runs_cycle.json
}
