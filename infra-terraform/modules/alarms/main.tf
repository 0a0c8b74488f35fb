locals {
  # Every alarm of the system, by key. Fields: namespace, metric, dimensions,
  # statistic, threshold, comparison, periods (of 60 s), missing (treat_missing_data).
  function_alarms = merge([
    for function, function_name in var.function_names : {
      "${function}-errors" = {
        description = "${function_name} returned errors."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        dimensions  = { FunctionName = function_name }
        statistic   = "Sum"
        threshold   = var.function_error_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
        periods     = 1
        missing     = "notBreaching"
      }
      "${function}-throttles" = {
        description = "${function_name} was throttled."
        namespace   = "AWS/Lambda"
        metric      = "Throttles"
        dimensions  = { FunctionName = function_name }
        statistic   = "Sum"
        threshold   = var.function_throttle_threshold
        comparison  = "GreaterThanOrEqualToThreshold"
        periods     = 1
        missing     = "notBreaching"
      }
    }
  ]...)

  redis_alarms = merge([
    for cluster_id in var.redis_cache_cluster_ids : {
      "redis-${cluster_id}-cpu" = {
        description = "Redis engine CPU of ${cluster_id} is high: the single-threaded engine is the flash sale's bottleneck."
        namespace   = "AWS/ElastiCache"
        metric      = "EngineCPUUtilization"
        dimensions  = { CacheClusterId = cluster_id }
        statistic   = "Average"
        threshold   = var.redis_engine_cpu_threshold
        comparison  = "GreaterThanThreshold"
        periods     = 3
        missing     = "missing"
      }
      "redis-${cluster_id}-evictions" = {
        description = "Redis ${cluster_id} evicted keys: with noeviction this must stay 0; an evicted key is lost sale state."
        namespace   = "AWS/ElastiCache"
        metric      = "Evictions"
        dimensions  = { CacheClusterId = cluster_id }
        statistic   = "Sum"
        threshold   = 0
        comparison  = "GreaterThanThreshold"
        periods     = 1
        missing     = "notBreaching"
      }
      "redis-${cluster_id}-memory" = {
        description = "Redis memory of ${cluster_id} is filling up; evictions would lose sale state."
        namespace   = "AWS/ElastiCache"
        metric      = "DatabaseMemoryUsagePercentage"
        dimensions  = { CacheClusterId = cluster_id }
        statistic   = "Maximum"
        threshold   = var.redis_memory_threshold
        comparison  = "GreaterThanThreshold"
        periods     = 3
        missing     = "missing"
      }
    }
  ]...)

  # Replication lag exists on replicas only (the nodes 002.. of each shard).
  redis_replica_alarms = {
    for cluster_id in var.redis_cache_cluster_ids : "redis-${cluster_id}-replication-lag" => {
      description = "Redis replica ${cluster_id} lags its primary: a failover now would lose the last writes."
      namespace   = "AWS/ElastiCache"
      metric      = "ReplicationLag"
      dimensions  = { CacheClusterId = cluster_id }
      statistic   = "Maximum"
      threshold   = var.redis_replication_lag_threshold_seconds
      comparison  = "GreaterThanThreshold"
      periods     = 3
      missing     = "notBreaching"
    } if !endswith(cluster_id, "-001")
  }

  msk_alarms = {
    for broker in range(1, var.msk_broker_count + 1) : "msk-broker-${broker}-disk" => {
      description = "MSK broker ${broker} data disk is filling up; a full disk stops the orders topic."
      namespace   = "AWS/Kafka"
      metric      = "KafkaDataLogsDiskUsed"
      dimensions  = { "Cluster Name" = var.msk_cluster_name, "Broker ID" = tostring(broker) }
      statistic   = "Maximum"
      threshold   = var.msk_disk_used_threshold
      comparison  = "GreaterThanThreshold"
      periods     = 5
      missing     = "missing"
    }
  }

  queue_alarms = {
    for queue, queue_name in var.dead_letter_queue_names : "${queue}-dead-letters" => {
      description = "${queue_name} holds messages: something was not delivered and needs a look."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = queue_name }
      statistic   = "Maximum"
      threshold   = 0
      comparison  = "GreaterThanThreshold"
      periods     = 1
      missing     = "notBreaching"
    }
  }

  system_alarms = {
    consumer-lag = {
      description = "The order consumer lags behind the orders topic: orders stay PENDING."
      namespace   = "AWS/Lambda"
      metric      = "OffsetLag"
      dimensions  = { FunctionName = var.consumer_function_name }
      statistic   = "Maximum"
      threshold   = var.consumer_offset_lag_threshold
      comparison  = "GreaterThanThreshold"
      periods     = 5
      missing     = "notBreaching"
    }
    reconciliation-discrepancies = {
      description = "Reconciliation found stock that does not add up (see the reconciliation tables)."
      namespace   = "FlashSale"
      metric      = "ReconciliationDiscrepancies"
      # EMF publishes the metric with the function dimension only
      dimensions = { function = var.reconciliation_function_name }
      statistic  = "Sum"
      threshold  = 0
      comparison = "GreaterThanThreshold"
      periods    = 1
      missing    = "notBreaching"
    }
    order-dead-letters = {
      description = "The order consumer dead-lettered records (see the dead-letter table)."
      namespace   = "FlashSale"
      metric      = "DeadLetters"
      dimensions  = { function = var.consumer_function_name }
      statistic   = "Sum"
      threshold   = 0
      comparison  = "GreaterThanThreshold"
      periods     = 1
      missing     = "notBreaching"
    }
    outbox-age = {
      description = "Accepted purchases wait in the Redis outbox: Kafka does not take them and re-drive does not catch up."
      namespace   = "FlashSale"
      metric      = "OutboxAgeSeconds"
      dimensions  = { function = var.reconciliation_function_name }
      statistic   = "Maximum"
      threshold   = var.outbox_age_threshold_seconds
      comparison  = "GreaterThanThreshold"
      periods     = 3
      missing     = "notBreaching"
    }
    # Refused webhook deliveries (401 UNAUTHORIZED: the admin function's only 401, since API
    # Gateway's authorizer guards its other routes): the signing secret was never put, a
    # rotation went wrong, or somebody forges deliveries. Orders then stay unpaid and expire.
    payment-webhook-refused = {
      description = "Payment webhook deliveries are refused (bad signature): check the secret <name>/payment-webhook against the provider's."
      namespace   = "FlashSale"
      metric      = "UNAUTHORIZED"
      dimensions  = { function = var.payment_webhook_function_name }
      statistic   = "Sum"
      threshold   = var.payment_webhook_refused_threshold
      comparison  = "GreaterThanOrEqualToThreshold"
      periods     = 1
      missing     = "notBreaching"
    }
    # A schedule that silently stopped is as bad as a failing one.
    reconciliation-not-running = {
      description = "Reconciliation has not run for 5 minutes."
      namespace   = "AWS/Lambda"
      metric      = "Invocations"
      dimensions  = { FunctionName = var.reconciliation_function_name }
      statistic   = "Sum"
      threshold   = 1
      comparison  = "LessThanThreshold"
      periods     = 5
      missing     = "breaching"
    }
    api-5xx = {
      description = "The HTTP API answered 5xx."
      namespace   = "AWS/ApiGateway"
      metric      = "5xx"
      dimensions  = { ApiId = var.api_id }
      statistic   = "Sum"
      threshold   = var.api_5xx_threshold
      comparison  = "GreaterThanOrEqualToThreshold"
      periods     = 1
      missing     = "notBreaching"
    }
    api-latency-p99 = {
      description = "The HTTP API's p99 latency is high."
      namespace   = "AWS/ApiGateway"
      metric      = "Latency"
      dimensions  = { ApiId = var.api_id }
      statistic   = "p99"
      threshold   = var.api_p99_latency_threshold_ms
      comparison  = "GreaterThanThreshold"
      periods     = 3
      missing     = "notBreaching"
    }
    database-cpu = {
      description = "The database's CPU is high."
      namespace   = "AWS/RDS"
      metric      = "CPUUtilization"
      dimensions  = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic   = "Average"
      threshold   = var.db_cpu_threshold
      comparison  = "GreaterThanThreshold"
      periods     = 5
      missing     = "missing"
    }
    database-free-storage = {
      description = "The database's free storage is low (autoscaling stops at max_allocated_storage)."
      namespace   = "AWS/RDS"
      metric      = "FreeStorageSpace"
      dimensions  = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic   = "Minimum"
      threshold   = var.db_free_storage_threshold_bytes
      comparison  = "LessThanThreshold"
      periods     = 5
      missing     = "missing"
    }
    database-connections = {
      description = "The database has many connections: RDS Proxy should keep this low."
      namespace   = "AWS/RDS"
      metric      = "DatabaseConnections"
      dimensions  = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic   = "Maximum"
      threshold   = var.db_connections_threshold
      comparison  = "GreaterThanThreshold"
      periods     = 3
      missing     = "missing"
    }
  }

  alarms = merge(local.function_alarms, local.redis_alarms, local.redis_replica_alarms, local.msk_alarms, local.queue_alarms, local.system_alarms)
}

# No server-side encryption: the AWS-managed SNS key does not let CloudWatch
# publish; use a customer managed key if the topic must be encrypted.
resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"

  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name        = "${var.name}-${each.key}"
  alarm_description = each.value.description
  namespace         = each.value.namespace
  metric_name       = each.value.metric
  dimensions        = each.value.dimensions
  # percentiles (p99) are extended statistics
  statistic           = startswith(each.value.statistic, "p") ? null : each.value.statistic
  extended_statistic  = startswith(each.value.statistic, "p") ? each.value.statistic : null
  period              = 60
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  tags = var.tags
}
