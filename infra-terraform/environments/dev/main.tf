locals {
  name = "flashsale-dev"
  tags = { Project = "flashsale", Environment = "dev", ManagedBy = "terraform" }
}

module "flashsale" {
  source = "../../modules/flashsale"

  name = local.name
  tags = local.tags

  functions = {
    migrate        = { timeout = 300, reserved_concurrent_executions = 1 }
    token          = {}
    buy            = {}
    result         = {}
    admin          = {}
    order-consumer = { timeout = 60 }
    reconciliation = { timeout = 55 }
  }

  az_count = 2
  redis    = { replicas_per_node_group = 0 }
  kafka    = { number_of_broker_nodes = 2, replication_factor = 2, min_insync_replicas = 1, orders_topic_partitions = 6 }
  database = { skip_final_snapshot = true, backup_retention_period = 1 }

  jwt_issuer                 = var.jwt_issuer
  jwt_audience               = var.jwt_audience
  api_throttling_rate_limit  = 200
  api_throttling_burst_limit = 400
  alarm_email_addresses      = var.alarm_email_addresses
  captcha_verify_url         = var.captcha_verify_url
  payment_currency           = var.payment_currency
  log_retention_in_days      = 7
}
