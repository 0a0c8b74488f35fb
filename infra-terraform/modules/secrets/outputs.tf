output "secretsmanager_secret_arns" {
  description = "Secret ARNs by key."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.arn }
}

output "secretsmanager_secret_strings" {
  description = "Initial secret values by key, for resources that need the value itself (the Redis AUTH token)."
  value       = { for key, version in aws_secretsmanager_secret_version.initial : key => version.secret_string }
  sensitive   = true
}
