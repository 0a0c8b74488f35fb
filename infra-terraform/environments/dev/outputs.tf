output "api_url" {
  description = "Base URL of the HTTP API."
  value       = module.flashsale.api_url
}

output "redis_endpoint" {
  description = "Configuration endpoint of the Redis cluster."
  value       = module.flashsale.redis_configuration_endpoint_address
}

output "msk_bootstrap_brokers" {
  description = "MSK bootstrap brokers (IAM auth)."
  value       = module.flashsale.msk_bootstrap_brokers_sasl_iam
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint."
  value       = module.flashsale.db_proxy_endpoint
}

output "lambda_function_arns" {
  description = "Function ARNs by name."
  value       = module.flashsale.lambda_function_arns
}

output "alarm_sns_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.flashsale.alarm_sns_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of a sale."
  value       = module.flashsale.dashboard_name
}
