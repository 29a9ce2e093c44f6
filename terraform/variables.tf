variable "region" {
  description = "AWS region the portal runs in (China regions need their own partition and ICP filing)."
  type        = string
  default     = "ap-southeast-1"
}

variable "name" {
  description = "Prefix of every resource's name."
  type        = string
  default     = "pinghe-portal"
}

variable "domain_name" {
  description = "Public host name of the portal, e.g. portal.pinghe-life.example; its certificate is issued by ACM."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone that holds domain_name (for the certificate's DNS validation and the alias record)."
  type        = string
}

variable "image" {
  description = "Container image of the portal (the Dockerfile at the repository root), by digest or immutable tag."
  type        = string
}

variable "mail_from" {
  description = "Address notices and receipts are sent from; its domain is verified in SES."
  type        = string
}

variable "sms_origination_number" {
  description = "E.164 number (or sender id) End User Messaging SMS sends from and receives replies on; empty to skip SMS."
  type        = string
  default     = ""
}

variable "alarm_email" {
  description = "Where CloudWatch alarms are sent."
  type        = string
}

variable "db_instance_class" {
  description = "RDS PostgreSQL instance class."
  type        = string
  default     = "db.m6g.large"
}

variable "web_count" {
  description = "Web tasks behind the load balancer (at least two, in two zones)."
  type        = number
  default     = 2

  validation {
    condition     = var.web_count >= 2
    error_message = "Run at least two web tasks so one zone failing leaves the portal up."
  }
}

variable "worker_count" {
  description = "Job-queue workers (mail, SMS, notices, retries; the nightly cycle's partitions)."
  type        = number
  default     = 2
}

variable "cycle_schedule" {
  description = "When the nightly cycle starts (EventBridge Scheduler cron, in cycle_timezone)."
  type        = string
  default     = "cron(30 1 * * ? *)"
}

variable "cycle_timezone" {
  description = "Time zone of cycle_schedule: the insurer's business day."
  type        = string
  default     = "Asia/Shanghai"
}
