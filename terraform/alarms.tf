# Someone is told when the portal fails customers: errors at the load balancer, slow pages,
# jobs piling up or dead-lettered, and the database running short.
module "alarm_topic" {
  source  = "terraform-aws-modules/sns/aws"
  version = "~> 6.0"

  name              = "${var.name}-alarms"
  kms_master_key_id = module.kms.key_id

  subscriptions = {
    email = {
      protocol = "email"
      endpoint = var.alarm_email
    }
  }
}

locals {
  alarms = {
    web_5xx = {
      description = "The portal answered 5xx more than 10 times in 5 minutes"
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_Target_5XX_Count"
      statistic   = "Sum"
      threshold   = 10
      dimensions  = { LoadBalancer = module.alb.arn_suffix }
    }
    web_latency = {
      description = "Pages take more than half a second on average"
      namespace   = "AWS/ApplicationELB"
      metric      = "TargetResponseTime"
      statistic   = "Average"
      threshold   = 0.5
      dimensions  = { LoadBalancer = module.alb.arn_suffix }
    }
    dead_jobs = {
      description = "A job failed five times and is in the dead-letter queue"
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      threshold   = 0
      dimensions  = { QueueName = module.jobs_queue.dead_letter_queue_name }
    }
    jobs_waiting = {
      description = "The oldest job has waited more than 10 minutes"
      namespace   = "AWS/SQS"
      metric      = "ApproximateAgeOfOldestMessage"
      statistic   = "Maximum"
      threshold   = 600
      dimensions  = { QueueName = module.jobs_queue.queue_name }
    }
    database_cpu = {
      description = "The database is above 80% CPU"
      namespace   = "AWS/RDS"
      metric      = "CPUUtilization"
      statistic   = "Average"
      threshold   = 80
      dimensions  = { DBInstanceIdentifier = module.database.db_instance_identifier }
    }
  }
}

module "alarms" {
  source   = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  version  = "~> 5.0"
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  threshold           = each.value.threshold
  dimensions          = each.value.dimensions
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  period              = 300
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.alarm_topic.topic_arn]
  ok_actions          = [module.alarm_topic.topic_arn]
}

module "database_storage_alarm" {
  source  = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  version = "~> 5.0"

  alarm_name          = "${var.name}-database-storage"
  alarm_description   = "Less than 10 GB of database storage is free"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  threshold           = 10 * 1024 * 1024 * 1024
  dimensions          = { DBInstanceIdentifier = module.database.db_instance_identifier }
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = 1
  period              = 300
  alarm_actions       = [module.alarm_topic.topic_arn]
}
