output "db_instance_identifier" {
  description = "Identifier of the DB instance (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "db_instance_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "db_instance_username" {
  description = "Master user name."
  value       = aws_db_instance.this.username
}

output "db_instance_master_user_secret_arn" {
  description = "ARN of the secret (managed by RDS) with the master user's credentials."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "db_proxy_endpoint" {
  description = "Endpoint of RDS Proxy: where the functions connect."
  value       = aws_db_proxy.this.endpoint
}

output "db_proxy_arn" {
  description = "ARN of RDS Proxy."
  value       = aws_db_proxy.this.arn
}

output "db_proxy_connect_arns" {
  description = "rds-db:connect resource ARN through the proxy (IAM authentication), by database user: the master user (the migrate function) and each of iam_database_users."
  value       = { for user in concat([var.username], var.iam_database_users) : user => "${local.proxy_dbuser_arn_prefix}/${user}" }
}
