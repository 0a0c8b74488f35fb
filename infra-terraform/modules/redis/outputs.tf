output "redis_replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "redis_replication_group_arn" {
  description = "ARN of the replication group."
  value       = aws_elasticache_replication_group.this.arn
}

output "redis_configuration_endpoint_address" {
  description = "Configuration endpoint of the cluster (cluster mode has no primary endpoint)."
  value       = aws_elasticache_replication_group.this.configuration_endpoint_address
}

output "redis_port" {
  description = "Port of the cluster."
  value       = aws_elasticache_replication_group.this.port
}

output "redis_member_cluster_ids" {
  description = "Cache cluster IDs of every node (CloudWatch dimension CacheClusterId)."
  value       = local.member_cluster_ids
}
