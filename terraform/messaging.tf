# The job queue (after-commit work: mail, SMS, notices, retries), with a dead-letter queue a
# job lands in after five failed tries, for a person to look at.
module "jobs_queue" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 5.0"

  name                       = "${var.name}-jobs"
  kms_master_key_id          = module.kms.key_arn
  visibility_timeout_seconds = 120
  message_retention_seconds  = 1209600

  create_dlq                    = true
  dlq_message_retention_seconds = 1209600
  redrive_policy = {
    maxReceiveCount = 5
  }
}

# Mail: SES sends from a verified domain, DKIM-signed, through a configuration set that
# records deliveries, bounces and complaints.
resource "aws_sesv2_email_identity" "mail" {
  email_identity         = split("@", var.mail_from)[1]
  configuration_set_name = aws_sesv2_configuration_set.portal.configuration_set_name
}

resource "aws_sesv2_configuration_set" "portal" {
  configuration_set_name = var.name

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.route53_zone_id
  name    = "${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# SMS: End User Messaging SMS sends from the origination number; policyholders' replies
# (HELP, POL, PAY, WD ...) are published to an SNS topic, which an SQS queue the workers read
# is subscribed to (the web endpoint can also receive them, verifying SNS signatures).
resource "aws_pinpointsmsvoicev2_configuration_set" "portal" {
  count = var.sms_origination_number == "" ? 0 : 1

  name                 = var.name
  default_message_type = "TRANSACTIONAL"
}

module "sms_inbound_topic" {
  source  = "terraform-aws-modules/sns/aws"
  version = "~> 6.0"

  name              = "${var.name}-sms-inbound"
  kms_master_key_id = module.kms.key_id

  topic_policy_statements = {
    sms = {
      actions = ["sns:Publish"]
      principals = [{
        type        = "Service"
        identifiers = ["sms-voice.amazonaws.com"]
      }]
      conditions = [{
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }]
    }
  }

  subscriptions = {
    workers = {
      protocol             = "sqs"
      endpoint             = module.sms_inbound_queue.queue_arn
      raw_message_delivery = false # the envelope is kept: its signature and message id are checked
    }
  }
}

module "sms_inbound_queue" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 5.0"

  name              = "${var.name}-sms-inbound"
  kms_master_key_id = module.kms.key_arn

  create_queue_policy = true
  queue_policy_statements = {
    sns = {
      actions = ["sqs:SendMessage"]
      principals = [{
        type        = "Service"
        identifiers = ["sns.amazonaws.com"]
      }]
      conditions = [{
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [module.sms_inbound_topic.topic_arn]
      }]
    }
  }

  create_dlq = true
  redrive_policy = {
    maxReceiveCount = 5
  }
}
