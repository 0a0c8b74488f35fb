resource "aws_sqs_queue" "on_failure" {
  name                      = "${var.name}-on-failure"
  message_retention_seconds = var.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true

  tags = var.tags
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "DescribeCluster"
    actions   = ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"]
    resources = [var.msk_cluster_arn]
  }

  # The mapping's pollers create network interfaces in the cluster's subnets.
  statement {
    sid = "DescribeClusterNetwork"
    actions = [
      "ec2:DescribeVpcs",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ConnectToKafka"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"]
    resources = [var.msk_cluster_arn]
  }

  statement {
    sid       = "ReadTopic"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = [var.topic_arn]
  }

  statement {
    sid       = "UseConsumerGroup"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = [var.consumer_group_arn]
  }

  statement {
    sid       = "SendFailedBatches"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.on_failure.arn]
  }
}

resource "aws_iam_role_policy" "consumer" {
  name   = "msk-event-source"
  role   = var.function_role_name
  policy = data.aws_iam_policy_document.consumer.json
}

resource "aws_lambda_event_source_mapping" "this" {
  function_name    = var.function_alias_arn
  event_source_arn = var.msk_cluster_arn
  topics           = [var.topic_name]
  enabled          = var.enabled

  # TRIM_HORIZON: a new mapping (or consumer group) starts at the oldest record
  # still retained, so orders produced before it existed are never skipped. The
  # consumer is idempotent on request id, so reading one twice is harmless.
  starting_position = "TRIM_HORIZON"

  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds

  amazon_managed_kafka_event_source_config {
    consumer_group_id = var.consumer_group_id
  }

  # Retry settings and on-failure destinations of Kafka mappings need provisioned pollers.
  provisioned_poller_config {
    minimum_pollers = var.minimum_pollers
    maximum_pollers = var.maximum_pollers
  }

  maximum_retry_attempts         = var.maximum_retry_attempts
  maximum_record_age_in_seconds  = -1
  bisect_batch_on_function_error = true

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.on_failure.arn
    }
  }

  metrics_config {
    metrics = ["EventCount", "ErrorCount", "KafkaMetrics"]
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.consumer]
}
