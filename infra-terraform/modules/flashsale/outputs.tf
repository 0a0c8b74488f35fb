output "api_url" {
  description = "Base URL of the HTTP API."
  value       = module.http_api.apigatewayv2_stage_invoke_url
}

output "redis_configuration_endpoint_address" {
  description = "Configuration endpoint of the Redis cluster."
  value       = module.redis.redis_configuration_endpoint_address
}

output "msk_bootstrap_brokers_sasl_iam" {
  description = "MSK bootstrap brokers (IAM auth, port 9098)."
  value       = module.kafka.msk_bootstrap_brokers_sasl_iam
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint."
  value       = module.database.db_proxy_endpoint
}

output "lambda_function_arns" {
  description = "Function ARNs by name."
  value       = { for key, function in module.function : key => function.lambda_function_arn }
}

output "lambda_alias_arns" {
  description = "ARNs of the live aliases by function name."
  value       = { for key, function in module.function : key => function.lambda_alias_arn }
}

output "alarm_sns_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.alarms.sns_topic_arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard of a sale."
  value       = module.dashboard.cloudwatch_dashboard_name
}
