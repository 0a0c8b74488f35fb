locals {
  # ElastiCache names the member clusters <group>-<shard 0001..>-<node 001..>;
  # computing them keeps the per-node alarms plannable before the group exists.
  member_cluster_ids = flatten([
    for shard in range(1, var.num_node_groups + 1) : [
      for node in range(1, var.replicas_per_node_group + 2) : format("%s-%04d-%03d", var.name, shard, node)
    ]
  ])
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids

  tags = var.tags
}

resource "aws_elasticache_parameter_group" "this" {
  name   = "${var.name}-redis7-cluster"
  family = "redis7"

  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }

  # Sale state (stock, holds, idempotency records) must never be evicted: a full
  # Redis refuses writes (the buy path answers 503) instead of forgetting stock.
  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }

  tags = var.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Flash sale gate (${var.name})"

  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = var.security_group_ids

  cluster_mode            = "enabled"
  num_node_groups         = var.num_node_groups
  replicas_per_node_group = var.replicas_per_node_group
  # Cluster mode requires automatic failover; it only acts when a shard has a replica.
  automatic_failover_enabled = true
  multi_az_enabled           = var.multi_az_enabled

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = var.auth_token

  snapshot_retention_limit   = var.snapshot_retention_limit
  maintenance_window         = var.maintenance_window
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately

  tags = var.tags

  lifecycle {
    # Rotated outside Terraform (modules/secrets/README.md): a later apply must not
    # set the first token back while the functions already use the new one.
    ignore_changes = [auth_token]

    precondition {
      condition     = !var.multi_az_enabled || var.replicas_per_node_group > 0
      error_message = "Multi-AZ needs at least one replica per shard."
    }
  }
}
