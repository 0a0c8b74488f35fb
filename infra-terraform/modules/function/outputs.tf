output "lambda_function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "lambda_function_arn" {
  description = "Unqualified ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "lambda_function_version" {
  description = "Latest published version."
  value       = aws_lambda_function.this.version
}

output "lambda_alias_name" {
  description = "Name of the alias callers use."
  value       = aws_lambda_alias.live.name
}

output "lambda_alias_arn" {
  description = "ARN of the alias (a qualified function ARN)."
  value       = aws_lambda_alias.live.arn
}

output "lambda_alias_invoke_arn" {
  description = "Invoke ARN of the alias, for API Gateway integrations."
  value       = aws_lambda_alias.live.invoke_arn
}

output "iam_role_name" {
  description = "Name of the function's execution role."
  value       = module.role.iam_role_name
}

output "iam_role_arn" {
  description = "ARN of the function's execution role."
  value       = module.role.iam_role_arn
}

output "cloudwatch_log_group_name" {
  description = "Log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}
