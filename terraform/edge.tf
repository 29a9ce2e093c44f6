# The only way in: HTTPS on the load balancer (TLS 1.2 and 1.3 only), plain HTTP redirected.
module "certificate" {
  source  = "terraform-aws-modules/acm/aws"
  version = "~> 6.0"

  domain_name         = var.domain_name
  zone_id             = var.route53_zone_id
  validation_method   = "DNS"
  wait_for_validation = true
}

module "alb" {
  source  = "terraform-aws-modules/alb/aws"
  version = "~> 10.0"

  name    = var.name
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets

  enable_deletion_protection = true
  drop_invalid_header_fields = true

  access_logs = {
    bucket = module.logs_bucket.s3_bucket_id
    prefix = "alb"
  }

  security_group_ingress_rules = {
    https = {
      from_port   = 443
      to_port     = 443
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
    http_redirect = {
      from_port   = 80
      to_port     = 80
      ip_protocol = "tcp"
      cidr_ipv4   = "0.0.0.0/0"
    }
  }
  security_group_egress_rules = {
    to_tasks = {
      ip_protocol = "tcp"
      from_port   = local.port
      to_port     = local.port
      cidr_ipv4   = module.vpc.vpc_cidr_block
    }
  }

  listeners = {
    http = {
      port     = 80
      protocol = "HTTP"
      redirect = {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
    https = {
      port            = 443
      protocol        = "HTTPS"
      ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
      certificate_arn = module.certificate.acm_certificate_arn
      forward = {
        target_group_key = "web"
      }
    }
  }

  target_groups = {
    web = {
      backend_protocol     = "HTTP"
      backend_port         = local.port
      target_type          = "ip"
      deregistration_delay = 30
      # ECS registers the tasks' addresses itself.
      create_attachment = false

      health_check = {
        enabled             = true
        path                = "/readyz"
        matcher             = "200"
        interval            = 15
        timeout             = 5
        healthy_threshold   = 2
        unhealthy_threshold = 3
      }
    }
  }

  route53_records = {
    portal = {
      name    = var.domain_name
      type    = "A"
      zone_id = var.route53_zone_id
    }
  }
}

# Common attacks (SQL injection, bad inputs, known bad addresses) are stopped before the
# portal; sign-in and code limits inside the portal still hold on their own.
resource "aws_wafv2_web_acl" "portal" {
  name  = var.name
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "portal" {
  resource_arn = module.alb.arn
  web_acl_arn  = aws_wafv2_web_acl.portal.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "portal" {
  resource_arn            = aws_wafv2_web_acl.portal.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
}

resource "aws_cloudwatch_log_group" "waf" {
  # WAF requires this prefix for its log groups.
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = 365
  kms_key_id        = module.kms.key_arn
}
