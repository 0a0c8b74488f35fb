output "msk_cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = aws_msk_cluster.this.arn
}

output "msk_cluster_name" {
  description = "Name of the MSK cluster."
  value       = aws_msk_cluster.this.cluster_name
}

output "msk_bootstrap_brokers_sasl_iam" {
  description = "Bootstrap brokers for IAM authentication (TLS, port 9098), comma separated."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "msk_orders_topic_name" {
  description = "Name of the orders topic (read from the topic, so users wait for it to exist)."
  value       = aws_msk_topic.orders.name
}

output "msk_orders_topic_arn" {
  description = "IAM resource ARN of the orders topic."
  value       = "${local.topic_arn_prefix}/${aws_msk_topic.orders.name}"
}

output "msk_priming_topic_arn" {
  description = "IAM resource ARN of the topic buy's invoke priming publishes to."
  value       = "${local.topic_arn_prefix}/${aws_msk_topic.priming.name}"
}

output "msk_group_arn_prefix" {
  description = "IAM resource ARN prefix of this cluster's consumer groups (append /<group id>)."
  value       = local.group_arn_prefix
}

output "msk_configuration_arn" {
  description = "ARN of the MSK configuration."
  value       = aws_msk_configuration.this.arn
}
