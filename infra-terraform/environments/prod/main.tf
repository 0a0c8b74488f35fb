locals {
  name = "flashsale-prod"
  tags = { Project = "flashsale", Environment = "prod", ManagedBy = "terraform" }
}

module "flashsale" {
  source = "../../modules/flashsale"

  name = local.name
  tags = local.tags

  # 1769 MB is one full vCPU, which the hot path and the batch consumer want.
  functions = {
    migrate        = { timeout = 300, reserved_concurrent_executions = 1 }
    token          = { memory_size = 1769, timeout = 10 }
    buy            = { memory_size = 1769, timeout = 10 }
    result         = { memory_size = 1024, timeout = 10 }
    admin          = { memory_size = 1024, timeout = 30 }
    order-consumer = { memory_size = 1769, timeout = 120 }
    reconciliation = { memory_size = 1769, timeout = 55 }
  }

  vpc_cidr_block = "10.50.0.0/16"
  az_count       = 3

  redis = {
    node_type               = "cache.r7g.large"
    num_node_groups         = 2
    replicas_per_node_group = 1
    multi_az_enabled        = true
  }
  kafka = {
    broker_instance_type    = "kafka.m7g.large"
    number_of_broker_nodes  = 3
    broker_volume_size      = 200
    replication_factor      = 3
    min_insync_replicas     = 2
    orders_topic_partitions = 12
  }
  database = {
    instance_class          = "db.r7g.large"
    allocated_storage       = 100
    max_allocated_storage   = 500
    multi_az                = true
    deletion_protection     = true
    skip_final_snapshot     = false
    backup_retention_period = 14
  }

  jwt_issuer   = var.jwt_issuer
  jwt_audience = var.jwt_audience
  # Above the account defaults (10,000 requests/s for API Gateway, 1,000 concurrent
  # Lambda executions per region): request quota increases before the first sale.
  api_throttling_rate_limit  = 100000
  api_throttling_burst_limit = 50000
  alarm_email_addresses      = var.alarm_email_addresses
  captcha_verify_url         = var.captcha_verify_url
  payment_currency           = var.payment_currency
  log_retention_in_days      = 30
}
