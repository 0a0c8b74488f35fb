data "aws_region" "current" {}

locals {
  # The widgets of a sale, in reading order (two per row). Each metric is in
  # CloudWatch's form [namespace, metric, dimension, value, ...]; a FlashSale
  # metric must be emitted by some code (EMF, dimension function): the offline
  # check fails otherwise, as for alarms.
  widgets = [
    {
      title = "API requests and 5xx (per minute)"
      stat  = "Sum"
      metrics = [
        ["AWS/ApiGateway", "Count", "ApiId", var.api_id],
        ["AWS/ApiGateway", "5xx", "ApiId", var.api_id],
        ["AWS/ApiGateway", "4xx", "ApiId", var.api_id],
      ]
    },
    {
      title   = "API latency p99 (ms)"
      stat    = "p99"
      metrics = [["AWS/ApiGateway", "Latency", "ApiId", var.api_id]]
    },
    {
      title = "Purchases accepted, publish deferred to the outbox (per minute)"
      stat  = "Sum"
      metrics = [
        ["FlashSale", "ACCEPTED", "function", var.buy_function_name],
        ["FlashSale", "PUBLISH_DEFERRED", "function", var.buy_function_name],
      ]
    },
    {
      title = "Orders persisted, requests failed (per minute)"
      stat  = "Sum"
      metrics = [
        ["FlashSale", "OrdersPersisted", "function", var.consumer_function_name],
        ["FlashSale", "OrderRequestsFailed", "function", var.consumer_function_name],
      ]
    },
    {
      title   = "Outbox age (s): oldest entry re-driven"
      stat    = "Maximum"
      metrics = [["FlashSale", "OutboxAgeSeconds", "function", var.reconciliation_function_name]]
    },
    {
      title   = "Order consumer lag (records)"
      stat    = "Maximum"
      metrics = [["AWS/Lambda", "OffsetLag", "FunctionName", var.consumer_function_name]]
    },
    {
      title = "Dead letters: table rows, queue messages"
      stat  = "Sum"
      metrics = concat(
        [["FlashSale", "DeadLetters", "function", var.consumer_function_name]],
        [for queue_name in values(var.dead_letter_queue_names) : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue_name]],
      )
    },
    {
      title = "Reconciliation: discrepancies, step errors, re-driven, cancelled"
      stat  = "Sum"
      metrics = [
        ["FlashSale", "ReconciliationDiscrepancies", "function", var.reconciliation_function_name],
        ["FlashSale", "ReconciliationStepErrors", "function", var.reconciliation_function_name],
        ["FlashSale", "RedrivenEvents", "function", var.reconciliation_function_name],
        ["FlashSale", "CancelledOrders", "function", var.reconciliation_function_name],
      ]
    },
    {
      title   = "Redis engine CPU (%)"
      stat    = "Maximum"
      metrics = [for cluster_id in var.redis_cache_cluster_ids : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", cluster_id]]
    },
    {
      title   = "Redis evictions (must stay 0)"
      stat    = "Sum"
      metrics = [for cluster_id in var.redis_cache_cluster_ids : ["AWS/ElastiCache", "Evictions", "CacheClusterId", cluster_id]]
    },
    {
      title = "RDS CPU (%) and connections"
      stat  = "Maximum"
      metrics = [
        ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_identifier],
        ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_instance_identifier],
      ]
    },
    {
      title   = "MSK broker data disk used (%)"
      stat    = "Maximum"
      metrics = [for broker in range(1, var.msk_broker_count + 1) : ["AWS/Kafka", "KafkaDataLogsDiskUsed", "Cluster Name", var.msk_cluster_name, "Broker ID", tostring(broker)]]
    },
    {
      title   = "MSK broker CPU (user %)"
      stat    = "Maximum"
      metrics = [for broker in range(1, var.msk_broker_count + 1) : ["AWS/Kafka", "CpuUser", "Cluster Name", var.msk_cluster_name, "Broker ID", tostring(broker)]]
    },
    {
      title   = "Function errors (per minute)"
      stat    = "Sum"
      metrics = [for function_name in values(var.function_names) : ["AWS/Lambda", "Errors", "FunctionName", function_name]]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      for index, widget in local.widgets : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = widget.title
          region  = data.aws_region.current.region
          stat    = widget.stat
          period  = 60
          view    = "timeSeries"
          metrics = widget.metrics
        }
      }
    ]
  })
}
