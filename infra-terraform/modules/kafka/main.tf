locals {
  # IAM resource ARNs of topics and consumer groups of this cluster:
  # arn:aws:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>
  topic_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":topic/")
  group_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":group/")
}

# Auto-creation stays off so that a typo never makes a topic: the orders topic is
# aws_msk_topic below (MSK's topic API, no network path into the VPC needed), and
# these cluster defaults match it.
resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka_version]

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    num.partitions=${var.orders_topic_partitions}
    default.replication.factor=${var.replication_factor}
    min.insync.replicas=${var.min_insync_replicas}
    log.retention.hours=${var.orders_topic_retention_hours}
    unclean.leader.election.enable=false
  PROPERTIES

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "broker" {
  name              = "/aws/msk/${var.name}"
  retention_in_days = var.log_retention_in_days

  tags = var.tags
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.number_of_broker_nodes

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = var.security_group_ids

    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_size
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.broker.name
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.number_of_broker_nodes % length(var.subnet_ids) == 0
      error_message = "number_of_broker_nodes must be a multiple of the number of subnets (one broker set per availability zone)."
    }
  }
}

# The orders topic through MSK's control-plane topic API (provider >= 6.38).
resource "aws_msk_topic" "orders" {
  cluster_arn        = aws_msk_cluster.this.arn
  name               = var.orders_topic_name
  partition_count    = var.orders_topic_partitions
  replication_factor = var.replication_factor
  configs = jsonencode({
    "min.insync.replicas" = tostring(var.min_insync_replicas)
    "retention.ms"        = tostring(var.orders_topic_retention_hours * 3600 * 1000)
    "cleanup.policy"      = "delete"
  })
}

# Where buy's invoke priming publishes the events of its purchases before the SnapStart snapshot
# (functions/buy BuyPriming): named after the orders topic, as the function names it, read by no
# consumer, kept an hour.
resource "aws_msk_topic" "priming" {
  cluster_arn        = aws_msk_cluster.this.arn
  name               = "${var.orders_topic_name}.priming"
  partition_count    = 1
  replication_factor = var.replication_factor
  configs = jsonencode({
    "min.insync.replicas" = tostring(var.min_insync_replicas)
    "retention.ms"        = tostring(3600 * 1000)
    "cleanup.policy"      = "delete"
  })
}
