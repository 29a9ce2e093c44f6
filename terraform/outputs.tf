output "portal_url" {
  description = "Where policyholders reach the portal."
  value       = "https://${var.domain_name}"
}

output "console_url" {
  description = "The back-office console (restrict it further with a WAF IP set if staff work from known offices)."
  value       = "https://${var.domain_name}/console"
}

output "image_repository" {
  description = "Push the image built from the repository's Dockerfile here."
  value       = module.ecr.repository_url
}

output "stripe_webhook_url" {
  description = "Add this as a Stripe webhook endpoint (checkout.session.*, payment_intent.payment_failed, charge.refunded, refund.failed)."
  value       = "https://${var.domain_name}/webhooks/payments"
}

output "stripe_secret_arn" {
  description = "Put the Stripe secret_key and webhook_secret here after the first apply."
  value       = module.stripe_secret.secret_arn
}

output "database_secret_arn" {
  description = "The master password, kept and rotated by Secrets Manager."
  value       = module.database.db_instance_master_user_secret_arn
}

output "sms_inbound_topic_arn" {
  description = "Set it as the two-way channel of the origination number in End User Messaging SMS."
  value       = module.sms_inbound_topic.topic_arn
}
