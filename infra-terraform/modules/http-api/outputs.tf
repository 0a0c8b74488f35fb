output "apigatewayv2_api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "apigatewayv2_api_endpoint" {
  description = "Base URL of the API (the $default stage is served at the root)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "apigatewayv2_api_execution_arn" {
  description = "Execution ARN of the API."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "apigatewayv2_stage_invoke_url" {
  description = "Invoke URL of the $default stage."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "apigatewayv2_route_ids" {
  description = "Route IDs by route key."
  value       = { for key, route in aws_apigatewayv2_route.this : key => route.id }
}

output "cloudwatch_log_group_name" {
  description = "Log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}
